import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TokenStore } from '../../../adapters/core/index.js';
import type { Vault } from '../../vault/vault.js';

export interface TokenLockOptions {
  /** How long a lease lasts without being extended; a killed holder blocks others this long at most. */
  leaseMs: number;
  /** How long a caller waits for the lease before giving up. */
  maxWaitMs: number;
}

// Short: the holder extends it every third while it works, so only a killed holder lets it run out.
const DEFAULT_LOCK: TokenLockOptions = { leaseMs: 10_000, maxWaitMs: 120_000 };
const aad = (key: string) => `host_tokens:${key}`;

/** A row of host_tokens as read: sealed value, key id and expiry. */
export interface StoredTokenRow {
  ciphertext: string;
  key_id: string;
  expires_at: Date | null;
}

/**
 * The adapters' TokenStore in PostgreSQL, values sealed by the vault, so every gateway instance
 * and worker shares tokens. `withLock` is a lease row per key: the holder extends it every third
 * of the lease while it renews, and removes it when done.
 */
export class PostgresTokenStore implements TokenStore {
  constructor(
    private readonly db: DataSource,
    private readonly vault: Vault,
    private readonly lock: TokenLockOptions = DEFAULT_LOCK,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(key: string): Promise<{ value: string; expiresAt: Date | null } | null> {
    const rows: StoredTokenRow[] = await this.db.query('SELECT ciphertext, key_id, expires_at FROM host_tokens WHERE key = $1', [key]);
    return this.open(key, rows[0] ?? null);
  }

  /** The value of the row of `key` read by the caller (joined into its own statement); null when absent or expired. */
  open(key: string, row: StoredTokenRow | null): { value: string; expiresAt: Date | null } | null {
    if (!row) return null;
    if (row.expires_at && row.expires_at.getTime() <= this.now().getTime()) return null;
    return { value: this.vault.open({ ciphertext: row.ciphertext, keyId: row.key_id }, aad(key)), expiresAt: row.expires_at };
  }

  async set(key: string, value: string, expiresAt: Date | null): Promise<void> {
    const sealed = this.vault.seal(value, aad(key));
    await this.db.query(
      `INSERT INTO host_tokens (key, ciphertext, key_id, expires_at, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (key) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id, expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [key, sealed.ciphertext, sealed.keyId, expiresAt],
    );
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM host_tokens WHERE key = $1', [key]);
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    await this.acquire(key, owner);
    const heartbeat = setInterval(() => void this.extend(key, owner).catch(() => undefined), Math.max(50, Math.floor(this.lock.leaseMs / 3)));
    try {
      return await work();
    } finally {
      clearInterval(heartbeat);
      await this.db.query('DELETE FROM host_token_locks WHERE key = $1 AND owner = $2', [key, owner]);
    }
  }

  private async acquire(key: string, owner: string): Promise<void> {
    const deadline = Date.now() + this.lock.maxWaitMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      // Taken when no lease exists or the one there has run out (its holder died).
      const rows: unknown[] = await this.db.query(
        `INSERT INTO host_token_locks (key, owner, locked_until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, locked_until = EXCLUDED.locked_until
         WHERE host_token_locks.locked_until < now()
         RETURNING owner`,
        [key, owner, this.lock.leaseMs],
      );
      if (rows.length > 0) return;
      if (Date.now() >= deadline)
        throw new Error(`token ${key.split(':').slice(0, 2).join(':')} stayed locked by another process for ${this.lock.maxWaitMs} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async extend(key: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE host_token_locks SET locked_until = now() + $3 * interval '1 millisecond' WHERE key = $1 AND owner = $2`, [
      key,
      owner,
      this.lock.leaseMs,
    ]);
  }
}
