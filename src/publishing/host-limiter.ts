import type { DataSource, QueryRunner } from 'typeorm';
import type { HostCallLimit, HostId } from '../../adapters/core/index.js';
import { HOST_ADAPTER_FACTORIES } from '../hosts/host-adapter.registry.js';
import { runPrepared } from '../database/prepared.js';
import { unlockStatement } from '../jobs/advisory-step.js';

/** Used for a host whose profile declares no call limits. */
export const DEFAULT_CALL_LIMITS: { platform: HostCallLimit; app: HostCallLimit } = {
  platform: { concurrency: 16, perSecond: 100 },
  app: { concurrency: 1, perSecond: 10 },
};

/**
 * A granted call: `release` frees its slots (one statement); `handOver` gives the slot keys to the
 * caller instead, who frees them with its own unlock (the step's lock), and makes `release` a no-op.
 */
export type LimitGrant =
  | { ok: true; release(): Promise<void>; handOver(): string[]; /** Whether the intent asked for was written with the grant. */ announced: boolean }
  | { ok: false; retryInMs: number; reason: string };

/** A submission's intent to write together with the grant (the host call it announces), only if granted. */
export interface Announcement {
  submissionId: string;
  intent: object;
}

const slotKey = (name: string, slot: number) => `${name}:${slot}`;
// A random first slot, so concurrent steps do not all try slot 0 first.
const randomSlot = (slots: number) => Math.floor(Math.random() * slots);
const RATE_WINDOW_MS = 1000;

/**
 * The rate counters (rows of host_call_rates, the table and row format of rate-limiter-flexible's
 * PostgreSQL store: points in a fixed window, `expire` in epoch ms) of the keys $3 (text[]), one
 * point each, in key order (two steps never wait on each other's rows in opposite orders); $4 is
 * the time now in epoch ms. `{cond}` gates the upsert.
 */
const RATE_UPSERT = (cond: string) => `INSERT INTO host_call_rates AS t (key, points, expire)
  SELECT k.key, 1, $4::bigint + ${RATE_WINDOW_MS} FROM unnest($3::text[]) AS k(key) WHERE ${cond} ORDER BY k.key
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN t.expire <= $4::bigint THEN 1 ELSE t.points + 1 END,
    expire = CASE WHEN t.expire <= $4::bigint THEN EXCLUDED.expire ELSE t.expire END
  RETURNING t.key, t.points, t.expire`;

/**
 * The common case in one statement: a random slot of the app and of the host tried at once; when
 * both are taken, a point of both rates consumed; when a rate is over, both slots freed again in
 * the same statement ($5, $6: the rates' limits per second, app then platform). When the app's
 * slot is busy and it has no other slot to try ($7), the host's slot is freed there too.
 */
const ACQUIRE = `WITH s AS MATERIALIZED (
    SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS app, pg_try_advisory_lock(hashtextextended($2, 0)) AS platform
  ), r AS (${RATE_UPSERT('(SELECT app AND platform FROM s)')}),
  x AS (SELECT COALESCE(bool_and(points <= CASE WHEN key = ($3::text[])[1] THEN $5::int ELSE $6::int END), true) AS fits,
          COALESCE(max(CASE WHEN points > CASE WHEN key = ($3::text[])[1] THEN $5::int ELSE $6::int END THEN expire END), 0) AS wait_until FROM r)
  SELECT s.app, s.platform, x.fits, x.wait_until::text AS "waitUntil",
    CASE WHEN s.app AND s.platform AND NOT x.fits THEN pg_advisory_unlock(hashtextextended($1, 0)) END AS "appFreed",
    CASE WHEN s.platform AND ((s.app AND NOT x.fits) OR (NOT s.app AND $7::boolean)) THEN pg_advisory_unlock(hashtextextended($2, 0)) END AS "platformFreed"
  FROM s, x`;

/**
 * ACQUIRE that also announces a submission's host call: when the slots and rates are granted, the
 * submission's intent ($8, JSON) is written in the same statement ($9: the submission's id).
 */
const ACQUIRE_AND_ANNOUNCE = ACQUIRE.replace(
  '  SELECT s.app, s.platform,',
  `, w AS (UPDATE submissions SET intent = $8::jsonb, updated_at = now()
    WHERE id = $9::uuid AND (SELECT app AND platform FROM s) AND (SELECT fits FROM x) RETURNING id)
  SELECT (SELECT count(*) FROM w) > 0 AS announced, s.app, s.platform,`,
);

const RATES = `WITH r AS (${RATE_UPSERT('true')})
  SELECT COALESCE(bool_and(points <= CASE WHEN key = ($3::text[])[1] THEN $1::int ELSE $2::int END), true) AS fits,
    COALESCE(max(CASE WHEN points > CASE WHEN key = ($3::text[])[1] THEN $1::int ELSE $2::int END THEN expire END), 0)::text AS "waitUntil" FROM r`;

/**
 * Per-host and per-host-app limits on host calls, shared by every gateway process: concurrency
 * as PostgreSQL advisory-lock slots taken on the step's own connection (a killed worker's slots
 * free themselves with its connection), rate as counters per second in PostgreSQL
 * (host_call_rates). Over a limit, the step is put back to run later; it is never failed for it.
 * The common case (both first slots free) is one statement, rates included.
 */
export class HostLimiter {
  constructor(
    // Kept for the callers' construction; every statement runs on the step's own connection.
    readonly db: DataSource,
    /** The limits of a host: its profile's `callLimits`, else the defaults (tests pass their own). */
    readonly limitsOf: (host: HostId) => { platform: HostCallLimit; app: HostCallLimit } = (host) =>
      HOST_ADAPTER_FACTORIES[host].profile.callLimits ?? DEFAULT_CALL_LIMITS,
  ) {}

  /**
   * Takes the limits of one host call. With `announce`, the common case also writes the
   * submission's intent in the same statement when (and only when) the call is granted; the grant
   * says whether it did (`announced`), else the caller writes it.
   */
  async acquire(runner: QueryRunner, host: HostId, hostAppId: string, announce?: Announcement): Promise<LimitGrant> {
    const limits = this.limitsOf(host);
    const held: string[] = [];
    const release = async () => {
      if (held.length === 0) return;
      const keys = held.splice(0).reverse();
      await runner.query(unlockStatement(keys), keys);
    };
    const granted = (announced: boolean): LimitGrant => ({ ok: true, release, handOver: () => held.splice(0), announced });
    try {
      const appName = `app:${host}:${hostAppId}`;
      const platformName = `platform:${host}`;
      const rateKeys = [`rate:app:${host}:${hostAppId}`, `rate:platform:${host}`];
      const first = [slotKey(appName, randomSlot(limits.app.concurrency)), slotKey(platformName, randomSlot(limits.platform.concurrency))];
      const params = [first[0], first[1], rateKeys, Date.now(), limits.app.perSecond, limits.platform.perSecond, limits.app.concurrency <= 1];
      type Granted = { announced?: boolean; app: boolean; platform: boolean; fits: boolean; waitUntil: string };
      const rows = announce
        ? await runPrepared<Granted>(runner, ACQUIRE_AND_ANNOUNCE, [...params, JSON.stringify(announce.intent), announce.submissionId])
        : await runPrepared<Granted>(runner, ACQUIRE, params);
      const row = rows[0];
      if (row.app && row.platform) {
        if (row.fits) {
          held.push(first[0], first[1]);
          return granted(row.announced === true);
        }
        return this.overRate(row.waitUntil);
      }
      // A busy first slot: the rest are searched slot by slot (rare), then the rates consumed.
      if (row.platform && (row.app || limits.app.concurrency > 1)) held.push(first[1]);
      const app = row.app ? first[0] : await this.slot(runner, appName, limits.app.concurrency, first[0]);
      if (!app) {
        await release();
        return { ok: false, retryInMs: 200 + Math.random() * 300, reason: 'app concurrency' };
      }
      held.push(app);
      if (!row.platform) {
        const platform = await this.slot(runner, platformName, limits.platform.concurrency, first[1]);
        if (!platform) {
          await release();
          return { ok: false, retryInMs: 100 + Math.random() * 200, reason: 'platform concurrency' };
        }
        held.push(platform);
      }
      const rates = (await runner.query(RATES, [limits.app.perSecond, limits.platform.perSecond, rateKeys, Date.now()])) as Array<{
        fits: boolean;
        waitUntil: string;
      }>;
      if (rates[0].fits) return granted(false);
      await release();
      return this.overRate(rates[0].waitUntil);
    } catch (err) {
      await release();
      throw err;
    }
  }

  private overRate(waitUntil: string): LimitGrant {
    const msBeforeNext = Math.max(0, Number(waitUntil) - Date.now());
    return { ok: false, retryInMs: msBeforeNext + Math.random() * 50, reason: 'rate' };
  }

  /** The first free slot of `name`, skipping the one already tried. */
  private async slot(runner: QueryRunner, name: string, slots: number, tried: string): Promise<string | null> {
    const start = Math.floor(Math.random() * slots);
    for (let i = 0; i < slots; i++) {
      const key = slotKey(name, (start + i) % slots);
      if (key === tried) continue;
      const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])) as Array<{ ok: boolean }>;
      if (rows[0]?.ok) return key;
    }
    return null;
  }
}
