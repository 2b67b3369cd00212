// Throughput of the catalog list (a keyset page of 20 out of BENCH_ROWS rows) over HTTP, from
// BENCH_CONNECTIONS concurrent loopback clients for BENCH_SECONDS. Run: `npm run bench:catalog`
// (uses DATABASE_URL when set, else an embedded PostgreSQL). Results go to docs/benchmarks.md.
import { request } from 'undici';
import pg from 'pg';
import { createGatewayApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/load-config.js';
import { createScratchDatabase, scratchServer } from '../src/database/scratch-database.js';
import { createRootLogger } from '../src/logging/logger.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function main() {
  const server = await scratchServer(process.env.DATABASE_URL);
  const db = await createScratchDatabase(server.url, 'gw_bench');
  const operatorKey = 'bench-operator-key-000000000001';
  // One key sends every request: the per-key rate limit is off so it measures the read path.
  const config = loadConfig({
    DATABASE_URL: db.url,
    GATEWAY_ADMIN_KEY: operatorKey,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SECRETS_KEY: 'a'.repeat(64),
    RATE_LIMIT_REQUESTS: '0',
  });
  const gw = await createGatewayApp(config, createRootLogger('warn'));
  await gw.app.listen(0, '127.0.0.1');
  const { port } = gw.app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    const gql = async (query: string, key: string) => {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      return (await res.body.json()) as any;
    };
    const org = (await gql('mutation { createOrganization(input: { name: "bench" }) { id } }', operatorKey)).data.createOrganization.id;
    const key = (await gql(`mutation { createApiKey(input: { organizationId: "${org}", name: "b", scopes: [CATALOG_READ] }) { plainKey } }`, operatorKey)).data
      .createApiKey.plainKey;

    // Bulk rows straight in SQL: the benchmark measures reads, not 100k GraphQL inserts.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `INSERT INTO mini_programs (organization_id, slug, name, description, category, created_at)
       SELECT $1, 'app-' || g, 'App ' || g, 'Generated for the benchmark', 'tools.utility', now() - (g || ' milliseconds')::interval
       FROM generate_series(1, $2) g`,
      [org, ROWS],
    );
    await client.query('ANALYZE mini_programs');
    await client.end();

    const query = JSON.stringify({ query: '{ miniPrograms(first: 20) { edges { cursor node { id slug name } } pageInfo { endCursor hasNextPage } } }' });
    const deadline = Date.now() + SECONDS * 1000;
    let done = 0;
    let failed = 0;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < deadline) {
          const t0 = performance.now();
          const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: query });
          const body = (await res.body.json()) as any;
          latencies.push(performance.now() - t0);
          if (res.statusCode === 200 && body.data?.miniPrograms.edges.length === 20) done++;
          else failed++;
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(
      JSON.stringify({
        rows: ROWS,
        seconds: SECONDS,
        connections: CONNECTIONS,
        requests: done,
        failed,
        rps: Math.round(done / SECONDS),
        p50ms: pct(50),
        p99ms: pct(99),
      }),
    );
  } finally {
    await gw.close();
    await db.drop();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
