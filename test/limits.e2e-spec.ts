import { jest } from '@jest/globals';
import pg from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { createProgram, errorOf, newOrganization, ok } from './support/fixtures.js';
import { captureLogs } from './support/log-capture.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// The issue's request: 2,000 aliases, each a page of 100 mini-programs with a page of 100
// versions each. Before the limits it ran 210 s, took 3.75 GB and blocked /health.
const ISSUE_ALIAS = (i: number) => `a${i}: miniPrograms(first: 100) { totalCount edges { node { versions(first: 100) { totalCount } } } }`;

async function post(gw: TestGateway, body: unknown, key: string | null) {
  const res = await fetch(`${gw.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: Record<string, any> }> },
  };
}

describe('query limits', () => {
  let gw: TestGateway;
  let key: string;
  let programId: string;
  const logs = captureLogs();

  beforeAll(async () => {
    gw = await startTestGateway({ LOG_LEVEL: 'debug' }, { logTo: logs.stream });
    key = (await newOrganization(gw, ['ADMIN'])).key;
    programId = (await createProgram(gw, key)).id;
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("refuses the issue's 2,000-alias request before any resolver or SQL runs, and keeps answering", async () => {
    const document = `{ ${Array.from({ length: 2000 }, (_, i) => ISSUE_ALIAS(i)).join(' ')} }`;
    expect(document.length).toBeGreaterThan(200_000);
    const sql = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    let res: Awaited<ReturnType<typeof post>>;
    try {
      res = await post(gw, { query: document }, key);
    } finally {
      sql.mockRestore();
    }
    expect(res.status).toBe(400);
    expect(res.body).not.toHaveProperty('data'); // nothing was executed
    expect(res.body.errors).toEqual([{ message: expect.stringMatching(/more than 2000 tokens/), extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 } }]);
    // No statement reached the database: no API-key lookup, no page, no count.
    expect(sql).not.toHaveBeenCalled();
    // Still answering, at once.
    const health = await fetch(`${gw.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(ok(await gw.gql('{ viewer { isOperator } }', {}, key))).toEqual({ viewer: { isOperator: false } });
  });

  it('refuses fewer aliases of it, within the token limit, by the alias limit, and one alias of it by its cost', async () => {
    const loose = await startTestGateway({ QUERY_MAX_TOKENS: '3000' });
    try {
      const looseKey = (await newOrganization(loose, ['CATALOG_READ'])).key;
      const hundred = await post(loose, { query: `{ ${Array.from({ length: 100 }, (_, i) => ISSUE_ALIAS(i)).join(' ')} }` }, looseKey);
      expect(hundred.status).toBe(400);
      expect(hundred.body.errors).toEqual([{ message: 'Aliases limit of 20 exceeded, found 100.', extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 } }]);
      const one = await post(loose, { query: `{ ${ISSUE_ALIAS(0)} }` }, looseKey);
      expect(one.status).toBe(400);
      expect(one.body.errors).toEqual([
        { message: expect.stringMatching(/^This operation costs 10401, more than the 5000 allowed/), extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 } },
      ]);
    } finally {
      await loose.close();
    }
  });

  it('counts page sizes passed in variables, and lets the README listing through', async () => {
    const nested = await post(
      gw,
      { query: 'query($n: Int!) { miniPrograms(first: $n) { edges { node { versions(first: $n) { totalCount } } } } }', variables: { n: 100 } },
      key,
    );
    expect(nested.body.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const small = await post(
      gw,
      { query: 'query($n: Int!) { miniPrograms(first: $n) { edges { node { versions(first: $n) { totalCount } } } } }', variables: { n: 5 } },
      key,
    );
    expect(small.body.errors).toBeUndefined();
    const readme = await gw.gql(
      '{ miniPrograms(first: 10) { totalCount edges { cursor node { slug name revision versions { edges { node { id version } } } } } } }',
      {},
      key,
    );
    expect(ok(readme).miniPrograms.totalCount).toBe(1);
  });

  it('refuses too deep a selection, and more aliases than allowed', async () => {
    const deep = await post(gw, { query: '{ a: viewer { b: organization { id } } }' }, key);
    expect(deep.body.errors).toBeUndefined();
    const aliases = await post(gw, { query: `{ ${Array.from({ length: 21 }, (_, i) => `v${i}: viewer { isOperator }`).join(' ')} }` }, key);
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors?.[0]).toEqual({ message: 'Aliases limit of 20 exceeded, found 21.', extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 } });
    const shallow = await startTestGateway({ QUERY_MAX_DEPTH: '3' });
    try {
      const k = (await newOrganization(shallow, ['CATALOG_READ'])).key;
      const tooDeep = await post(shallow, { query: '{ miniPrograms { edges { node { versions { edges { node { id } } } } } } }' }, k);
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.body.errors?.[0]).toEqual({
        message: expect.stringMatching(/^Query depth limit of 3 exceeded, found \d+\.$/),
        extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 },
      });
    } finally {
      await shallow.close();
    }
  });

  it('does not count introspection against the depth limit', async () => {
    const res = await post(gw, { query: '{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }' }, key);
    expect(res.body.errors).toBeUndefined();
  });

  it('keeps a mini-program readable by its id under all of this', async () => {
    expect(ok(await gw.gql(`{ miniProgram(id: "${programId}") { id } }`, {}, key)).miniProgram.id).toBe(programId);
  });
});

describe('rate limit', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_REQUESTS: '4', RATE_LIMIT_WINDOW_SECONDS: '600' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers RATE_LIMITED with a retry time once a key has used its operations, and counts each key on its own', async () => {
    const org = await newOrganization(gw, ['ADMIN']); // two operations of the operator key
    const other = await newOrganization(gw, ['ADMIN']); // two more: the operator key is now at its limit
    for (let i = 0; i < 4; i++) ok(await gw.gql('{ viewer { isOperator } }', {}, org.key));
    const limited = await post(gw, { query: '{ viewer { isOperator } }' }, org.key);
    expect(limited.status).toBe(429);
    expect(limited.body).not.toHaveProperty('data');
    const [error] = limited.body.errors!;
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: expect.any(Number) });
    expect(error.extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(limited.headers.get('retry-after')).toBe(String(error.extensions.retryAfterSeconds));
    // Another organization's key has its own count.
    expect(ok(await gw.gql('{ viewer { isOperator } }', {}, other.key))).toEqual({ viewer: { isOperator: false } });
    expect(errorOf(await gw.gql('{ viewer { isOperator } }', {}, gw.operatorKey)).code).toBe('RATE_LIMITED');
  });

  it('counts calls without a valid key by client address', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(errorOf(await gw.gql('{ viewer { isOperator } }', {}, `not-a-key-${i}`)).code);
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});

describe('request deadline', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers DEADLINE_EXCEEDED when a query is still waiting at its deadline, and the next query works', async () => {
    const { key } = await newOrganization(gw, ['CATALOG_READ']);
    const locker = new pg.Client({ connectionString: gw.databaseUrl });
    await locker.connect();
    // Holding this lock makes every read of mini_programs wait. It is let go after 20 s at the
    // latest, so without a deadline the query below would come back with data and fail the test.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE mini_programs IN ACCESS EXCLUSIVE MODE');
    const release = setTimeout(() => void locker.query('ROLLBACK'), 20_000);
    try {
      const res = await gw.gql('{ miniPrograms { totalCount edges { node { id } } } }', {}, key);
      expect(errorOf(res)).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    } finally {
      clearTimeout(release);
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(ok(await gw.gql('{ miniPrograms { totalCount } }', {}, key)).miniPrograms.totalCount).toBe(0);
  });
});
