// The raw baseline: Node's `http` and a `pg` pool, nothing else. It answers the two benchmark
// queries with the same JSON the gateway returns, built from the same SQL statements the
// gateway sends (the runner compares both the answers and the statement texts). No auth, no
// GraphQL: it is the floor the gateway is measured against.
//   POST /page                 -> miniPrograms(first: 20) { edges { cursor node {...} } pageInfo {...} }
//   POST /page-with-versions   -> the same page, each node with versions(first: 3)
//   POST /feed?first=N         -> a partner's listings(first: N) { edges { cursor node { id name hosts {...} } } pageInfo {...} }
// Settings: DATABASE_URL, PORT, POOL_SIZE (default 10), ORGANIZATION_ID (whose rows to page).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 10) });
const organizationId = process.env.ORGANIZATION_ID ?? '';
const PAGE = 20;
const VERSIONS = 3;

// Written out here, character for character what the gateway sends (the runner compares them).
const PAGE_SQL =
  'SELECT m.id, m.organization_id AS "organizationId", m.slug, m.name, m.short_name AS "shortName", m.slogan, m.description, m.category, m.keywords, m.icon, ' +
  'm.service_phone AS "servicePhone", m.service_email AS "serviceEmail", m.privacy_policy_url AS "privacyPolicyUrl", m.host_overrides AS "hostOverrides", ' +
  'm.syndicated, m.archived_at AS "archivedAt", m.revision, m.created_at AS "createdAt", m.updated_at AS "updatedAt" ' +
  'FROM mini_programs m WHERE m.organization_id = $1 AND m.archived_at IS NULL ORDER BY m.created_at DESC, m.id DESC LIMIT $2';

const VERSIONS_SQL =
  'SELECT x.* FROM unnest($2::uuid[]) AS p(id) CROSS JOIN LATERAL (SELECT v.id, v.organization_id AS "organizationId", v.mini_program_id AS "miniProgramId", ' +
  'v.version, v.artifact, v.release_notes AS "releaseNotes", v.locked_at AS "lockedAt", v.created_at AS "createdAt", v.updated_at AS "updatedAt" FROM versions v ' +
  'WHERE v.organization_id = $1 AND v.mini_program_id = p.id ORDER BY v.created_at DESC, v.id DESC LIMIT $3) x';

// The feed's two statements (src/feed/feed.sql.ts, feed-scope.ts), written out the same way.
const FEED_PAGE_SQL =
  'SELECT m.id, m.organization_id AS "organizationId", m.name, m.short_name AS "shortName", m.slogan, m.description, m.category, m.keywords, m.icon, ' +
  'm.privacy_policy_url AS "privacyPolicyUrl", m.syndicated, m.archived_at IS NOT NULL AS archived, m.created_at AS "createdAt", m.updated_at AS "updatedAt" ' +
  'FROM mini_programs m WHERE (m.syndicated AND m.archived_at IS NULL AND EXISTS (SELECT 1 FROM host_bindings sb WHERE sb.mini_program_id = m.id ' +
  'AND sb.disconnected_at IS NULL AND (sb.live_version IS NOT NULL OR sb.gray_version IS NOT NULL))) ORDER BY m.created_at DESC, m.id DESC LIMIT $1';

const HOST_STATES_SQL = `SELECT b.mini_program_id AS "miniProgramId", b.host, b.host_app_id AS "hostAppId", b.live_version AS "liveVersion",
  b.gray_version AS "grayVersion", b.gray_percentage AS "grayPercentage", b.visibility, s.stage AS "reviewStage", s.version AS "reviewVersion",
  GREATEST(b.created_at, e.created_at) AS "lastChangedAt"
FROM host_bindings b
LEFT JOIN LATERAL (SELECT s.stage, s.version FROM submissions s WHERE s.binding_id = b.id ORDER BY s.created_at DESC LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT e.created_at FROM listing_events e WHERE e.mini_program_id = b.mini_program_id AND e.binding_id = b.id ORDER BY e.seq DESC LIMIT 1) e ON true
WHERE b.mini_program_id = ANY($1::uuid[]) AND b.disconnected_at IS NULL
ORDER BY b.mini_program_id, b.host`;

interface HostStateRow {
  miniProgramId: string;
  host: string;
  hostAppId: string;
  liveVersion: string | null;
  grayVersion: string | null;
  grayPercentage: number | null;
  reviewStage: string | null;
  lastChangedAt: Date;
}

async function feedPage(first: number): Promise<unknown> {
  const { rows } = await pool.query<{ id: string; name: string; createdAt: Date }>(FEED_PAGE_SQL, [first + 1]);
  const nodes = rows.slice(0, first);
  const states = new Map<string, HostStateRow[]>();
  if (nodes.length) {
    const found = await pool.query<HostStateRow>(HOST_STATES_SQL, [nodes.map((n) => n.id)]);
    for (const s of found.rows) {
      const list = states.get(s.miniProgramId) ?? [];
      list.push(s);
      states.set(s.miniProgramId, list);
    }
  }
  const edges = nodes.map((row) => ({
    cursor: cursor(row),
    node: {
      id: row.id,
      name: row.name,
      hosts: (states.get(row.id) ?? []).map((s) => ({
        host: s.host,
        hostAppId: s.hostAppId,
        liveVersion: s.liveVersion,
        grayVersion: s.grayVersion,
        grayPercentage: s.grayPercentage,
        reviewStage: s.reviewStage,
        lastChangedAt: s.lastChangedAt.toISOString(),
      })),
    },
  }));
  return { data: { listings: { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: rows.length > first } } } };
}

interface ProgramRow {
  id: string;
  slug: string;
  name: string;
  category: string;
  revision: number;
  createdAt: Date;
}

interface VersionRow {
  id: string;
  miniProgramId: string;
  version: string;
  createdAt: Date;
}

const cursor = (row: { createdAt: Date; id: string }) => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id]), 'utf8').toString('base64url');

async function page(withVersions: boolean): Promise<unknown> {
  const { rows } = await pool.query<ProgramRow>(PAGE_SQL, [organizationId, PAGE + 1]);
  const nodes = rows.slice(0, PAGE);
  const versionsByProgram = new Map<string, VersionRow[]>();
  if (withVersions && nodes.length) {
    const versions = await pool.query<VersionRow>(VERSIONS_SQL, [organizationId, nodes.map((n) => n.id), VERSIONS + 1]);
    for (const v of versions.rows) {
      const list = versionsByProgram.get(v.miniProgramId) ?? [];
      list.push(v);
      versionsByProgram.set(v.miniProgramId, list);
    }
  }
  const edges = nodes.map((row) => {
    const node: Record<string, unknown> = { id: row.id, slug: row.slug, name: row.name };
    if (withVersions) {
      const list = versionsByProgram.get(row.id) ?? [];
      node.versions = {
        edges: list.slice(0, VERSIONS).map((v) => ({ cursor: cursor(v), node: { id: v.id, version: v.version, createdAt: v.createdAt.toISOString() } })),
        pageInfo: { hasNextPage: list.length > VERSIONS },
      };
    } else {
      Object.assign(node, { category: row.category, revision: row.revision, createdAt: row.createdAt.toISOString() });
    }
    return { cursor: cursor(row), node };
  });
  return {
    data: { miniPrograms: { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: rows.length > PAGE } } },
  };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  // Read the whole body, as the gateway must, before answering.
  req.resume();
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://baseline');
    const route = url.pathname === '/page' ? false : url.pathname === '/page-with-versions' ? true : url.pathname === '/feed' ? 'feed' : null;
    if (route === null) {
      res.writeHead(404).end();
      return;
    }
    (route === 'feed' ? feedPage(Number(url.searchParams.get('first') ?? 20)) : page(route)).then(
      (body) => {
        const json = JSON.stringify(body);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : 'error');
      },
    );
  });
}

const server = createServer(handle);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(JSON.stringify({ msg: 'baseline listening', port: address.port }));
});
const stop = () => {
  server.close();
  void pool.end();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
