import type pg from 'pg';
import type { Principal } from '../auth/principal.js';
import type { ListingEventModelShape } from '../events/events.service.js';
import { FeedScope } from '../feed/feed-scope.js';
import type { ChangePosition } from './change-cursor.js';
import type { ListingChangeFilterInput } from './listing-change.models.js';

export interface VisibleEvent {
  position: ChangePosition;
  event: ListingEventModelShape;
}

export interface VisibleBatch {
  events: VisibleEvent[];
  /**
   * Every event of a transaction older than this is final: positions below (horizon, 0) will
   * never see a new event, whatever commits later.
   */
  horizon: bigint;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The position just below every transaction that may still write: "from now on". */
export function positionBelow(horizon: bigint): ChangePosition {
  return { txId: horizon - 1n, seq: MAX_BIGINT };
}

/**
 * Events after `after` in (transaction, sequence) order, only of transactions older than every
 * transaction still in flight (`pg_snapshot_xmin` of this statement's snapshot). A transaction
 * that commits late always has an id at or above that horizon, so nothing can appear behind a
 * position already read: a reader that keeps its last position never misses an event and never
 * sees one twice. One statement, on the index (tx_id, seq).
 */
export async function readVisibleEvents(
  pool: Pick<pg.Pool, 'query'>,
  args: { after: ChangePosition; limit: number; principal: Principal; filter?: ListingChangeFilterInput | null },
): Promise<VisibleBatch> {
  const params: unknown[] = [String(args.after.txId), String(args.after.seq), args.limit];
  const where: string[] = [];
  // Which programs the caller may see: the feed's one rule (src/feed/feed-scope.ts).
  where.push(`EXISTS (SELECT 1 FROM mini_programs m WHERE m.id = e.mini_program_id AND ${FeedScope.predicate(args.principal, params, 'm')})`);
  const f = args.filter;
  if (f?.hosts?.length) {
    params.push(f.hosts);
    where.push(`e.host = ANY($${params.length}::text[])`);
  }
  if (f?.types?.length) {
    params.push(f.types);
    where.push(`e.type = ANY($${params.length}::text[])`);
  }
  if (f?.miniProgramIds?.length) {
    params.push(f.miniProgramIds);
    where.push(`e.mini_program_id = ANY($${params.length}::uuid[])`);
  }
  const withEvidence = FeedScope.isOwner(args.principal);
  const { rows } = await pool.query<{
    horizon: string;
    seq: string | null;
    tx_id: string | null;
    mini_program_id: string;
    binding_id: string | null;
    submission_id: string | null;
    host: string;
    type: string;
    from_stage: string | null;
    to_stage: string | null;
    native_status: string | null;
    evidence: Record<string, unknown> | null;
    created_at: Date;
  }>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon)
     SELECT h.horizon, e.seq, e.tx_id, e.mini_program_id, e.binding_id, e.submission_id, e.host, e.type, e.from_stage, e.to_stage,
            e.native_status, ${withEvidence ? 'e.evidence' : 'NULL::jsonb AS evidence'}, e.created_at
       FROM h LEFT JOIN LATERAL (
         SELECT * FROM listing_events e
          WHERE (e.tx_id, e.seq) > ($1::bigint, $2::bigint) AND e.tx_id < h.horizon${where.map((w) => ` AND ${w}`).join('')}
          ORDER BY e.tx_id, e.seq
          LIMIT $3
       ) e ON true`,
    params,
  );
  const horizon = BigInt(rows[0]?.horizon ?? '0');
  const events = rows
    .filter((r) => r.seq !== null)
    .map((r) => ({
      position: { txId: BigInt(r.tx_id!), seq: BigInt(r.seq!) },
      event: {
        seq: String(r.seq),
        miniProgramId: r.mini_program_id,
        bindingId: r.binding_id,
        submissionId: r.submission_id,
        host: r.host,
        type: r.type,
        fromStage: r.from_stage,
        toStage: r.to_stage,
        nativeStatus: r.native_status,
        evidence: r.evidence ?? {},
        createdAt: r.created_at,
      },
    }));
  return { events, horizon };
}

/** The current horizon alone (where "from now on" starts). */
export async function currentHorizon(pool: Pick<pg.Pool, 'query'>): Promise<bigint> {
  const { rows } = await pool.query<{ horizon: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon');
  return BigInt(rows[0].horizon);
}
