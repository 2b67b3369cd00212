import 'reflect-metadata';
const root = '/work/wt/readpath/dist-bench/';
const { createGatewayApp } = await import(root + 'src/app.factory.js');
const { loadConfig } = await import(root + 'src/config/load-config.js');
const { createRootLogger } = await import(root + 'src/logging/logger.js');
const { createScratchDatabase } = await import(root + 'src/database/scratch-database.js');
const { seedCatalog } = await import(root + 'bench/seed.js');
const { DataSource } = await import('typeorm');
const { dataSourceOptions } = await import(root + 'src/database/data-source-options.js');
const db = await createScratchDatabase('postgres://postgres@127.0.0.1:5432/test', 'gw_bench_rp');
try {
  const ds = new DataSource(dataSourceOptions(db.url, 1, false)); await ds.initialize(); await ds.runMigrations(); await ds.destroy();
  const seeded = await seedCatalog(db.url, { rows: 2000, versionsPerProgram: 1 });
  const config = loadConfig({ DATABASE_URL: db.url, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOSTS_MODE: 'off', SECRETS_KEY: 'a'.repeat(64) });
  const gw = await createGatewayApp(config, createRootLogger('warn'));
  await gw.app.init();
  const fastify = gw.app.getHttpAdapter().getInstance();
  await fastify.ready();
  const queries = {
    typename: '{ __typename }',
    categories: '{ categories { code } }',
    page1: '{ miniPrograms(first: 1) { edges { cursor node { id slug name category revision createdAt } } pageInfo { endCursor hasNextPage } } }',
    versions: '{ miniPrograms(first: 20) { edges { cursor node { id slug name versions(first: 3) { edges { cursor node { id version createdAt } } pageInfo { hasNextPage } } } } pageInfo { endCursor hasNextPage } } }',
    page20: '{ miniPrograms(first: 20) { edges { cursor node { id slug name category revision createdAt } } pageInfo { endCursor hasNextPage } } }',
  };
  const only = process.argv.slice(2);
  for (const [name, q] of Object.entries(queries)) {
    if (only.length && !only.includes(name)) continue;
    const payload = JSON.stringify({ query: q });
    const one = () => fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.apiKey}` }, payload });
    const r = await one(); if (r.statusCode !== 200 || r.body.includes('errors')) throw new Error(r.body);
    const run = async (n) => { let i = 0; await Promise.all(Array.from({ length: 10 }, async () => { while (i++ < n) await one(); })); };
    await run(3000);
    const c0 = process.cpuUsage(); const t0 = performance.now();
    await run(4000);
    const c = process.cpuUsage(c0); const t = performance.now() - t0;
    console.log(name.padEnd(10), ((c.user + c.system) / 4000).toFixed(0), 'µs CPU/request', (4000 / t * 1000).toFixed(0), 'req/s');
  }
  await gw.close();
} finally { await db.drop(); }
