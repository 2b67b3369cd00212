import { createProgram, createVersion, errorOf, newOrganization, ok, programInput } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Each input that used to give INTERNAL_SERVER_ERROR (with PostgreSQL's words in development)
// or was silently mangled, now a clear 4xx-class error naming what is wrong.

const CREATE = 'mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id name } }';
const CREATE_VERSION = 'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }';

async function raw(gw: TestGateway, init: { body: string; headers?: Record<string, string> }) {
  const res = await fetch(`${gw.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: init.body });
  return { status: res.status, body: (await res.json()) as { errors?: Array<{ message: string; extensions: Record<string, unknown> }> } };
}

describe('bad input', () => {
  let gw: TestGateway;
  let key: string;
  let programId: string;

  beforeAll(async () => {
    // Development mode: there, an unexpected error shows its own message, so PostgreSQL's text
    // would show if any of these still reached the database.
    gw = await startTestGateway({ NODE_ENV: 'development' });
    key = (await newOrganization(gw, ['ADMIN'])).key;
    programId = (await createProgram(gw, key)).id;
  });
  afterAll(async () => {
    await gw?.close();
  });

  const count = async () => ok(await gw.gql('{ miniPrograms { totalCount } }', {}, key)).miniPrograms.totalCount as number;

  it('refuses a NUL character in any string field and in ext JSON keys and values', async () => {
    expect(errorOf(await gw.gql(CREATE, { i: programInput({ name: 'Bak\u0000ery' }) }, key))).toEqual({
      code: 'BAD_USER_INPUT',
      message: expect.any(String),
      violations: [{ field: 'name', rule: 'noNulCharacter', message: 'name must not contain the NUL character (U+0000)' }],
    });
    expect(errorOf(await gw.gql(CREATE, { i: programInput({ keywords: ['ok', 'b\u0000d'] }) }, key)).violations).toEqual([
      { field: 'keywords.1', rule: 'noNulCharacter', message: 'keywords.1 must not contain the NUL character (U+0000)' },
    ]);
    const template = (extJson: unknown) => ({
      i: { miniProgramId: programId, version: '9.0.0', releaseNotes: 'n', artifact: { template: { templateId: '1', extJson } } },
    });
    expect(errorOf(await gw.gql(CREATE_VERSION, template({ theme: 'da\u0000rk' }), key)).violations).toEqual([
      {
        field: 'artifact.template.extJson.theme',
        rule: 'noNulCharacter',
        message: 'artifact.template.extJson.theme must not contain the NUL character (U+0000)',
      },
    ]);
    expect(errorOf(await gw.gql(CREATE_VERSION, template({ 'ke\u0000y': 1 }), key)).violations).toEqual([
      { field: 'artifact.template.extJson', rule: 'noNulCharacter', message: 'a key in artifact.template.extJson must not contain the NUL character (U+0000)' },
    ]);
    // In a document literal, too.
    expect(errorOf(await gw.gql(`{ miniPrograms(filter: { search: "a\\u0000" }) { totalCount } }`, {}, key)).violations).toEqual([
      { field: 'filter.search', rule: 'noNulCharacter', message: 'filter.search must not contain the NUL character (U+0000)' },
    ]);
  });

  it('refuses a lone UTF-16 surrogate instead of storing U+FFFD, and stores real emoji faithfully', async () => {
    const before = await count();
    expect(errorOf(await gw.gql(CREATE, { i: programInput({ name: 'Bakery \ud83d' }) }, key)).violations).toEqual([
      { field: 'name', rule: 'wellFormedUnicode', message: 'name contains a lone UTF-16 surrogate: send well-formed Unicode' },
    ]);
    expect(await count()).toBe(before);
    const created = ok(await gw.gql(CREATE, { i: programInput({ name: 'Bakery 🥐' }) }, key)).createMiniProgram;
    expect(created.name).toBe('Bakery 🥐');
    expect(ok(await gw.gql(`{ miniProgram(id: "${created.id}") { name } }`, {}, key)).miniProgram.name).toBe('Bakery 🥐');
  });

  it('refuses whitespace-only names and descriptions, on create and on update', async () => {
    expect(errorOf(await gw.gql(CREATE, { i: programInput({ name: '   ', description: '\t\n' }) }, key)).violations).toEqual([
      { field: 'description', rule: 'isNotBlank', message: 'description must not be blank (whitespace only)' },
      { field: 'name', rule: 'isNotBlank', message: 'name must not be blank (whitespace only)' },
    ]);
    const update = 'mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { name } }';
    expect(errorOf(await gw.gql(update, { i: { id: programId, revision: 1, hostOverrides: [{ host: 'BAIDU', name: ' ' }] } }, key)).violations).toEqual([
      { field: 'hostOverrides.0.name', rule: 'isNotBlank', message: 'hostOverrides.0.name must not be blank (whitespace only)' },
    ]);
  });

  it('refuses cursors of the right shape that hold a bad uuid or a date PostgreSQL cannot store', async () => {
    const cursor = (iso: string, id: string) => Buffer.from(JSON.stringify([iso, id])).toString('base64url');
    for (const after of [
      cursor('2026-01-01T00:00:00.000Z', '------------------------------------'),
      cursor('-100000-01-01T00:00:00.000Z', '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11'),
      cursor('+275760-09-13T00:00:00.000Z', '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11'),
    ]) {
      expect(errorOf(await gw.gql('query($a: String) { miniPrograms(after: $a) { totalCount } }', { a: after }, key))).toEqual({
        code: 'BAD_USER_INPUT',
        message: 'Invalid input: after: after is not a cursor returned by this API',
        violations: [{ field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' }],
      });
    }
  });

  it('refuses deeply nested JSON variables with a 400 instead of overflowing the stack', async () => {
    const depth = 50_000;
    const deep = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const variables = `{"i":{"miniProgramId":"${programId}","version":"9.1.0","releaseNotes":"n","artifact":{"template":{"templateId":"1","extJson":${deep}}}}}`;
    const res = await raw(gw, { body: `{"query":${JSON.stringify(CREATE_VERSION)},"variables":${variables}}`, headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: expect.stringContaining('JSONObject nests deeper than 20 levels'),
        locations: expect.any(Array),
        extensions: { code: 'BAD_USER_INPUT', status: 400 },
      },
    ]);
    // Deep nesting where the schema expects a list of strings, and in an unused variable.
    const keywords = '['.repeat(depth) + ']'.repeat(depth);
    const res2 = await raw(gw, {
      body: `{"query":${JSON.stringify(CREATE)},"variables":{"i":{"slug":"deep","name":"n","description":"d","category":"life.food","keywords":${keywords}},"unused":${deep}}}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res2.status).toBe(400);
    expect(res2.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    // And in the document itself.
    const literal = `mutation { createVersion(input: { miniProgramId: "${programId}", version: "9.2.0", releaseNotes: "n", artifact: { template: { templateId: "1", extJson: ${'{a:'.repeat(depth)}1${'}'.repeat(depth)} } } }) { id } }`;
    const res3 = await raw(gw, { body: JSON.stringify({ query: literal }), headers: { authorization: `Bearer ${key}` } });
    expect(res3.status).toBe(400);
    expect(res3.body.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a document with two operations and no operationName as bad input', async () => {
    const res = await raw(gw, {
      body: JSON.stringify({ query: 'query A { viewer { isOperator } } query B { categories { code } }' }),
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'BAD_USER_INPUT', status: 400 } },
    ]);
  });

  it('answers invalid JSON, an oversize body and oversize headers in the GraphQL error shape', async () => {
    const invalid = await raw(gw, { body: '{"query": "{ viewer { isOperator } }"', headers: { authorization: `Bearer ${key}` } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ errors: [{ message: expect.stringMatching(/JSON/), extensions: { code: 'BAD_USER_INPUT', status: 400 } }] });

    const big = await raw(gw, { body: JSON.stringify({ query: `{ viewer { isOperator } } #${'x'.repeat(2 * 1024 * 1024)}` }) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE', status: 413 } }] });

    const headers = await raw(gw, { body: '{}', headers: { 'x-padding': 'x'.repeat(100 * 1024) } });
    expect(headers.status).toBe(431);
    expect(headers.body).toEqual({ errors: [{ message: 'Request headers are too large', extensions: { code: 'HEADERS_TOO_LARGE', status: 431 } }] });

    const unknownRoute = await fetch(`${gw.baseUrl}/nothing-here`);
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND', status: 404 } }] });
  });

  it('says a malformed Authorization header is malformed, and a missing one is missing', async () => {
    const viewer = JSON.stringify({ query: '{ viewer { isOperator } }' });
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Token abc']) {
      const res = await raw(gw, { body: viewer, headers: { authorization } });
      expect(res.body.errors?.map((e) => [e.extensions.code, e.message])).toEqual([
        ['UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
      ]);
    }
    const missing = await raw(gw, { body: viewer });
    expect(missing.body.errors?.map((e) => e.message)).toEqual(['Missing API key: send Authorization: Bearer <key>']);
    const unknown = await raw(gw, { body: viewer, headers: { authorization: 'Bearer mpk_not_a_real_key' } });
    expect(unknown.body.errors?.map((e) => e.message)).toEqual(['Unknown or revoked API key']);
  });

  it('leaves the stored data as it was after all of this', async () => {
    const version = await createVersion(gw, key, programId, '1.2.3');
    expect(version.version).toBe('1.2.3');
    expect(ok(await gw.gql(`{ miniProgram(id: "${programId}") { name revision } }`, {}, key)).miniProgram).toEqual({ name: 'Corner Bakery', revision: 1 });
  });
});

describe('field suggestions', () => {
  it('are given where introspection is on, and left out in production', async () => {
    const dev = await startTestGateway();
    try {
      expect(errorOf(await dev.gql('{ viewr { isOperator } }')).message).toBe('Cannot query field "viewr" on type "Query". Did you mean "viewer"?');
    } finally {
      await dev.close();
    }
    const prod = await startTestGateway({ NODE_ENV: 'production', SECRETS_KEY: 'b'.repeat(64) });
    try {
      expect(errorOf(await prod.gql('{ viewr { isOperator } }'))).toEqual({
        code: 'GRAPHQL_VALIDATION_FAILED',
        message: 'Cannot query field "viewr" on type "Query".',
        violations: [],
      });
      expect(errorOf(await prod.gql('{ miniPrograms(frist: 3) { totalCount } }')).message).toBe('Unknown argument "frist" on field "Query.miniPrograms".');
    } finally {
      await prod.close();
    }
  });
});
