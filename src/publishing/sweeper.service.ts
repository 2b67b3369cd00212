import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';

/**
 * Finds submissions whose step is overdue (its job was lost with a killed worker, or its push
 * never came) and queues them again. Runs in processes with workers; any of them may find the
 * same row, which is harmless: a step runs under the submission's lock and re-reads the row.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sweeper');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly jobs: JobsService,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.WORKERS) return;
    this.timer = setInterval(
      () => void this.sweep().catch((err: Error) => this.logger.warn(`sweep failed: ${err.message}`)),
      this.config.SYNC_SWEEP_INTERVAL_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Queues every submission overdue by more than two sweep intervals plus its queue's lag; returns
   * how many. A backlog (40,000 submissions published at once) makes every waiting submission look
   * overdue though its job is only waiting in the queue: without the lag, each sweep queued 500 of
   * them again, and each extra job cost a fetch, a lock and a read to find nothing due.
   */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const interval = this.config.SYNC_SWEEP_INTERVAL_MS;
      const [steps, listingSteps, pushes, readBacks] = await Promise.all(
        [QUEUES.submissionStep, QUEUES.listingStep, QUEUES.inboxApply, QUEUES.bindingSync].map((q) => this.jobs.lagMs(q)),
      );
      const overdue = (lag: number) => 2 * interval + Math.ceil(lag);
      return await this.jobs.workerDb.transaction(async (m) => {
        // The structured result: TypeORM answers a plain UPDATE ... RETURNING as [rows, count].
        const result = await m.queryRunner!.query(
          `UPDATE submissions SET next_attempt_at = now()
           WHERE id IN (SELECT id FROM submissions WHERE next_attempt_at < now() - $1 * interval '1 millisecond' ORDER BY next_attempt_at LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [overdue(steps)],
          true,
        );
        const lost = result.records as Array<{ id: string }>;
        for (const { id } of lost) await this.jobs.send(QUEUES.submissionStep, { submissionId: id }, { manager: m });
        // Listing sync steps likewise.
        const listing = await m.queryRunner!.query(
          `UPDATE listing_sync_steps SET next_attempt_at = now()
           WHERE id IN (SELECT id FROM listing_sync_steps WHERE next_attempt_at < now() - $1 * interval '1 millisecond' ORDER BY next_attempt_at LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [overdue(listingSteps)],
          true,
        );
        for (const { id } of listing.records as Array<{ id: string }>) await this.jobs.send(QUEUES.listingStep, { stepId: id }, { manager: m });
        // Pushes stored but not applied for as long (their job was lost): queued again too.
        const unapplied: Array<{ id: string }> = await m.query(
          `SELECT id FROM host_callbacks WHERE status = 'stored' AND received_at < now() - $1 * interval '1 millisecond' ORDER BY received_at LIMIT 500`,
          [overdue(pushes)],
        );
        for (const { id } of unapplied) await this.jobs.send(QUEUES.inboxApply, { callbackId: id }, { manager: m });
        if (lost.length > 0) this.logger.log(`queued ${lost.length} overdue submission step(s) again`);
        // Bindings with something live (a version, or basic info set by listing sync) are read back at least every SYNC_POLL_MAX_MS (drift by hand on the host's console).
        // Not while the read-backs already queued wait longer than a sweep interval: more would only lengthen the queue.
        const stale: Array<{ id: string }> =
          readBacks > interval
            ? []
            : await m.query(
                `SELECT id FROM host_bindings WHERE disconnected_at IS NULL AND (live_version IS NOT NULL OR gray_version IS NOT NULL OR basic_info_expected IS NOT NULL)
             AND (last_synced_at IS NULL OR last_synced_at < now() - $1 * interval '1 millisecond') ORDER BY last_synced_at NULLS FIRST LIMIT 500`,
                [this.config.SYNC_POLL_MAX_MS],
              );
        for (const { id } of stale) await this.jobs.send(QUEUES.bindingSync, { bindingId: id }, { manager: m });
        return lost.length + unapplied.length;
      });
    } finally {
      this.running = false;
    }
  }
}
