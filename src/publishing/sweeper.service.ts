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

  /** Queues every submission overdue by more than two sweep intervals; returns how many. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.jobs.workerDb.transaction(async (m) => {
        // The structured result: TypeORM answers a plain UPDATE ... RETURNING as [rows, count].
        const result = await m.queryRunner!.query(
          `UPDATE submissions SET next_attempt_at = now()
           WHERE id IN (SELECT id FROM submissions WHERE next_attempt_at < now() - $1 * interval '1 millisecond' ORDER BY next_attempt_at LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [this.config.SYNC_SWEEP_INTERVAL_MS * 2],
          true,
        );
        const overdue = result.records as Array<{ id: string }>;
        for (const { id } of overdue) await this.jobs.send(QUEUES.submissionStep, { submissionId: id }, { manager: m });
        // Listing sync steps likewise.
        const listing = await m.queryRunner!.query(
          `UPDATE listing_sync_steps SET next_attempt_at = now()
           WHERE id IN (SELECT id FROM listing_sync_steps WHERE next_attempt_at < now() - $1 * interval '1 millisecond' ORDER BY next_attempt_at LIMIT 500 FOR UPDATE SKIP LOCKED)
           RETURNING id`,
          [this.config.SYNC_SWEEP_INTERVAL_MS * 2],
          true,
        );
        for (const { id } of listing.records as Array<{ id: string }>) await this.jobs.send(QUEUES.listingStep, { stepId: id }, { manager: m });
        // Pushes stored but not applied for as long (their job was lost): queued again too.
        const pushes: Array<{ id: string }> = await m.query(
          `SELECT id FROM host_callbacks WHERE status = 'stored' AND received_at < now() - $1 * interval '1 millisecond' ORDER BY received_at LIMIT 500`,
          [this.config.SYNC_SWEEP_INTERVAL_MS * 2],
        );
        for (const { id } of pushes) await this.jobs.send(QUEUES.inboxApply, { callbackId: id }, { manager: m });
        if (overdue.length > 0) this.logger.log(`queued ${overdue.length} overdue submission step(s) again`);
        // Bindings with something live (a version, or basic info set by listing sync) are read back at least every SYNC_POLL_MAX_MS (drift by hand on the host's console).
        const stale: Array<{ id: string }> = await m.query(
          `SELECT id FROM host_bindings WHERE disconnected_at IS NULL AND (live_version IS NOT NULL OR gray_version IS NOT NULL OR basic_info_expected IS NOT NULL)
             AND (last_synced_at IS NULL OR last_synced_at < now() - $1 * interval '1 millisecond') ORDER BY last_synced_at NULLS FIRST LIMIT 500`,
          [this.config.SYNC_POLL_MAX_MS],
        );
        for (const { id } of stale) await this.jobs.send(QUEUES.bindingSync, { bindingId: id }, { manager: m });
        return overdue.length + pushes.length;
      });
    } finally {
      this.running = false;
    }
  }
}
