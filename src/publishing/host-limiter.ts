import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource, QueryRunner } from 'typeorm';
import type { HostCallLimit, HostId } from '../../adapters/core/index.js';
import { HOST_ADAPTER_FACTORIES } from '../hosts/host-adapter.registry.js';

/** Used for a host whose profile declares no call limits. */
export const DEFAULT_CALL_LIMITS: { platform: HostCallLimit; app: HostCallLimit } = {
  platform: { concurrency: 16, perSecond: 100 },
  app: { concurrency: 1, perSecond: 10 },
};

export type LimitGrant = { ok: true; release(): Promise<void> } | { ok: false; retryInMs: number; reason: string };

const lockKey = (text: string) => ({ sql: 'hashtextextended($1, 0)', value: text });

/**
 * Per-host and per-host-app limits on host calls, shared by every gateway process: concurrency
 * as PostgreSQL advisory-lock slots taken on the step's own connection (a killed worker's slots
 * free themselves with its connection), rate as rate-limiter-flexible counters in PostgreSQL.
 * Over a limit, the step is put back to run later; it is never failed for it.
 */
export class HostLimiter {
  private readonly rates = new Map<string, RateLimiterPostgres>();

  constructor(private readonly db: DataSource) {}

  limitsOf(host: HostId) {
    return HOST_ADAPTER_FACTORIES[host].profile.callLimits ?? DEFAULT_CALL_LIMITS;
  }

  async acquire(runner: QueryRunner, host: HostId, hostAppId: string): Promise<LimitGrant> {
    const limits = this.limitsOf(host);
    const held: string[] = [];
    const release = async () => {
      for (const key of held.reverse()) await runner.query(`SELECT pg_advisory_unlock(${lockKey(key).sql})`, [key]);
    };
    try {
      const app = await this.slot(runner, `app:${host}:${hostAppId}`, limits.app.concurrency);
      if (!app) return { ok: false, retryInMs: 200 + Math.random() * 300, reason: 'app concurrency' };
      held.push(app);
      const platform = await this.slot(runner, `platform:${host}`, limits.platform.concurrency);
      if (!platform) {
        await release();
        return { ok: false, retryInMs: 100 + Math.random() * 200, reason: 'platform concurrency' };
      }
      held.push(platform);
      for (const [key, limit] of [
        [`rate:platform:${host}`, limits.platform.perSecond],
        [`rate:app:${host}:${hostAppId}`, limits.app.perSecond],
      ] as const) {
        try {
          await this.rate(key, limit).consume(key, 1);
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          await release();
          return { ok: false, retryInMs: res.msBeforeNext + Math.random() * 50, reason: 'rate' };
        }
      }
      return { ok: true, release };
    } catch (err) {
      await release();
      throw err;
    }
  }

  private async slot(runner: QueryRunner, name: string, slots: number): Promise<string | null> {
    // Start at a random slot so concurrent steps do not all try slot 0 first.
    const start = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const key = `${name}:${(start + i) % slots}`;
      const rows = (await runner.query(`SELECT pg_try_advisory_lock(${lockKey(key).sql}) AS ok`, [key])) as Array<{ ok: boolean }>;
      if (rows[0]?.ok) return key;
    }
    return null;
  }

  private rate(key: string, perSecond: number): RateLimiterPostgres {
    const name = key.startsWith('rate:platform') ? `platform:${perSecond}` : `app:${perSecond}`;
    let limiter = this.rates.get(name);
    if (!limiter) {
      const pool = (this.db.driver as unknown as { master: unknown }).master;
      limiter = new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: 'host_call_rates',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: '',
        points: perSecond,
        duration: 1,
      });
      this.rates.set(name, limiter);
    }
    return limiter;
  }
}
