import pg from 'pg';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { createProgram, createVersion, errorOf, newOrganization, ok, type ScopeName } from './support/fixtures.js';
import { SqlRecorder } from './support/sql-recorder.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const VIEWER = `{ viewer { isOperator organization { id } } }`;
const KEYS = `query($o: ID!) { apiKeys(organizationId: $o) { id lastUsedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

// What one request's statements touch; background work (heartbeats, key-use flushes) is left out.
const KEY_LOOKUP = /\bFROM api_keys WHERE key_hash\b/;
const PROGRAM_READS = /\bFROM mini_programs\b/;
const VERSION_READS = /\bFROM versions\b/;

async function createKey(gw: TestGateway, organizationId: string, scopes: ScopeName[], asKey: string): Promise<{ id: string; plain: string }> {
  const res = await gw.gql(
    `mutation($o: ID!, $s: [Scope!]!) { createApiKey(input: { organizationId: $o, name: "read path", scopes: $s }) { plainKey apiKey { id } } }`,
    { o: organizationId, s: scopes },
    asKey,
  );
  const created = ok(res).createApiKey;
  return { id: created.apiKey.id, plain: created.plainKey };
}

/** The SQL a block of requests sends, recorded around it. */
async function recordSql(run: () => Promise<void>): Promise<SqlRecorder> {
  const sql = SqlRecorder.start();
  try {
    await run();
  } finally {
    sql.stop();
  }
  return sql;
}

describe('the read path, on two gateway instances sharing one database', () => {
  let a: TestGateway;
  let b: TestGateway;
  let db: pg.Client;
  beforeAll(async () => {
    a = await startTestGateway();
    b = await startTestGateway({}, { sameDatabaseAs: a });
    db = new pg.Client({ connectionString: a.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await b?.close();
    await a?.close();
  });

  const lastUsedInDatabase = async (keyId: string): Promise<Date | null> =>
    (await db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_keys WHERE id = $1', [keyId])).rows[0].last_used_at;

  describe('authentication', () => {
    it('serves a key it has resolved from memory: no key lookup for the next requests', async () => {
      const org = await newOrganization(a, ['CATALOG_READ']);
      expect(ok(await b.gql(VIEWER, {}, org.key)).viewer.organization.id).toBe(org.id);
      const sql = await recordSql(async () => {
        for (let i = 0; i < 3; i++) expect(ok(await b.gql(VIEWER, {}, org.key)).viewer.organization.id).toBe(org.id);
      });
      expect(sql.matching(KEY_LOOKUP)).toEqual([]);
    });

    it('refuses a revoked key at once on the instance that revoked it, and within one second on the other', async () => {
      const org = await newOrganization(a, ['ADMIN']);
      const reader = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      // Both instances hold the key in memory.
      expect(ok(await a.gql(VIEWER, {}, reader.plain)).viewer.organization.id).toBe(org.id);
      expect(ok(await b.gql(VIEWER, {}, reader.plain)).viewer.organization.id).toBe(org.id);

      ok(await a.gql(REVOKE, { id: reader.id }, org.key));
      expect(errorOf(await a.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED');
      await eventually(async () => expect(errorOf(await b.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED'), {
        timeoutMs: 1000,
        intervalMs: 10,
      });
      // And it stays refused on both.
      expect(errorOf(await b.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED');
      expect(errorOf(await a.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED');
    });

    it('refuses on every instance within one second a key revoked in SQL, or deleted with its organization', async () => {
      const org = await newOrganization(a, ['ADMIN']);
      const reader = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      for (const gw of [a, b]) expect(ok(await gw.gql(VIEWER, {}, reader.plain)).viewer.organization.id).toBe(org.id);
      for (const gw of [a, b]) expect(ok(await gw.gql(VIEWER, {}, org.key)).viewer.organization.id).toBe(org.id);

      // An operator's script, not the API.
      await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [reader.id]);
      for (const gw of [a, b])
        await eventually(async () => expect(errorOf(await gw.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED'), {
          timeoutMs: 1000,
          intervalMs: 10,
        });
      // Recording a use is not a change of the key: the admin key stays served from memory.
      await db.query('UPDATE api_keys SET last_used_at = now() WHERE organization_id = $1', [org.id]);
      const sql = await recordSql(async () => {
        for (const gw of [a, b]) expect(ok(await gw.gql(VIEWER, {}, org.key)).viewer.organization.id).toBe(org.id);
      });
      expect(sql.matching(KEY_LOOKUP)).toEqual([]);

      await db.query('DELETE FROM organizations WHERE id = $1', [org.id]);
      for (const gw of [a, b])
        await eventually(async () => expect(errorOf(await gw.gql(VIEWER, {}, org.key)).code).toBe('UNAUTHENTICATED'), {
          timeoutMs: 1000,
          intervalMs: 10,
        });
    });

    it('refuses a revoked key on an instance whose notification connection was cut, and trusts its memory again once reconnected', async () => {
      const org = await newOrganization(a, ['ADMIN']);
      const reader = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      expect(ok(await b.gql(VIEWER, {}, reader.plain)).viewer.organization.id).toBe(org.id);
      // Cut every instance's notification connection, then revoke while they reconnect.
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gateway-notifications'`,
      );
      ok(await a.gql(REVOKE, { id: reader.id }, org.key));
      await eventually(async () => expect(errorOf(await b.gql(VIEWER, {}, reader.plain)).code).toBe('UNAUTHENTICATED'), {
        timeoutMs: 1000,
        intervalMs: 10,
      });
      // Once the connection is back, keys are served from memory again.
      const other = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      await eventually(
        async () => {
          expect(ok(await b.gql(VIEWER, {}, other.plain)).viewer.organization.id).toBe(org.id);
          const sql = await recordSql(async () => {
            expect(ok(await b.gql(VIEWER, {}, other.plain)).viewer.organization.id).toBe(org.id);
          });
          expect(sql.matching(KEY_LOOKUP)).toEqual([]);
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
    });

    it('still records when a key was last used: shown at once, written to the database in a batch', async () => {
      const org = await newOrganization(a, ['ADMIN']);
      const reader = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      expect(await lastUsedInDatabase(reader.id)).toBeNull();
      const before = Date.now();
      ok(await a.gql(VIEWER, {}, reader.plain));
      // The instance that saw the use shows it before writing it...
      const listed = (ok(await a.gql(KEYS, { o: org.id }, org.key)).apiKeys as Array<{ id: string; lastUsedAt: string | null }>).find(
        (k) => k.id === reader.id,
      );
      expect(new Date(listed!.lastUsedAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
      // ...and writes it without any further request.
      const written = await eventually(async () => {
        const at = await lastUsedInDatabase(reader.id);
        expect(at).not.toBeNull();
        return at!;
      });
      expect(written.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });

    it('writes the last uses it holds when it shuts down', async () => {
      const org = await newOrganization(a, ['ADMIN']);
      const reader = await createKey(a, org.id, ['CATALOG_READ'], org.key);
      const c = await startTestGateway({}, { sameDatabaseAs: a });
      try {
        ok(await c.gql(VIEWER, {}, reader.plain));
      } finally {
        await c.close();
      }
      expect(await lastUsedInDatabase(reader.id)).not.toBeNull();
    });
  });

  describe('statements per request', () => {
    let key: string;
    let programIds: string[];
    beforeAll(async () => {
      const org = await newOrganization(a, ['CATALOG_READ', 'CATALOG_WRITE']);
      key = org.key;
      programIds = [];
      for (let p = 0; p < 3; p++) {
        const program = await createProgram(a, key);
        programIds.push(program.id);
        for (let v = 0; v < 3; v++) await createVersion(a, key, program.id, `1.${p}.${v}`);
      }
      // Warm: the key is in memory, so a request's statements are its own.
      ok(await b.gql(VIEWER, {}, key));
    });

    it('reads a page of mini-programs with the nested versions of the whole page in one statement each', async () => {
      let data: any;
      const sql = await recordSql(async () => {
        data = ok(
          await b.gql(
            `{ miniPrograms(first: 10) { edges { node { id versions(first: 2) { edges { node { version } } pageInfo { hasNextPage } } } } } }`,
            {},
            key,
          ),
        );
      });
      const edges = data.miniPrograms.edges as Array<{ node: { id: string; versions: any } }>;
      // Newest first, each program with its own two newest versions.
      expect(edges.map((e) => e.node.id)).toEqual([...programIds].reverse());
      edges.forEach((edge, i) => {
        const p = programIds.length - 1 - i;
        expect(edge.node.versions).toEqual({ edges: [{ node: { version: `1.${p}.2` } }, { node: { version: `1.${p}.1` } }], pageInfo: { hasNextPage: true } });
      });
      expect(sql.matching(PROGRAM_READS)).toHaveLength(1);
      expect(sql.matching(VERSION_READS)).toHaveLength(1);
      expect(sql.matching(KEY_LOOKUP)).toHaveLength(0);
    });

    it('counts the versions of a whole page in one more statement, only when totalCount is selected', async () => {
      let data: any;
      const sql = await recordSql(async () => {
        data = ok(await b.gql(`{ miniPrograms(first: 10) { edges { node { versions(first: 1) { totalCount } } } } }`, {}, key));
      });
      expect(data.miniPrograms.edges.map((e: any) => e.node.versions.totalCount)).toEqual([3, 3, 3]);
      expect(sql.matching(PROGRAM_READS)).toHaveLength(1);
      expect(sql.matching(VERSION_READS)).toHaveLength(2);
    });

    it('looks up one mini-program and its versions in one statement each', async () => {
      let data: any;
      const sql = await recordSql(async () => {
        data = ok(await b.gql(`query($id: ID!) { miniProgram(id: $id) { id versions { edges { node { version } } } } }`, { id: programIds[0] }, key));
      });
      expect(data.miniProgram.versions.edges.map((e: any) => e.node.version)).toEqual(['1.0.2', '1.0.1', '1.0.0']);
      expect(sql.matching(PROGRAM_READS)).toHaveLength(1);
      expect(sql.matching(VERSION_READS)).toHaveLength(1);
    });

    it('answers GET /health with one SELECT 1', async () => {
      const sql = await recordSql(async () => {
        const res = await fetch(`${b.baseUrl}/health`);
        expect(await res.json()).toEqual({ status: 'ok', database: { reachable: true, pendingMigrations: 0 } });
      });
      // No migration listing per call: the migration state is read once, at start.
      expect(sql.statements).toContain('SELECT 1');
      expect(sql.matching(/migrations/)).toEqual([]);
    });
  });
});
