import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const KEY_USAGE_FLUSH_MS = 2000;

/**
 * When each API key was last used, kept in memory and written in one statement for all keys
 * every KEY_USAGE_FLUSH_MS and at shutdown, so authenticating a request writes nothing.
 */
@Injectable()
export class KeyUsageRecorder implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyUsageRecorder.name);
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  record(keyId: string, at = Date.now()): void {
    this.pending.set(keyId, at);
  }

  /** A use not yet written, so this instance can show it before the flush. */
  unwritten(keyId: string): Date | null {
    const at = this.pending.get(keyId);
    return at === undefined ? null : new Date(at);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), KEY_USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
  }

  flush(): Promise<void> {
    if (this.flushing || this.pending.size === 0) return this.flushing ?? Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    const ids = [...batch.keys()];
    const times = ids.map((id) => new Date(batch.get(id)!).toISOString());
    try {
      // Never moves last_used_at backwards (another instance may have written a later use).
      await this.dataSource.query(
        `UPDATE api_keys k SET last_used_at = u.used_at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, used_at)
         WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)`,
        [ids, times],
      );
    } catch (err) {
      // Keep the uses for the next flush, unless a later use of the same key is already waiting.
      for (const [id, at] of batch) if ((this.pending.get(id) ?? 0) < at) this.pending.set(id, at);
      this.logger.warn(`could not record key use: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
