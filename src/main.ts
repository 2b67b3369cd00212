import 'reflect-metadata';
import { createGatewayApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createRootLogger } from './logging/logger.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createRootLogger(config.LOG_LEVEL);
  const gateway = await createGatewayApp(config, logger);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  try {
    await gateway.app.listen(config.PORT, config.HOST);
  } catch (err) {
    await gateway.close().catch(() => undefined);
    throw err;
  }
  const address = gateway.app.getHttpServer().address() as { port: number };
  await gateway.listening(`http://${config.HOST}:${address.port}`);
  logger.info({ url: `http://${config.HOST}:${address.port}/graphql`, database: config.DATABASE_URL ? 'DATABASE_URL' : 'embedded' }, 'gateway listening');
}

bootstrap().catch((err: unknown) => {
  console.error(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
