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
