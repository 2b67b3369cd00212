import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { createGatewayApp, type GatewayApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/load-config.js';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { createRootLogger } from '../src/logging/logger.js';

// A gateway on DATABASE_URL whose database goes away and comes back on the same address.
describe('database outage', () => {
  let dir: string;
  let port: number;
  let server: EmbeddedDatabase | null = null;
  let gateway: GatewayApp;
  let baseUrl: string;
  const operatorKey = `operator-${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-outage-'));
    await chmod(dir, 0o755);
    port = await freePort();
    server = await startEmbeddedPostgres(dir, () => undefined, { port });
    const config = loadConfig({ DATABASE_URL: server.url, GATEWAY_ADMIN_KEY: operatorKey, LOG_LEVEL: 'silent', NODE_ENV: 'test', DATABASE_POOL_SIZE: '3' });
    gateway = await createGatewayApp(config, createRootLogger('silent'));
    await gateway.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(gateway.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const health = async () => {
    const res = await fetch(`${baseUrl}/health`);
    return { status: res.status, body: (await res.json()) as { status: string } };
  };
  const gql = async (query: string) => {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorKey}` },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> };
  };

  it('reports unhealthy while the database is down, answers SERVICE_UNAVAILABLE, and recovers when it is back', async () => {
    const created = await gql('mutation { createOrganization(input: { name: "Survives an outage" }) { id } }');
    const orgId = created.data.createOrganization.id as string;
    expect((await health()).status).toBe(200);

    await server!.stop();
    server = null;
    await eventually(async () => expect(await health()).toEqual({ status: 503, body: expect.objectContaining({ status: 'unavailable' }) }), {
      timeoutMs: 20_000,
    });
    const down = await gql(`{ organization(id: "${orgId}") { name } }`);
    expect(down.errors?.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(down)).not.toMatch(/ECONNREFUSED|terminat|postgres/i);

    server = await startEmbeddedPostgres(dir, () => undefined, { port });
    await eventually(
      async () => {
        expect((await health()).status).toBe(200);
        expect((await gql(`{ organization(id: "${orgId}") { name } }`)).data).toEqual({ organization: { name: 'Survives an outage' } });
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  });
});
