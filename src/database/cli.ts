import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { createScratchDatabase, scratchServer } from './scratch-database.js';

// Migration commands (npm run migration:*). `run`/`revert` act on the configured database
// (DATABASE_URL, or the embedded one in DATA_DIR); `generate`/`check` compare the entities with
// the migrations on a scratch database so they never touch real data.
async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  if (command === 'run' || command === 'revert') {
    const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, console.log);
    const ds = new DataSource(dataSourceOptions(config.DATABASE_URL ?? embedded!.url, 2, false));
    await ds.initialize();
    try {
      if (command === 'run') {
        const applied = await ds.runMigrations({ transaction: 'each' });
        console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations');
      } else {
        await ds.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
      }
    } finally {
      await ds.destroy();
      await embedded?.stop();
    }
    return 0;
  }
  if (command === 'generate' || command === 'check') {
    if (command === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
      console.error('usage: npm run migration:generate -- <PascalCaseWhatChanged>');
      return 2;
    }
    const server = await scratchServer(config.DATABASE_URL);
    const scratch = await createScratchDatabase(server.url, 'gw_migrations');
    const ds = new DataSource(dataSourceOptions(scratch.url, 2, false));
    try {
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      const sql = await ds.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) {
        console.log('entities and migrations agree');
        return 0;
      }
      if (command === 'check') {
        console.error('entities and migrations differ; run `npm run migration:generate -- <Name>`:');
        for (const q of sql.upQueries) console.error(`  ${q.query}`);
        return 1;
      }
      const timestamp = Date.now();
      const file = join(process.cwd(), 'src/database/migrations', `${timestamp}-${name}.ts`);
      await writeFile(
        file,
        template(
          `${name}${timestamp}`,
          sql.upQueries.map((q) => q.query),
          sql.downQueries.map((q) => q.query).reverse(),
        ),
      );
      console.log(`wrote ${file}; add it to src/database/migrations/index.ts`);
      return 0;
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await scratch.drop();
      await server.stop();
    }
  }
  console.error('usage: cli.js run | revert | generate <Name> | check');
  return 2;
}

function template(className: string, up: string[], down: string[]): string {
  const lines = (qs: string[]) => qs.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
