import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { clientErrorHandler } from './common/http-errors.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { HostRuntime } from './hosts/host-runtime.service.js';
import { PinoNestLogger } from './logging/logger.js';

export interface GatewayApp {
  app: NestFastifyApplication;
  /** Tells the modules the HTTP server is listening at `baseUrl` (sandboxes then push to it). */
  listening(baseUrl: string): Promise<void>;
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
      // Host pushes are verified over the exact bytes received (JSON and form bodies).
      rawBody: true,
      // Fail with an error (so the embedded database is stopped below), not process.abort().
      abortOnError: false,
    });
    // XML pushes (WeChat) arrive as text/xml: kept as the string received.
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // Echo the request id so a caller can quote it when reporting a problem.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (req, reply) => {
        reply.header('x-request-id', req.id);
      });
    return {
      app,
      listening: (baseUrl) => app.get(HostRuntime).gatewayListening(baseUrl),
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
