import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { createGatewayApp, type GatewayApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/database/scratch-database.js';
import { HostRuntime } from '../../src/hosts/host-runtime.service.js';
import type { SandboxControl } from '../../src/hosts/sandbox-control.js';
import { createRootLogger } from '../../src/logging/logger.js';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: Array<{ message: string; extensions: { code: string; violations?: Array<{ field: string; rule: string; message: string }> } }>;
  headers: Headers;
}

export interface TestGateway {
  baseUrl: string;
  operatorKey: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GraphQLResult<T>>;
  databaseUrl: string;
  /** The sandboxes' admin route (sandbox mode), to steer and read the fake hosts. */
  sandboxes: SandboxControl | null;
  close(): Promise<void>;
}

/**
 * The real app on a loopback port, with its own fresh database on the test server; or, given
 * `sameDatabaseAs`, a second instance on that gateway's database (closing it leaves the database).
 * `logTo` receives the gateway's log lines.
 */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: { logTo?: DestinationStream; sameDatabaseAs?: TestGateway } = {},
): Promise<TestGateway> {
  const { sameDatabaseAs } = options;
  const server = process.env.TEST_PG_SERVER_URL;
  if (!server) throw new Error('TEST_PG_SERVER_URL is not set: run the e2e suites through jest.config.json');
  const database: ScratchDatabase = sameDatabaseAs
    ? { url: sameDatabaseAs.databaseUrl, drop: async () => undefined }
    : await createScratchDatabase(server, 'gw_e2e');
  const operatorKey = sameDatabaseAs?.operatorKey ?? `operator-${randomBytes(16).toString('hex')}`;
  let gateway: GatewayApp;
  try {
    const config = loadConfig({
      DATABASE_URL: database.url,
      GATEWAY_ADMIN_KEY: operatorKey,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
      NODE_ENV: process.env.E2E_NODE_ENV ?? 'test',
      DATABASE_POOL_SIZE: '4',
      ...env,
    });
    gateway = await createGatewayApp(config, createRootLogger(config.LOG_LEVEL, options.logTo));
    await gateway.app.listen(0, '127.0.0.1');
  } catch (err) {
    await database.drop();
    throw err;
  }
  const { port } = gateway.app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  await gateway.listening(baseUrl);
  return {
    baseUrl,
    operatorKey,
    databaseUrl: database.url,
    sandboxes: gateway.app.get(HostRuntime).sandboxControl(),
    async gql(query, variables = {}, key = operatorKey) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: any };
      return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
    },
    async close() {
      await gateway.close();
      await database.drop();
    },
  };
}
