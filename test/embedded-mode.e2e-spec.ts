import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { eventually } from '../adapters/core/conformance/eventually.js';

// The built gateway as a user starts it (`node dist/src/main.js`) with no DATABASE_URL:
// it runs its own PostgreSQL in DATA_DIR, keeps data across restarts and stops it on SIGTERM.
const MAIN = join(process.cwd(), 'dist/src/main.js');
// Real processes start here, each initialising or starting its own PostgreSQL: on a loaded machine
// that takes far longer than a unit test, so the deadlines are generous (a pass never waits them out).
const START_DEADLINE_MS = 120_000;
const TEST_DEADLINE_MS = 300_000;
// Every test here starts real processes; none may be cut by the default unit-test timeout.
jest.setTimeout(TEST_DEADLINE_MS);

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** The gateway run to its end: exit code and what it wrote. */
function runToExit(command: string, args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), PORT: '0', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function health(running: Running): Promise<number> {
  return (await fetch(running.url.replace('/graphql', '/health'))).status;
}

async function startGateway(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
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

  it('refuses a second start on the same DATA_DIR while the first runs, and the first keeps answering', async () => {
    const first = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
    try {
      const pid = await postgresPid(dataDir);
      const second = await runToExit(process.execPath, [MAIN], { DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn' });
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^gateway failed to start: DATA_DIR .+ is in use by another gateway \\(pid ${first.child.pid} on .+\\): stop that one first, or set another DATA_DIR$`,
          ),
        ),
      ]);
      // The first one's database was left alone.
      expect(await postgresPid(dataDir)).toBe(pid);
      expect(alive(pid!)).toBe(true);
      const read = await gql(first.url, adminKey, '{ viewer { isOperator } }');
      expect(read.data).toEqual({ viewer: { isOperator: true } });
    } finally {
      expect(await stop(first)).toBe(0);
    }
  });

  it('never signals an unrelated process whose pid sits in a stale postmaster.pid', async () => {
    const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      const databaseDir = join(dataDir, 'postgres');
      await writeFile(join(databaseDir, 'postmaster.pid'), `${bystander.pid}\n${databaseDir}\n1700000000\n5432\n\n127.0.0.1\n`);
      const gateway = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
      expect(alive(bystander.pid!)).toBe(true);
      expect(bystander.exitCode).toBeNull();
      expect(gateway.output()).toContain(`removing a stale postmaster.pid: pid ${bystander.pid} is another program now`);
      expect(await health(gateway)).toBe(200);
      expect(await stop(gateway)).toBe(0);
      expect(alive(bystander.pid!)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('takes over from a gateway killed with SIGKILL, stopping the PostgreSQL it left running', async () => {
    const killed = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
    const orphan = await postgresPid(dataDir);
    expect(await stop(killed, 'SIGKILL')).toBeNull();
    expect(alive(orphan!)).toBe(true);
    const next = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
    try {
      expect(alive(orphan!)).toBe(false);
      expect(next.output()).toContain(`(pid ${orphan})`);
      expect(await health(next)).toBe(200);
    } finally {
      expect(await stop(next)).toBe(0);
    }
  });

  it('restarts its PostgreSQL when it dies under the running gateway, and answers again', async () => {
    const gateway = await startGateway({ DATA_DIR: dataDir, GATEWAY_ADMIN_KEY: adminKey });
    try {
      const created = await gql(gateway.url, adminKey, 'mutation { createOrganization(input: { name: "Outlives its database" }) { id } }');
      const orgId = created.data.createOrganization.id;
      const pid = (await postgresPid(dataDir))!;
      process.kill(pid, 'SIGKILL');
      await eventually(() => expect(gateway.output()).toContain('embedded PostgreSQL exited unexpectedly'), { timeoutMs: 10_000 });
      await eventually(
        async () => {
          expect(await health(gateway)).toBe(200);
          const read = await gql(gateway.url, adminKey, `{ organization(id: "${orgId}") { name } }`);
          expect(read.data).toEqual({ organization: { name: 'Outlives its database' } });
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      const restarted = await postgresPid(dataDir);
      expect(restarted).not.toBe(pid);
      expect(alive(restarted!)).toBe(true);
    } finally {
      expect(await stop(gateway)).toBe(0);
    }
  });

  it('fails with a message, instead of hanging, when DATA_DIR cannot be created', async () => {
    const result = await runToExit(process.execPath, [MAIN], { DATA_DIR: '/proc/nope' }, 30_000);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^gateway failed to start: DATA_DIR \/proc\/nope cannot be created \(ENOENT.*\): set DATA_DIR to a folder on a writable disk$/),
    ]);
  });

  (process.getuid?.() === 0 ? it : it.skip)('as root, fails with one line saying what to do when the postgres user cannot enter DATA_DIR', async () => {
    const locked = await mkdtemp(join(tmpdir(), 'gw-private-')); // mode 700: only root may enter
    try {
      const result = await runToExit(process.execPath, [MAIN], { DATA_DIR: join(locked, 'data') }, 60_000);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `gateway failed to start: DATA_DIR ${join(locked, 'data')}: run as root, the embedded PostgreSQL runs as the system user postgres, which cannot enter ${locked} (mode 700): set DATA_DIR to a folder it can reach (e.g. /var/lib/mp-gateway), or let it in with chmod o+x ${locked}`,
      ]);
    } finally {
      await rm(locked, { recursive: true, force: true });
    }
  });

  it('stops at start with one line naming a malformed setting', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid setting PORT: /)]);
  });
});

describe('npm start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-npm-start-'));
    await chmod(dataDir, 0o755);
    await mkdir(join(dataDir, 'home'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  // `npm start` is the build, then exactly `start:prod`'s exec: running it here would rebuild (and
  // first delete) the dist/ that other test files run from, so the exec is tried through start:prod.
  it('npm start runs the same exec as start:prod, after the build', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['start:prod']).toMatch(/^exec node /);
    expect(scripts.start).toBe(`nest build && ${scripts['start:prod']}`);
  });

  // Supervisors (Docker, systemd) and Ctrl-C signal the npm process; npm passes SIGTERM/SIGINT to
  // its script's process, which `exec` makes the gateway itself.
  it.each([
    ['start:prod', 'SIGTERM'],
    ['start:prod', 'SIGINT'],
  ] as const)(
    'npm run %s: stops the gateway and its PostgreSQL on %s sent to the npm process',
    async (script, signal) => {
      const npm = spawn('npm', ['run', script, '--silent'], {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH ?? '', HOME: join(dataDir, 'home'), PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: join(dataDir, 'data') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      npm.stdout.on('data', (d) => (out += d));
      npm.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
      const url = await eventually(
        () => {
          const line = out.split('\n').find((l) => l.includes('"gateway listening"'));
          if (!line) throw new Error(`not listening yet:\n${out.slice(-2000)}`);
          return JSON.parse(line).url as string;
        },
        { timeoutMs: 420_000, intervalMs: 200 },
      );
      expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
      const postgres = (await postgresPid(join(dataDir, 'data')))!;
      // npm's child: the shell that ran `exec node ...`, now the gateway itself.
      const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(npm.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      expect(children).toEqual([expect.stringMatching(/^\s*\d+ node dist\/src\/main\.js$/)]);
      const gatewayPid = Number(children[0].trim().split(' ')[0]);
      npm.kill(signal);
      expect(await exited).toBe(0);
      await eventually(() => {
        expect(alive(gatewayPid)).toBe(false);
        expect(alive(postgres)).toBe(false);
      });
      expect(out).toContain(`"signal":"${signal}"`);
    },
    300_000,
  );
});
