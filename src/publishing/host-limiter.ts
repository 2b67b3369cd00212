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
/** Every slot of `name`, from a random one on, so concurrent steps do not all try slot 0 first. */
function slotsFromRandom(name: string, slots: number): string[] {
  const first = Math.floor(Math.random() * slots);
  return Array.from({ length: slots }, (_, i) => slotKey(name, (first + i) % slots));
}
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
 * The first free slot among `$n` (text[]: every slot of a limit, from a random one on), taken:
 * the rows are tried in order and the scan stops at the first lock it gets (at most one taken).
 */
const FIRST_FREE = (n: number) => `(SELECT k FROM unnest($${n}::text[]) AS k WHERE pg_try_advisory_lock(hashtextextended(k, 0)) LIMIT 1)`;

/**
 * A host call's limits in one statement: a free slot of the app ($1) and then of the host ($2),
 * each the first free one of its slots; with both, a point of both rates ($3) consumed; when a
 * slot is missing or a rate is over, what was taken freed again in the same statement ($5, $6:
 * the rates' limits per second, app then platform). `app`/`platform`: the slots held after it.
 */
const ACQUIRE = `WITH a AS MATERIALIZED (SELECT ${FIRST_FREE(1)} AS app),
  p AS MATERIALIZED (SELECT CASE WHEN (SELECT app FROM a) IS NOT NULL THEN ${FIRST_FREE(2)} END AS platform),
  s AS MATERIALIZED (SELECT a.app, p.platform FROM a, p),
  r AS (${RATE_UPSERT('(SELECT app IS NOT NULL AND platform IS NOT NULL FROM s)')}),
  x AS (SELECT COALESCE(bool_and(points <= CASE WHEN key = ($3::text[])[1] THEN $5::int ELSE $6::int END), true) AS fits,
          COALESCE(max(CASE WHEN points > CASE WHEN key = ($3::text[])[1] THEN $5::int ELSE $6::int END THEN expire END), 0) AS wait_until FROM r),
  f AS MATERIALIZED (SELECT
    CASE WHEN s.app IS NOT NULL AND (s.platform IS NULL OR NOT x.fits) THEN pg_advisory_unlock(hashtextextended(s.app, 0)) END AS app_freed,
    CASE WHEN s.platform IS NOT NULL AND NOT x.fits THEN pg_advisory_unlock(hashtextextended(s.platform, 0)) END AS platform_freed
    FROM s, x)
  SELECT CASE WHEN f.app_freed IS NULL THEN s.app END AS app, CASE WHEN f.platform_freed IS NULL THEN s.platform END AS platform,
    s.app IS NOT NULL AS "appFree", s.platform IS NOT NULL AS "platformFree", x.fits, x.wait_until::text AS "waitUntil"
  FROM s, x, f`;

/**
 * ACQUIRE that also announces a submission's host call: when the slots and rates are granted, the
 * submission's intent ($7, JSON) is written in the same statement ($8: the submission's id).
 */
const ACQUIRE_AND_ANNOUNCE = ACQUIRE.replace(
  '\n  SELECT CASE WHEN f.app_freed',
  `,
  w AS (UPDATE submissions SET intent = $7::jsonb, updated_at = now()
    WHERE id = $8::uuid AND (SELECT app IS NOT NULL AND platform IS NOT NULL FROM s) AND (SELECT fits FROM x) RETURNING id)
  SELECT (SELECT count(*) FROM w) > 0 AS announced, CASE WHEN f.app_freed`,
);

/**
 * Per-host and per-host-app limits on host calls, shared by every gateway process: concurrency
 * as PostgreSQL advisory-lock slots taken on the step's own connection (a killed worker's slots
 * free themselves with its connection), rate as counters per second in PostgreSQL
 * (host_call_rates). Over a limit, the step is put back to run later; it is never failed for it.
 * One statement per host call, slots and rates included, whichever slots are free.
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
    const rateKeys = [`rate:app:${host}:${hostAppId}`, `rate:platform:${host}`];
    const params = [
      slotsFromRandom(`app:${host}:${hostAppId}`, limits.app.concurrency),
      slotsFromRandom(`platform:${host}`, limits.platform.concurrency),
      rateKeys,
      Date.now(),
      limits.app.perSecond,
      limits.platform.perSecond,
    ];
    type Acquired = {
      announced?: boolean;
      app: string | null;
      platform: string | null;
      appFree: boolean;
      platformFree: boolean;
      fits: boolean;
      waitUntil: string;
    };
    const rows = announce
      ? await runPrepared<Acquired>(runner, ACQUIRE_AND_ANNOUNCE, [...params, JSON.stringify(announce.intent), announce.submissionId])
      : await runPrepared<Acquired>(runner, ACQUIRE, params);
    const row = rows[0];
    if (!row.appFree) return { ok: false, retryInMs: 200 + Math.random() * 300, reason: 'app concurrency' };
    if (!row.platformFree) return { ok: false, retryInMs: 100 + Math.random() * 200, reason: 'platform concurrency' };
    if (!row.fits || !row.app || !row.platform) return this.overRate(row.waitUntil);
    held.push(row.app, row.platform);
    return { ok: true, release, handOver: () => held.splice(0), announced: row.announced === true };
  }

  private overRate(waitUntil: string): LimitGrant {
    const msBeforeNext = Math.max(0, Number(waitUntil) - Date.now());
    return { ok: false, retryInMs: msBeforeNext + Math.random() * 50, reason: 'rate' };
  }
}
