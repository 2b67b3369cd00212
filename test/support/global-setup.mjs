/* global process */
// One PostgreSQL server for the whole run: the one at DATABASE_URL (CI: the machine's server),
// or an embedded one in a temp folder. Each suite then creates its own database on it.
// Plain ESM importing the build: jest loads global setup outside its module mapper.
import { scratchServer } from '../../dist/src/database/scratch-database.js';

export default async function globalSetup() {
  const server = await scratchServer(process.env.DATABASE_URL || undefined);
  process.env.TEST_PG_SERVER_URL = server.url;
  globalThis.__pgServer = server;
}
