import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBoss, type Db, type Job } from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';

export const DATABASE_URL = Symbol('DATABASE_URL');

/** The queues of the gateway; each job only says which row to look at, the row is the truth. */
export const QUEUES = {
  /** `{ submissionId }`: advance one submission by one step. */
  submissionStep: 'submission-step',
  /** `{ callbackId }`: apply one stored host push. */
  inboxApply: 'inbox-apply',
  /** `{ bindingId }`: read a binding's host back and compare (drift). */
  bindingSync: 'binding-sync',
  /** `{ stepId }`: advance one listing sync step (one basic-info field on one host). */
  listingStep: 'listing-step',
  /** `{ deliveryId }`: attempt one webhook delivery (src/webhooks). */
  webhookDelivery: 'webhook-delivery',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

type Handler = (data: Record<string, string>) => Promise<void>;

/** pg-boss's `db` option on a TypeORM transaction: the job is inserted by that transaction, or not at all. */
export function transactionDb(manager: EntityManager): Db {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('transactionDb needs the entity manager of a running transaction');
  return { executeSql: async (text, values) => ({ rows: (await runner.query(text, values, true)).records as unknown[] }) };
}

/**
 * One pg-boss per process, on the gateway's PostgreSQL. Queues are created at start; handlers
 * are registered by the modules that own them and run only when this process runs workers
 * (WORKERS, default on; `npm run worker` always).
 */
@Injectable()
export class JobsService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly handlers = new Map<QueueName, { handler: Handler; concurrency: number }>();
  private started = false;
  private workerDataSource: DataSource | null = null;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly config: GatewayConfig,
  ) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      max: Math.max(2, Math.min(10, config.WORKER_CONCURRENCY + 2)),
      // No LISTEN/NOTIFY: its dedicated connection outlived stop() and crashed the embedded
      // PostgreSQL's shutdown; workers poll every WORKER_POLL_INTERVAL_MS instead.
      useListenNotify: false,
      // Maintenance runs in every process; pg-boss coordinates it through its own tables.
      superviseIntervalSeconds: 60,
    });
    this.boss.on('error', (err) => this.logger.error(`pg-boss: ${err.message}`));
  }

  get runsWorkers(): boolean {
    return this.config.WORKERS;
  }

  /** Registers the handler of a queue; it runs only in processes that run workers. */
  register(queue: QueueName, handler: Handler, concurrency = this.config.WORKER_CONCURRENCY): void {
    this.handlers.set(queue, { handler, concurrency });
  }

  /**
   * The workers' own connections, apart from the API's pool: a step holds one connection for its
   * lock while it also reads through the shared services, so sharing one pool could starve it.
   */
  get workerDb(): DataSource {
    if (!this.workerDataSource) throw new Error('this process runs no workers (WORKERS=false)');
    return this.workerDataSource;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.WORKERS) {
      this.workerDataSource = new DataSource(dataSourceOptions(this.databaseUrl, this.config.WORKER_CONCURRENCY + 4, false));
      await this.workerDataSource.initialize();
    }
    await this.boss.start();
    this.started = true;
    for (const name of Object.values(QUEUES)) {
      // A job that outlives its worker (killed) is retried after expiry; the sweeper finds it sooner.
      await this.boss.createQueue(name, { expireInSeconds: 300, retryLimit: 5, retryDelay: 1, retryBackoff: true, deleteAfterSeconds: 3600 });
    }
  }

  /** Starts the registered handlers, once every module registered its own (in onModuleInit). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.WORKERS) return;
    const pollingIntervalSeconds = this.config.WORKER_POLL_INTERVAL_MS / 1000;
    for (const [queue, { handler, concurrency }] of this.handlers) {
      await this.boss.work<Record<string, string>>(
        queue,
        { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds },
        async (jobs: Job<Record<string, string>>[]) => {
          for (const job of jobs) {
            try {
              await handler(job.data);
            } catch (err) {
              // pg-boss keeps the error on the job and retries it, but says nothing: the log does.
              const message = err instanceof Error ? err.message : String(err);
              this.logger.error(
                `job ${job.id} on ${queue} ${JSON.stringify(job.data)} failed (pg-boss retries it): ${message}`,
                err instanceof Error ? err.stack : undefined,
              );
              throw err;
            }
          }
        },
      );
    }
    this.logger.log(`workers started: ${[...this.handlers.keys()].join(', ')}`);
  }

  /** Queues a job, inside `manager`'s transaction when given (rolled back with it), due at `startAfter`. */
  async send(queue: QueueName, data: Record<string, string>, options: { manager?: EntityManager; startAfter?: Date } = {}): Promise<void> {
    await this.boss.send(queue, data, {
      ...(options.startAfter && options.startAfter.getTime() > Date.now() ? { startAfter: options.startAfter } : {}),
      ...(options.manager ? { db: transactionDb(options.manager) } : {}),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.started) {
      this.started = false;
      await this.boss.stop({ graceful: true, timeout: 5_000 });
    }
    await this.workerDataSource?.destroy();
    this.workerDataSource = null;
  }
}
