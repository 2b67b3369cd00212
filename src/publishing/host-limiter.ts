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
const slotKey = (name: string, slot: number) => `${name}:${slot}`;
// A random first slot, so concurrent steps do not all try slot 0 first.
const randomSlot = (slots: number) => Math.floor(Math.random() * slots);

/**
 * Per-host and per-host-app limits on host calls, shared by every gateway process: concurrency
 * as PostgreSQL advisory-lock slots taken on the step's own connection (a killed worker's slots
 * free themselves with its connection), rate as rate-limiter-flexible counters in PostgreSQL.
 * Over a limit, the step is put back to run later; it is never failed for it.
 */
export class HostLimiter {
  private readonly rates = new Map<string, RateLimiterPostgres>();

  constructor(
    private readonly db: DataSource,
    /** The limits of a host: its profile's `callLimits`, else the defaults (tests pass their own). */
    readonly limitsOf: (host: HostId) => { platform: HostCallLimit; app: HostCallLimit } = (host) =>
      HOST_ADAPTER_FACTORIES[host].profile.callLimits ?? DEFAULT_CALL_LIMITS,
  ) {}

  async acquire(runner: QueryRunner, host: HostId, hostAppId: string): Promise<LimitGrant> {
    const limits = this.limitsOf(host);
    const held: string[] = [];
    // One statement for every slot held: a step pays one round trip to take its slots, one to free them.
    const release = async () => {
      if (held.length === 0) return;
      const keys = held.splice(0).reverse();
      await runner.query(`SELECT ${keys.map((_, i) => `pg_advisory_unlock(hashtextextended($${i + 1}, 0))`).join(', ')}`, keys);
    };
    try {
      const appName = `app:${host}:${hostAppId}`;
      const platformName = `platform:${host}`;
      // First try a random slot of each at once; only a busy one is then searched slot by slot.
      const first = [slotKey(appName, randomSlot(limits.app.concurrency)), slotKey(platformName, randomSlot(limits.platform.concurrency))];
      const rows = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS app, pg_try_advisory_lock(hashtextextended($2, 0)) AS platform',
        first,
      )) as Array<{ app: boolean; platform: boolean }>;
      const app = rows[0]?.app ? first[0] : await this.slot(runner, appName, limits.app.concurrency, first[0]);
      if (rows[0]?.platform) held.push(first[1]);
      if (!app) {
        await release();
        return { ok: false, retryInMs: 200 + Math.random() * 300, reason: 'app concurrency' };
      }
      held.push(app);
      if (!rows[0]?.platform) {
        const platform = await this.slot(runner, platformName, limits.platform.concurrency, first[1]);
        if (!platform) {
          await release();
          return { ok: false, retryInMs: 100 + Math.random() * 200, reason: 'platform concurrency' };
        }
        held.push(platform);
      }
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

  /** The first free slot of `name`, skipping the one already tried. */
  private async slot(runner: QueryRunner, name: string, slots: number, tried: string): Promise<string | null> {
    const start = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const key = slotKey(name, (start + i) % slots);
      if (key === tried) continue;
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
