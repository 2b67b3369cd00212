import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PgBoss, type Db, type Job } from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { runPrepared } from '../database/prepared.js';

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

/** How long shutdown waits for the jobs in hand before it hands them back to the queue. */
const STOP_GRACE_MS = 5_000;

/** How long a finished job waits for others to be completed with it in one statement. */
const COMPLETION_LINGER_MS = 50;

/**
 * Marks finished jobs of one queue completed, many in one statement: a finished job waits up to
 * COMPLETION_LINGER_MS for others. Not awaited by the job's slot: a completion lost with a killed
 * process leaves the job active until it expires, and it runs again then, which a step survives
 * (it re-reads its row under its lock).
 */
class Completions {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (ids: string[]) => Promise<unknown>,
    private readonly onError: (err: Error, ids: string[]) => void,
  ) {}

  done(id: string): void {
    this.pending.push(id);
    this.timer ??= setTimeout(() => void this.flush(), COMPLETION_LINGER_MS);
  }

  /** Writes what is pending now (and waits for writes under way). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = this.pending.splice(0);
    if (ids.length > 0) {
      this.writing = this.writing.then(() =>
        this.write(ids).then(
          () => undefined,
          (err: Error) => this.onError(err, ids),
        ),
      );
    }
    return this.writing;
  }
}

/**
 * How long the due jobs of a queue ($1) have waited, in ms (0 when none waits): the largest wait
 * among the 100 oldest queued jobs that are due. Read through pg-boss's fetch index on its job
 * table (schema `pgboss`, the default; the index's own predicate), so it costs an index range scan.
 */
const QUEUE_LAG = `SELECT COALESCE(max(EXTRACT(EPOCH FROM now() - start_after) * 1000), 0)::float8 AS lag FROM (
    SELECT start_after FROM pgboss.job WHERE name = $1 AND state < 'active' AND NOT blocked AND start_after <= now()
    ORDER BY priority DESC, created_on LIMIT 100) j`;

/** pg-boss's `db` option on a TypeORM transaction: the job is inserted by that transaction, or not at all. */
export function transactionDb(manager: EntityManager): Db {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('transactionDb needs the entity manager of a running transaction');
  return { executeSql: async (text, values) => ({ rows: await runPrepared(runner, text, values ?? []) }) };
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
  /** One fetch loop per queue this process works; `wake` cuts its wait short. */
  private readonly loops = new Map<QueueName, { done: Promise<void>; wake: () => void; running: Map<string, Promise<void>>; completions: Completions }>();
  private stopping = false;
  /** Queues this process sent a job due at once to since their loop last fetched. */
  private readonly dueNow = new Set<QueueName>();

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
    for (const [queue, { handler, concurrency }] of this.handlers) this.startLoop(queue, handler, concurrency);
    this.logger.log(`workers started: ${[...this.handlers.keys()].join(', ')}`);
  }

  /**
   * One loop per queue instead of one poller per concurrent job: it fetches as many jobs as it has
   * free slots in one statement and runs them side by side; finished jobs are completed in batches.
   * It fetches again at once when a slot frees after a fetch that filled every free slot (more may
   * be waiting), or when a job it ran queued another job of this queue due at once (committed by
   * then); else every WORKER_POLL_INTERVAL_MS. An idle queue costs one statement per interval.
   */
  private startLoop(queue: QueueName, handler: Handler, concurrency: number): void {
    const running = new Map<string, Promise<void>>();
    const completions = new Completions(
      (ids) => this.boss.complete(queue, ids),
      (err, ids) => this.logger.error(`completing ${ids.length} ${queue} job(s): ${err.message}`),
    );
    let lastFetchFilled = false;
    let woken = false;
    let endWait: (() => void) | null = null;
    const wake = () => {
      if (endWait) endWait();
      else woken = true;
    };
    const loop = async () => {
      while (!this.stopping) {
        const free = concurrency - running.size;
        if (free > 0) {
          this.dueNow.delete(queue);
          try {
            const jobs = await this.boss.fetch<Record<string, string>>(queue, { batchSize: free });
            lastFetchFilled = jobs.length === free;
            for (const job of jobs) {
              const run = this.runJob(queue, handler, job, completions).finally(() => {
                running.delete(job.id);
                // A slot is free: fetch at once if the last fetch filled them all, or a job due at once was queued.
                if (lastFetchFilled || this.dueNow.has(queue)) wake();
              });
              running.set(job.id, run);
            }
          } catch (err) {
            lastFetchFilled = false;
            this.logger.error(`fetching ${queue} failed: ${(err as Error).message}`);
          }
        }
        if (this.stopping) break;
        if (woken) {
          woken = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => endWait?.(), this.config.WORKER_POLL_INTERVAL_MS);
          endWait = () => {
            clearTimeout(timer);
            endWait = null;
            resolve();
          };
        });
      }
    };
    this.loops.set(queue, { done: loop(), wake, running, completions });
  }

  private async runJob(queue: QueueName, handler: Handler, job: Job<Record<string, string>>, completions: Completions): Promise<void> {
    try {
      await handler(job.data);
    } catch (err) {
      // Failed: pg-boss retries it (retryLimit, with backoff) or keeps it failed; the log says so.
      const e = err as Error;
      this.logger.error(`job ${job.id} on ${queue} ${JSON.stringify(job.data)} failed (pg-boss retries it): ${e?.message ?? String(err)}`, e?.stack);
      await this.boss
        .fail(queue, job.id, { name: e?.name ?? 'Error', message: e?.message ?? String(err), stack: e?.stack ?? null })
        .catch((failErr: Error) => this.logger.error(`marking ${queue} job ${job.id} failed: ${failErr.message}`));
      return;
    }
    completions.done(job.id);
  }

  /** Queues a job, inside `manager`'s transaction when given (rolled back with it), due at `startAfter`. */
  async send(queue: QueueName, data: Record<string, string>, options: { manager?: EntityManager; startAfter?: Date } = {}): Promise<void> {
    const later = options.startAfter && options.startAfter.getTime() > Date.now();
    await this.boss.send(queue, data, {
      ...(later ? { startAfter: options.startAfter } : {}),
      ...(options.manager ? { db: transactionDb(options.manager) } : {}),
    });
    // Due at once: this process's loop of that queue fetches when the job that sent it is done (and committed).
    if (!later && this.loops.has(queue)) this.dueNow.add(queue);
  }

  /**
   * How far behind `queue` is: how long its due jobs have been waiting (ms). Work that looks
   * overdue by less than this may only be waiting in the queue.
   */
  async lagMs(queue: QueueName): Promise<number> {
    const { rows } = await this.boss.getDb().executeSql(QUEUE_LAG, [queue]);
    return Number((rows[0] as { lag: number | string } | undefined)?.lag ?? 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const loop of this.loops.values()) loop.wake();
    await Promise.all([...this.loops.values()].map((l) => l.done));
    const inHand = [...this.loops.entries()].flatMap(([queue, l]) => [...l.running.entries()].map(([id, run]) => ({ queue, id, run })));
    let grace: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(inHand.map((j) => j.run)).then(() => true),
      new Promise<boolean>((resolve) => (grace = setTimeout(() => resolve(false), STOP_GRACE_MS))),
    ]);
    clearTimeout(grace);
    if (!finished) {
      // Still running after the grace: handed back (failed, so retried), as pg-boss's own stop does.
      for (const [queue, l] of this.loops) {
        const ids = [...l.running.keys()];
        if (ids.length > 0) await this.boss.fail(queue, ids, { message: 'the worker stopped' }).catch(() => undefined);
      }
    }
    for (const l of this.loops.values()) await l.completions.flush();
    this.loops.clear();
    if (this.started) {
      this.started = false;
      await this.boss.stop({ graceful: true, timeout: 5_000 });
    }
    await this.workerDataSource?.destroy();
    this.workerDataSource = null;
  }
}
