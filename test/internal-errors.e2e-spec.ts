import pg from 'pg';
import { createProgram, newOrganization } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// A real internal error: the gateway's own scratch database loses a table under it, so the next
// catalog read fails inside PostgreSQL (`relation "mini_programs" does not exist`). Only this
// suite's databases are touched; each gateway gets its own.
const SECRETS_KEY = 'c'.repeat(64);
const INTERNAL_TEXT = /mini_programs|relation|does not exist|QueryFailed|SELECT|stack|node_modules|\.ts:\d/i;

async function breakCatalog(gw: TestGateway): Promise<void> {
  const client = new pg.Client({ connectionString: gw.databaseUrl });
  await client.connect();
  try {
    await client.query('DROP TABLE mini_programs CASCADE');
  } finally {
    await client.end();
  }
}

async function internalErrorOn(gw: TestGateway) {
  const org = await newOrganization(gw, ['CATALOG_WRITE']);
  await createProgram(gw, org.key);
  await breakCatalog(gw);
  return gw.gql(`{ miniPrograms(first: 5) { edges { node { id } } } }`, {}, org.key);
}

describe('internal errors', () => {
  const gateways: TestGateway[] = [];
  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
  });

  it('answer only "Internal server error" in production, without any internal text', async () => {
    const gw = await startTestGateway({ NODE_ENV: 'production', SECRETS_KEY });
    gateways.push(gw);
    const res = await internalErrorOn(gw);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      { message: 'Internal server error', path: ['miniPrograms'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(res.errors)).not.toMatch(INTERNAL_TEXT);
  });

  // The control: the same failure in development shows PostgreSQL's message, so the production
  // answer above is the formatter hiding it, not a failure that never happened.
  it('show the internal message in development', async () => {
    const gw = await startTestGateway({ NODE_ENV: 'development' });
    gateways.push(gw);
    const res = await internalErrorOn(gw);
    expect(res.errors).toEqual([
      expect.objectContaining({ message: 'relation "mini_programs" does not exist', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
  });
});
