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
  // Key id -> last use; partner keys (kept in their own table) are listed in `partnerKeys`.
  private pending = new Map<string, number>();
  private readonly partnerKeys = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private writing: Map<string, number> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  record(keyId: string, at = Date.now(), table: 'api_keys' | 'partner_keys' = 'api_keys'): void {
    this.pending.set(keyId, at);
    if (table === 'partner_keys') this.partnerKeys.add(keyId);
  }

  /** A use not yet written, so this instance can show it before the flush. */
  unwritten(keyId: string): Date | null {
    // A batch being written counts as unwritten until its write is done.
    const at = this.pending.get(keyId) ?? this.writing?.get(keyId);
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
    this.writing = batch;
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
      this.writing = null;
    });
    return this.flushing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    const byTable = { api_keys: [] as string[], partner_keys: [] as string[] };
    for (const id of batch.keys()) byTable[this.partnerKeys.has(id) ? 'partner_keys' : 'api_keys'].push(id);
    try {
      for (const [table, ids] of Object.entries(byTable)) {
        if (ids.length === 0) continue;
        const times = ids.map((id) => new Date(batch.get(id)!).toISOString());
        // Never moves last_used_at backwards (another instance may have written a later use).
        await this.dataSource.query(
          `UPDATE ${table} k SET last_used_at = u.used_at
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, used_at)
           WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)`,
          [ids, times],
        );
      }
    } catch (err) {
      // Keep the uses for the next flush, unless a later use of the same key is already waiting.
      for (const [id, at] of batch) if ((this.pending.get(id) ?? 0) < at) this.pending.set(id, at);
      this.logger.warn(`could not record key use: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
