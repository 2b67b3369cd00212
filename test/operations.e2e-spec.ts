import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { readFile } from 'node:fs/promises';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('operations', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('reports health with the database reachable and every migration applied', async () => {
    const res = await fetch(`${gw.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: { reachable: true, pendingMigrations: 0 } });
  });

  it('answers with a request id, echoing the one the caller sent', async () => {
    const own = await fetch(`${gw.baseUrl}/health`, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-abc-123');
    const generated = await fetch(`${gw.baseUrl}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves, to the landing page and to introspection, the very schema that schema.graphql holds and the linter checks', async () => {
    const res = await gw.gql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true }), {}, null);
    expect(res.errors).toBeUndefined();
    const served = printSchema(lexicographicSortSchema(buildClientSchema(res.data!)));
    const committed = (await readFile('schema.graphql', 'utf8')).replace(/^#.*\n\n/, '');
    expect(`${served}\n`).toBe(committed);
    expect(served).toContain('Reads. Every operation needs an API key');
  });

  it('does not leak internals in errors outside development', async () => {
    const res = await gw.gql(`{ miniProgram(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, 'x');
    expect(JSON.stringify(res.errors)).not.toMatch(/stack|SELECT|QueryFailed|node_modules/);
  });
});
