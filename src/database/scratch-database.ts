import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the server behind `serverUrl` (tests, drift checks). */
export async function createScratchDatabase(serverUrl: string, prefix = 'gw_scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A PostgreSQL server for throw-away work: the one at `serverUrl`, or an embedded one in a temp folder. */
export async function scratchServer(serverUrl: string | undefined): Promise<{ url: string; stop(): Promise<void> }> {
  if (serverUrl) return { url: serverUrl, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'gw-pg-'));
  // mkdtemp makes the folder private; the postgres system user must be able to enter it.
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres(dir, () => undefined);
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
