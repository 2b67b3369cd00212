import type pg from 'pg';
import type { Principal } from '../auth/principal.js';
import type { ChangePosition } from './change-cursor.js';
import { FeedScope } from './feed-scope.js';
import type { FeedChangeFilterInput } from './feed.inputs.js';
import type { FeedChangeModel } from './feed.models.js';

/** A change with its place in the feed. `changes` and `listingChanged` both read through here. */
export interface VisibleChange {
  position: ChangePosition;
  node: FeedChangeModel;
}

export interface VisibleBatch {
  changes: VisibleChange[];
  /**
   * Every event of a transaction older than this is final: positions below (horizon, 0) will
   * never see a new event, whatever commits later.
   */
  horizon: bigint;
  /**
   * Some committed event is still at or above the horizon: an older transaction in flight holds it
   * back, and it shows once that one ends, which notifies nobody. Only looked up with `askHeld`
   * (live subscriptions); false otherwise.
   */
  held: boolean;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The position just below every transaction that may still write: "from now on". */
export function positionBelow(horizon: bigint): ChangePosition {
  return { txId: horizon - 1n, seq: MAX_BIGINT };
}

/**
 * Changes after `after` in (transaction, sequence) order, only of transactions older than every
 * transaction still in flight (`pg_snapshot_xmin` of this statement's snapshot), of the listings
 * the caller may see that match the filter (FeedScope, on the listing as it is now). A transaction that commits late always has an
 * id at or above that horizon, so nothing can appear behind a position already read: a reader
 * that keeps its last position never misses a change and never sees one twice. One statement,
 * on the index (tx_id, seq). The one reading path of the feed's changes, polled or live, so both
 * give the same node for the same event.
 */
export async function readVisibleChanges(
  pool: Pick<pg.Pool, 'query'>,
  args: { after: ChangePosition; limit: number; principal: Principal; filter?: FeedChangeFilterInput | null; askHeld?: boolean },
): Promise<VisibleBatch> {
  const params: unknown[] = [String(args.after.txId), String(args.after.seq), args.limit];
  const where: string[] = [];
  // Which programs: the feed's one rule (FeedScope.predicate) and the `listings` filter's one
  // matcher (FeedScope.filter), both on the listing as it is now.
  const program = [FeedScope.predicate(args.principal, params, 'm'), ...FeedScope.filter(args.filter, params, 'm')];
  where.push(`EXISTS (SELECT 1 FROM mini_programs m WHERE m.id = e.mini_program_id AND ${program.join(' AND ')})`);
  const f = args.filter;
  if (f?.types?.length) {
    params.push(f.types);
    where.push(`e.type = ANY($${params.length}::text[])`);
  }
  if (f?.miniProgramIds?.length) {
    params.push(f.miniProgramIds);
    where.push(`e.mini_program_id = ANY($${params.length}::uuid[])`);
  }
  const { rows } = await pool.query<FeedChangeModel & { horizon: string; held: boolean; txId: string | null }>(
    `WITH x AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon),
          h AS (SELECT x.horizon, ${args.askHeld ? 'EXISTS (SELECT 1 FROM listing_events l WHERE l.tx_id >= x.horizon)' : 'false'} AS held FROM x)
     SELECT h.horizon, h.held, e.tx_id::text AS "txId", e.seq::text AS seq, e.mini_program_id AS "listingId", e.host, e.type,
            e.from_stage AS "fromStage", e.to_stage AS "toStage", e.created_at AS "occurredAt"
       FROM h LEFT JOIN LATERAL (
         SELECT * FROM listing_events e
          WHERE (e.tx_id, e.seq) > ($1::bigint, $2::bigint) AND e.tx_id < h.horizon${where.map((w) => ` AND ${w}`).join('')}
          ORDER BY e.tx_id, e.seq
          LIMIT $3
       ) e ON true`,
    params,
  );
  const horizon = BigInt(rows[0]?.horizon ?? '0');
  const changes = rows
    .filter((r) => r.txId !== null)
    // Field by field: object rest takes V8's slow generic path (see feed.service.ts).
    .map((r) => ({
      position: { txId: BigInt(r.txId!), seq: BigInt(r.seq) },
      node: { seq: r.seq, listingId: r.listingId, host: r.host, type: r.type, fromStage: r.fromStage, toStage: r.toStage, occurredAt: r.occurredAt },
    }));
  return { changes, horizon, held: rows[0]?.held === true };
}

/** The current horizon alone (where "from now on" starts). */
export async function currentHorizon(pool: Pick<pg.Pool, 'query'>): Promise<bigint> {
  const { rows } = await pool.query<{ horizon: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon');
  return BigInt(rows[0].horizon);
}
