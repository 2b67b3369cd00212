const root = '/work/wt/readpath/dist-bench/';
const { createScratchDatabase } = await import(root + 'src/database/scratch-database.js');
const { seedCatalog } = await import(root + 'bench/seed.js');
const { DataSource } = await import('typeorm');
const { dataSourceOptions } = await import(root + 'src/database/data-source-options.js');
const db = await createScratchDatabase('postgres://postgres@127.0.0.1:5432/test', 'gw_bench_seed');
try {
  const ds = new DataSource(dataSourceOptions(db.url, 1, false)); await ds.initialize(); await ds.runMigrations();
  const before = await ds.query(`SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' ORDER BY 3`);
  const consBefore = await ds.query(`SELECT conname, pg_get_constraintdef(oid) d FROM pg_constraint WHERE connamespace='public'::regnamespace ORDER BY 1`);
  await ds.destroy();
  const seeded = await seedCatalog(db.url, { rows: Number(process.argv[2] ?? 100000), versionsPerProgram: 2 });
  console.log('seeded', seeded.rows, seeded.versions, seeded.seconds.toFixed(1), 's');
  const ds2 = new DataSource(dataSourceOptions(db.url, 1, false)); await ds2.initialize();
  const after = await ds2.query(`SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' ORDER BY 3`);
  const consAfter = await ds2.query(`SELECT conname, pg_get_constraintdef(oid) d FROM pg_constraint WHERE connamespace='public'::regnamespace ORDER BY 1`);
  console.log('indexes same:', JSON.stringify(before) === JSON.stringify(after), 'constraints same:', JSON.stringify(consBefore) === JSON.stringify(consAfter));
  const drift = await ds2.driver.createSchemaBuilder().log(); console.log('schema drift statements:', drift.upQueries.length);
  await ds2.destroy();
} finally { await db.drop(); }
