import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../adapters/core/conformance/eventually.js';

// The built gateway as a user starts it (`node dist/src/main.js`) with no DATABASE_URL:
// it runs its own PostgreSQL in DATA_DIR, keeps data across restarts and stops it on SIGTERM.
const MAIN = join(process.cwd(), 'dist/src/main.js');
// Real processes start here, each initialising or starting its own PostgreSQL: on a loaded machine
// that takes far longer than a unit test, so the deadlines are generous (a pass never waits them out).
const START_DEADLINE_MS = 120_000;
const TEST_DEADLINE_MS = 300_000;

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startGateway(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await eventually(
    () => {
      const line = out.split('\n').find((l) => l.includes('"gateway listening"'));
      if (!line) throw new Error(`gateway not listening yet:\n${out.slice(-2000)}`);
      return JSON.parse(line).url as string;
    },
    { timeoutMs: START_DEADLINE_MS, intervalMs: 50 },
  ).catch((err: unknown) => {
    // A gateway that never came up is still stopped the normal way, so its PostgreSQL stops too.
    child.kill('SIGTERM');
    throw err;
  });
  return { child, url, output: () => out };
}

async function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const exited = new Promise<number | null>((r) => running.child.once('exit', (code) => r(code)));
  running.child.kill(signal);
  return exited;
}

function postgresPid(dataDir: string): Promise<number | null> {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return readFile(file, 'utf8').then(
    (t) => Number(t.split('\n')[0]),
    () => null,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gql(url: string, key: string, query: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data: any; errors?: unknown };
}

describe('embedded PostgreSQL default', () => {
  let dataDir: string;
  const adminKey = 'operator-key-embedded-mode-test-0001';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-embedded-'));
    await chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'starts with nothing but DATA_DIR, keeps data across a restart and leaves no PostgreSQL behind on SIGTERM',
    async () => {
      const first = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
      const created = await gql(first.url, adminKey, 'mutation { createOrganization(input: { name: "Survivor" }) { id } }');
      const orgId = created.data.createOrganization.id;
      const pid1 = await postgresPid(dataDir);
      expect(pid1 && alive(pid1)).toBe(true);
      expect(await stop(first)).toBe(0);
      expect(alive(pid1!)).toBe(false);
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

      const second = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
      const read = await gql(second.url, adminKey, `{ organization(id: "${orgId}") { name } }`);
      expect(read.data).toEqual({ organization: { name: 'Survivor' } });
      const health = await fetch(second.url.replace('/graphql', '/health'));
      expect(await health.json()).toEqual({ status: 'ok', database: { reachable: true, pendingMigrations: 0 } });
      const pid2 = await postgresPid(dataDir);
      expect(await stop(second, 'SIGINT')).toBe(0);
      expect(alive(pid2!)).toBe(false);
    },
    TEST_DEADLINE_MS,
  );

  it(
    'stops at start with one line naming a malformed setting',
    async () => {
      const child = spawn(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(1);
      expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid setting PORT: /)]);
    },
    TEST_DEADLINE_MS,
  );
});
