import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createRootLogger, PinoNestLogger } from './logging/logger.js';
import { WorkerModule } from './worker.module.js';

// `npm run worker`: a process that runs the workers only (no HTTP API), on the gateway's database.
// Start as many as the load needs; they share the work through PostgreSQL.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, WORKERS: 'true' });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  if (!config.DATABASE_URL) {
    console.error('npm run worker needs DATABASE_URL: workers share the database of the gateway instances');
    process.exit(1);
  }
  const logger = createRootLogger(config.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, config.DATABASE_URL), { logger: new PinoNestLogger(logger) });
  app.enableShutdownHooks();
  await app.init();
  logger.info({ concurrency: config.WORKER_CONCURRENCY, pid: process.pid }, 'worker running');
}

main().catch((err: unknown) => {
  console.error(`worker failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
