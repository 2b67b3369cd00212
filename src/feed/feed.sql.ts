// The feed's read statements: plain SQL on the pool, rows aliased to the model's property names.
// The feed is a read-only projection over the catalog, the host bindings, the submissions and the
// listing events, so each page is one statement (and its host states one more), whatever its size.

export const LISTING_COLUMNS =
  'm.id, m.organization_id AS "organizationId", m.name, m.short_name AS "shortName", m.slogan, m.description, m.category, m.keywords, m.icon, ' +
  'm.privacy_policy_url AS "privacyPolicyUrl", m.syndicated, m.archived_at IS NOT NULL AS archived, m.created_at AS "createdAt", m.updated_at AS "updatedAt"';

/**
 * The state on each host of the given mini-programs ($1, uuid[]): each active binding with its
 * latest submission and the time of its latest listing event, ordered by program then host.
 */
export const HOST_STATES = `SELECT b.mini_program_id AS "miniProgramId", b.host, b.host_app_id AS "hostAppId", b.live_version AS "liveVersion",
  b.gray_version AS "grayVersion", b.gray_percentage AS "grayPercentage", b.visibility, s.stage AS "reviewStage", s.version AS "reviewVersion",
  GREATEST(b.created_at, e.created_at) AS "lastChangedAt"
FROM host_bindings b
LEFT JOIN LATERAL (SELECT s.stage, s.version FROM submissions s WHERE s.binding_id = b.id ORDER BY s.created_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT e.created_at FROM listing_events e WHERE e.mini_program_id = b.mini_program_id AND e.binding_id = b.id ORDER BY e.seq DESC LIMIT 1) e ON true
WHERE b.mini_program_id = ANY($1::uuid[]) AND b.disconnected_at IS NULL
ORDER BY b.mini_program_id, b.host`;

/**
 * Changes after a position ($1 txId, $2 seq), ordered by (tx_id, seq), limited to events whose
 * writing transaction is below the oldest one still in flight: every transaction that could
 * still commit an event has an id at or above that horizon, so it lands after every position
 * handed out. `%SCOPE%` is FeedScope's predicate over `m`; $3 is the limit.
 */
export const CHANGES = `SELECT e.seq::text AS seq, e.tx_id::text AS "txId", e.mini_program_id AS "listingId", e.host, e.type, e.from_stage AS "fromStage",
  e.to_stage AS "toStage", e.created_at AS "occurredAt"
FROM listing_events e JOIN mini_programs m ON m.id = e.mini_program_id
WHERE (e.tx_id, e.seq) > ($1::bigint, $2::bigint) AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint AND %SCOPE%
ORDER BY e.tx_id, e.seq LIMIT $3`;
