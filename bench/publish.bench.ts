// N mini-programs x 4 hosts through the whole pipeline (upload, review, release, read-back)
// against zero-delay sandboxes in their own process, with one gateway process (API only) and
// one worker process. Reports host calls and lifecycle transitions per second, the worker's CPU
// time per host call and its peak memory. Then, with the worker stopped, a raw baseline in its own
// process (bench/support/publish-baseline.ts) drives its own N x 4 submissions through the same host
// steps against the same sandboxes, one SQL UPDATE per step: CPU ms differ by 2x between machines
// and days, the ratio of the worker's CPU per host step to the baseline's does less
// (BENCH_BASELINE=0 skips it). Run: `BENCH_N=1000 npm run bench:publish`
// (DATABASE_URL when set, else an embedded PostgreSQL). Results go to docs/benchmarks.md.
import { spawn, type ChildProcess } from 'node:child_process';
import type { SqlStats } from './support/count-sql.js';
import { pool } from './support/pool.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createScratchDatabase, scratchServer } from '../src/database/scratch-database.js';
import { callbackUrlFor } from '../src/hosts/host-runtime.service.js';
import { SandboxControl } from '../src/hosts/sandbox-control.js';
import { BENCH_PROGRAM, BENCH_VERSION } from './support/publish-inputs.js';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
const HOSTS = ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE'] as const;
const ROOT = process.cwd();

function start(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const onData = (b: Buffer) => {
      for (const line of b.toString().split('\n')) {
        if (seen.length < 50) seen.push(line);
        if (ready.test(line)) resolve({ child, line });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => reject(new Error(`${script} exited:\n${seen.join('\n')}`)));
  });
}

/** CPU time (ms) and peak RSS (MB) of a child, from /proc. */
function usage(pid: number): { cpuMs: number; systemMs: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in clock ticks (100 Hz)
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs: ticks * 10, systemMs: Number(stat[12]) * 10, peakRssMb: hwm ? Number(hwm[1]) / 1024 : NaN };
}

function sqlStats(child: ChildProcess): Promise<SqlStats> {
  return new Promise((resolveStats, reject) => {
    const onMessage = (message: { type?: string; stats?: SqlStats }) => {
      if (message?.type !== 'sql-stats' || !message.stats) return;
      child.off('message', onMessage);
      resolveStats(message.stats);
    };
    child.on('message', onMessage);
    if (!child.send('sql-stats')) reject(new Error('the worker has no IPC channel'));
  });
}

/** Runs a script to its end and answers its stdout; a failure carries its stderr. */
function runToEnd(script: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [join(ROOT, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${script} exited with ${code}:\n${stderr}`))));
  });
}

/** The HTTP calls the sandboxes logged since their logs were cleared, per host and operation (Alipay's gateway names it in its method). */
async function hostCallsOf(sandboxes: SandboxControl): Promise<{ hostCalls: number; hostCallsByOperation: Record<string, number> }> {
  let hostCalls = 0;
  const hostCallsByOperation: Record<string, number> = {};
  for (const host of HOSTS) {
    const calls = await sandboxes.calls(host);
    hostCalls += calls.length;
    for (const c of calls) {
      const op = `${host} ${c.path}${c.apiMethod ? ` ${c.apiMethod}` : ''}`;
      hostCallsByOperation[op] = (hostCallsByOperation[op] ?? 0) + 1;
    }
  }
  return { hostCalls, hostCallsByOperation };
}

/** What bench/support/publish-baseline.ts prints. */
interface BaselineRun {
  hostSteps: number;
  hostStepsByOperation: Record<string, number>;
  cpuMs: number;
  userMs: number;
  systemMs: number;
  sqlStatements: number;
  elapsedMs: number;
}

/** The raw baseline's run, with the HTTP calls it made as the sandboxes logged them. */
async function measureBaseline(sandboxes: SandboxControl, databaseUrl: string, pollMs: string) {
  for (const host of HOSTS) {
    // It has no push inbox: the sandboxes push nothing to the gateway meanwhile, which would spend the machine's CPU on them.
    await sandboxes.setCallbackUrl(host, null);
    // The baseline clears them again after its own setup (its apps' first token fetches).
    await sandboxes.clearCalls(host);
  }
  const out = await runToEnd('dist-bench/bench/support/publish-baseline.js', {
    SANDBOX_URL: sandboxes.adminUrl,
    DATABASE_URL: databaseUrl,
    BENCH_N: String(N),
    BENCH_WORKER_CONCURRENCY: String(CONCURRENCY),
    SYNC_POLL_MIN_MS: pollMs,
  });
  const run = JSON.parse(out.trim().split('\n').pop()!) as BaselineRun;
  return { run, ...(await hostCallsOf(sandboxes)) };
}

async function main() {
  const server = await scratchServer(process.env.DATABASE_URL);
  const db = await createScratchDatabase(server.url, 'gw_bench_publish');
  const children: ChildProcess[] = [];
  try {
    const box = await start(
      'dist/src/hosts/sandboxes-main.js',
      { SANDBOX_PORT: '0', SANDBOX_REVIEW_DELAY_MS: '0', SANDBOX_WECHAT_AUDIT_QUOTA: String(N * 2) },
      /host sandboxes listening/,
    );
    children.push(box.child);
    const sandboxes = new SandboxControl((JSON.parse(box.line) as { adminUrl: string }).adminUrl);
    const operatorKey = `bench-${randomBytes(12).toString('hex')}`;
    // BENCH_PG_SOCKET=<directory of PostgreSQL's Unix socket>: the gateway and the worker reach the same
    // server through it instead of loopback TCP (the setup and the runner keep TCP).
    const socketDir = process.env.BENCH_PG_SOCKET;
    const env = {
      DATABASE_URL: socketDir ? db.url.replace(/@[^/@]+\//, `@${encodeURIComponent(socketDir)}/`) : db.url,
      GATEWAY_ADMIN_KEY: operatorKey,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      SANDBOX_URL: sandboxes.adminUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SYNC_POLL_MIN_MS: '500',
      SYNC_POLL_MAX_MS: '5000',
      SYNC_SWEEP_INTERVAL_MS: '10000',
      WORKER_POLL_INTERVAL_MS: '500',
      WORKER_CONCURRENCY: String(CONCURRENCY),
    };
    // The bench's one key sends 6N setup calls: the per-key rate limit is not what is measured here.
    const gw = await start('dist/src/main.js', { ...env, PORT: '0', WORKERS: 'false', LOG_LEVEL: 'info', RATE_LIMIT_REQUESTS: '0' }, /gateway listening/);
    children.push(gw.child);
    const base = (JSON.parse(gw.line) as { url: string }).url.replace(/\/graphql$/, '');
    for (const host of HOSTS) await sandboxes.setCallbackUrl(host, callbackUrlFor(base, host));
    const gql = async (query: string, variables: Record<string, unknown>, key = operatorKey) => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: any; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const org = (await gql('mutation { createOrganization(input: { name: "bench" }) { id } }', {})).createOrganization.id;
    const key = (await gql('mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "b", scopes: [ADMIN] }) { plainKey } }', { o: org }))
      .createApiKey.plainKey;

    const setupStart = Date.now();
    const ready: Array<{ program: string; version: string }> = [];
    await pool([...Array(N).keys()], 8, async (i) => {
      const program = (
        await gql(
          'mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id } }',
          {
            i: { slug: `bench-${i}`, ...BENCH_PROGRAM },
          },
          key,
        )
      ).createMiniProgram.id;
      const version = (
        await gql(
          'mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }',
          {
            i: { miniProgramId: program, ...BENCH_VERSION },
          },
          key,
        )
      ).createVersion.id;
      for (const host of HOSTS) {
        const app = (await gql('mutation($h: Host!) { createSandboxApp(host: $h) { hostAppId credentials } }', { h: host }, key)).createSandboxApp;
        await gql(
          'mutation($i: ConnectHostInput!) { connectHost(input: $i) { id } }',
          { i: { miniProgramId: program, host, hostAppId: app.hostAppId, credentials: app.credentials } },
          key,
        );
      }
      ready.push({ program, version });
    });
    const setupMs = Date.now() - setupStart;
    for (const host of HOSTS) await sandboxes.clearCalls(host);

    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the worker (open it in Chrome DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    const worker = await start(
      profile.length ? 'dist-bench/bench/support/profiled-worker.js' : 'dist/src/worker.js',
      { ...env, MIGRATIONS_RUN: 'false', LOG_LEVEL: 'info' },
      /worker running/,
      // Every SQL statement the worker sends is counted (bench/support/count-sql.ts).
      ['--import', join(ROOT, 'dist-bench/bench/support/count-sql.js'), ...profile, ...(process.env.BENCH_HEAP_GC ? ['--expose-gc'] : [])],
    );
    children.push(worker.child);
    const before = usage(worker.child.pid!);
    const sqlBefore = await sqlStats(worker.child);
    const t0 = Date.now();
    await pool(ready, 16, async ({ program, version }) => {
      await gql(
        'mutation($i: PublishInput!) { publish(input: $i) { id } }',
        { i: { miniProgramId: program, versionId: version, hosts: HOSTS, release: 'AUTO' } },
        key,
      );
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let released = 0;
    let peakRss = 0;
    // The worker's memory at each tenth of the submissions released (heap in use, heap reserved,
    // resident set), so a leak (heap in use growing with the work done) shows apart from a roomier heap.
    const memory: Array<{ released: number; heapUsedMb: number; heapTotalMb: number; rssMb: number }> = [];
    let nextMark = 0;
    while (released < N * 4) {
      await new Promise((r) => setTimeout(r, 1000));
      released = Number((await client.query(`SELECT count(*) AS n FROM submissions WHERE stage = 'RELEASED'`)).rows[0].n);
      peakRss = Math.max(peakRss, usage(worker.child.pid!).peakRssMb);
      if (released >= nextMark) {
        const now = (await sqlStats(worker.child)).memory!;
        memory.push({ released, ...now });
        console.error(`released ${released}/${N * 4}: heap used ${now.heapUsedMb} MB of ${now.heapTotalMb} MB, rss ${now.rssMb} MB`);
        while (nextMark <= released) nextMark += Math.max(1, Math.ceil((N * 4) / 10));
      }
      const failed = Number((await client.query(`SELECT count(*) AS n FROM submissions WHERE stage = 'FAILED'`)).rows[0].n);
      if (failed > 0) throw new Error(`${failed} submissions FAILED`);
    }
    // The pipeline ends with the read-back after each release: measured once every binding was read back.
    const readBackBy = Date.now() + 60_000;
    while (Number((await client.query(`SELECT count(*) AS n FROM host_bindings WHERE last_synced_at IS NULL`)).rows[0].n) > 0) {
      if (Date.now() > readBackBy) throw new Error('bindings not read back a minute after their release');
      await new Promise((r) => setTimeout(r, 200));
    }
    const elapsedMs = Date.now() - t0;
    const after = usage(worker.child.pid!);
    const sqlAfter = await sqlStats(worker.child);
    // Stopped now, so it does not compete with the baseline (read-backs still queued are not made).
    const exited = new Promise((r) => worker.child.once('exit', r));
    worker.child.kill(profile.length ? 'SIGUSR2' : 'SIGTERM');
    await exited;
    const transitions = Number((await client.query(`SELECT count(*) AS n FROM listing_events WHERE type = 'STAGE_CHANGED'`)).rows[0].n);
    await client.end();
    const { hostCalls, hostCallsByOperation } = await hostCallsOf(sandboxes);
    const cpuMs = after.cpuMs - before.cpuMs;
    const hostStepsByOperation = Object.fromEntries(
      Object.entries(sqlAfter.hostOperations)
        .map(([op, n]) => [op, n - (sqlBefore.hostOperations[op] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    const hostSteps = Object.values(hostStepsByOperation).reduce((a, b) => a + b, 0);
    const workerCpuMsPerHostStep = cpuMs / hostSteps;
    let baseline: Record<string, unknown> | undefined;
    if (process.env.BENCH_BASELINE !== '0') {
      const {
        run,
        hostCalls: baselineHostCalls,
        hostCallsByOperation: baselineHostCallsByOperation,
      } = await measureBaseline(sandboxes, env.DATABASE_URL, env.SYNC_POLL_MIN_MS);
      const cpuMsPerHostStep = run.cpuMs / run.hostSteps;
      baseline = {
        hostSteps: run.hostSteps,
        hostCalls: baselineHostCalls,
        cpuMsPerHostStep: +cpuMsPerHostStep.toFixed(2),
        cpuMsPerHostCall: +(run.cpuMs / baselineHostCalls).toFixed(2),
        sqlPerHostStep: +(run.sqlStatements / run.hostSteps).toFixed(1),
        // How many times the baseline's CPU the worker spends on one host step: what holds across machines.
        ratioCpuPerHostStep: +(workerCpuMsPerHostStep / cpuMsPerHostStep).toFixed(1),
        elapsedSeconds: +(run.elapsedMs / 1000).toFixed(1),
        hostStepsByOperation: run.hostStepsByOperation,
        hostCallsByOperation: baselineHostCallsByOperation,
      };
    }
    console.log(
      JSON.stringify(
        {
          n: N,
          submissions: N * 4,
          setupSeconds: Math.round(setupMs / 1000),
          elapsedSeconds: +(elapsedMs / 1000).toFixed(1),
          hostCalls,
          hostCallsPerSecond: +(hostCalls / (elapsedMs / 1000)).toFixed(1),
          transitionsPerSecond: +(transitions / (elapsedMs / 1000)).toFixed(1),
          // A host step: one operation of an adapter (upload, submitForReview, reviewStatus, release,
          // readListing ...), which may take several HTTP requests (WeChat's readListing takes 4).
          hostSteps,
          workerCpuMsPerHostStep: +workerCpuMsPerHostStep.toFixed(2),
          workerCpuMsPerHostCall: +(cpuMs / hostCalls).toFixed(2),
          // The part of it spent in the kernel (system calls: socket writes and reads).
          workerSystemCpuMsPerHostCall: +((after.systemMs - before.systemMs) / hostCalls).toFixed(2),
          workerCpuMsPerTransition: +(cpuMs / transitions).toFixed(2),
          workerSqlPerHostCall: +((sqlAfter.count - sqlBefore.count) / hostCalls).toFixed(1),
          workerSqlPerHostStep: +((sqlAfter.count - sqlBefore.count) / hostSteps).toFixed(1),
          workerPeakRssMb: Math.round(Math.max(peakRss, after.peakRssMb)),
          workerConcurrency: CONCURRENCY,
          workerMemory: memory,
          hostStepsByOperation,
          hostCallsByOperation,
          baseline,
        },
        null,
        1,
      ),
    );
    if (process.env.BENCH_SQL_TEXTS) {
      const top = Object.entries(sqlAfter.texts).sort((a, b) => b[1] - a[1]);
      for (const [text, n] of top.slice(0, 40)) console.log(`${String(n).padStart(7)}  ${text.slice(0, 220)}`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await db.drop();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
