import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { clientErrorHandler } from './common/http-errors.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { PinoNestLogger } from './logging/logger.js';

export interface GatewayApp {
  app: NestFastifyApplication;
  /** Closes the app, then the embedded PostgreSQL if this process started one. */
  close(): Promise<void>;
}

export async function createGatewayApp(config: GatewayConfig, logger: Logger): Promise<GatewayApp> {
  let embedded: EmbeddedDatabase | null = null;
  if (!config.DATABASE_URL) embedded = await startEmbeddedPostgres(config.DATA_DIR, (msg) => logger.info(msg), { keepAlive: true });
  try {
    const adapter = new FastifyAdapter({
      loggerInstance: logger,
      requestIdHeader: 'x-request-id',
      genReqId: () => randomUUID(),
      // A request must arrive whole within the deadline (slow senders hold no socket forever);
      // errors Node's HTTP parser raises (431 headers too large ...) get the GraphQL error shape.
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      clientErrorHandler,
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, config.DATABASE_URL ?? embedded!.url, logger), adapter, {
      logger: new PinoNestLogger(logger),
      // Fail with an error (so the embedded database is stopped below), not process.abort().
      abortOnError: false,
    });
    // Echo the request id so a caller can quote it when reporting a problem.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (req, reply) => {
        reply.header('x-request-id', req.id);
      });
    return {
      app,
      close: async () => {
        // Requests drain first, then the database they use stops (and is not restarted meanwhile).
        embedded?.beginShutdown();
        try {
          await app.close();
        } finally {
          await embedded?.stop();
        }
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
