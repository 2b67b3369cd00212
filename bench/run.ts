// The read-path benchmark: the gateway against a raw Node + pg baseline, in one run, on one
// database. For each row count it creates a database (on the server at DATABASE_URL, or on an
// embedded PostgreSQL when unset), migrates and seeds it, starts the gateway and the baseline as
// separate processes, checks that both answer the same page, then drives each with autocannon
// (its own process), alternating, for --rounds rounds, and prints req/s, p50, p99, the ratio
// and the SQL statements each sent per request. The database is dropped at the end.
//
//   npm run bench -- --rows 10000,1000000 [--seconds 10] [--connections 50] [--rounds 2]
//                    [--scenarios page,versions,feed,feed5,feed100] [--versions-per-program 2] [--cpu-prof DIR]
// The feed scenarios (issue 11) seed every program syndicated and live on the four hosts and call
// `listings` with a partner key; `npm run bench:feed` runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { createScratchDatabase, scratchServer } from '../src/database/scratch-database.js';
import { seedCatalog, type SeededTenant } from './seed.js';
import type { SqlStats } from './support/count-sql.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    scenarios: { type: 'string', default: 'page,versions' },
    'versions-per-program': { type: 'string', default: '2' },
    'pool-size': { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
    // Extra Node flags for both servers (the same for each, so the comparison stays fair).
    'node-args': { type: 'string', default: '' },
  },
});

const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const POOL_SIZE = Number(args['pool-size']);
const NODE_ARGS = args['node-args'].split(' ').filter(Boolean);

interface Scenario {
  name: string;
  query: string;
  baselinePath: string;
  /** Whose key the gateway is called with: the seeded organization's, or the seeded partner's. */
  caller?: 'organization' | 'partner';
}

const FEED_NODE = '{ cursor node { id name hosts { host hostAppId liveVersion grayVersion grayPercentage reviewStage lastChangedAt } } }';
const feedScenario = (first: number): Scenario => ({
  name: `listings(first: ${first}) with every host state`,
  query: `{ listings(first: ${first}) { edges ${FEED_NODE} pageInfo { endCursor hasNextPage } } }`,
  baselinePath: `/feed?first=${first}`,
  caller: 'partner',
});

const SCENARIOS: Record<string, Scenario> = {
  page: {
    name: 'miniPrograms(first: 20)',
    query: '{ miniPrograms(first: 20) { edges { cursor node { id slug name category revision createdAt } } pageInfo { endCursor hasNextPage } } }',
    baselinePath: '/page',
  },
  versions: {
    name: 'miniPrograms(first: 20) + versions(first: 3)',
    query:
      '{ miniPrograms(first: 20) { edges { cursor node { id slug name versions(first: 3) { edges { cursor node { id version createdAt } } pageInfo { hasNextPage } } } } pageInfo { endCursor hasNextPage } } }',
    baselinePath: '/page-with-versions',
  },
  feed: feedScenario(20),
  // The same page at other sizes: the statements per request must not grow with it.
  feed5: feedScenario(5),
  feed100: feedScenario(100),
};
const FEED_HOSTS = ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE'];

interface Target {
  name: 'gateway' | 'baseline';
  url(scenario: Scenario): string;
  headers(scenario: Scenario): Record<string, string>;
  body(scenario: Scenario): string;
  process: ChildProcess;
}

interface Measurement {
  rows: number;
  scenario: string;
  target: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
  statementsPerRequest: number;
  /** CPU time the server process spent per request it received, in microseconds. */
  cpuPerRequest: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
    srv.on('error', reject);
  });
}

function startProcess(script: string, env: Record<string, string>, extraNodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...extraNodeArgs, '--import', join(here, 'support', 'count-sql.js'), script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return child;
}

async function waitForHttp(url: string, init: RequestInit, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url, init);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function sqlStats(child: ChildProcess): Promise<SqlStats> {
  return new Promise((resolveStats, reject) => {
    const onMessage = (message: { type?: string; stats?: SqlStats }) => {
      if (message?.type !== 'sql-stats' || !message.stats) return;
      child.off('message', onMessage);
      resolveStats(message.stats);
    };
    child.on('message', onMessage);
    if (!child.send('sql-stats')) reject(new Error('the server process has no IPC channel'));
  });
}

interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}

function autocannon(url: string, headers: Record<string, string>, body: string, seconds: number, expectBody?: string): Promise<CannonResult> {
  const cli = require.resolve('autocannon/autocannon.js');
  const argv = [cli, '--json', '-n', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST', '-b', body];
  for (const [k, v] of Object.entries(headers)) argv.push('-H', `${k}=${v}`);
  if (expectBody !== undefined) argv.push('-E', expectBody);
  argv.push(url);
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}: ${err}`));
      try {
        resolveRun(JSON.parse(out.trim().split('\n').at(-1)!) as CannonResult);
      } catch (e) {
        reject(new Error(`could not read autocannon's answer: ${(e as Error).message}: ${out.slice(0, 500)}`));
      }
    });
  });
}

async function fetchBody(target: Target, scenario: Scenario): Promise<string> {
  const res = await fetch(target.url(scenario), { method: 'POST', headers: target.headers(scenario), body: target.body(scenario) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target.name} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

async function benchRows(serverUrl: string, rows: number, scenarios: Scenario[]): Promise<Measurement[]> {
  const db = await createScratchDatabase(serverUrl, 'gw_bench');
  const children: ChildProcess[] = [];
  try {
    const ds = new DataSource(dataSourceOptions(db.url, 1, false));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    const feed = scenarios.some((s) => s.caller === 'partner');
    const seeded: SeededTenant = await seedCatalog(db.url, {
      rows,
      versionsPerProgram: Number(args['versions-per-program']),
      feedHosts: feed ? FEED_HOSTS : [],
    });
    console.log(`seeded ${seeded.rows} mini-programs, ${seeded.versions} versions and ${seeded.bindings} host bindings in ${seeded.seconds.toFixed(1)} s`);

    const gatewayPort = await freePort();
    const cpuProf = args['cpu-prof'] ? resolve(args['cpu-prof']) : null;
    if (cpuProf) await mkdir(cpuProf, { recursive: true });
    const gateway = startProcess(
      join(root, 'dist-bench', 'src', 'main.js'),
      {
        DATABASE_URL: db.url,
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOSTS_MODE: 'off',
        // The API process only (workers run as their own processes in production): no sweeper
        // reading back the seeded bindings in the middle of a measurement.
        WORKERS: 'false',
        // Counted as in production, but high enough that one benchmark key is never refused.
        RATE_LIMIT_REQUESTS: '1000000',
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        SECRETS_KEY: randomBytes(32).toString('hex'),
      },
      [...NODE_ARGS, ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : [])],
    );
    children.push(gateway);
    const baselinePort = await freePort();
    const baseline = startProcess(
      join(here, 'baseline', 'server.js'),
      {
        DATABASE_URL: db.url,
        PORT: String(baselinePort),
        POOL_SIZE: String(POOL_SIZE),
        ORGANIZATION_ID: seeded.organizationId,
      },
      NODE_ARGS,
    );
    children.push(baseline);

    const gatewayTarget: Target = {
      name: 'gateway',
      url: () => `http://127.0.0.1:${gatewayPort}/graphql`,
      headers: (s) => ({ 'content-type': 'application/json', authorization: `Bearer ${s.caller === 'partner' ? seeded.partnerKey : seeded.apiKey}` }),
      body: (s) => JSON.stringify({ query: s.query }),
      process: gateway,
    };
    const baselineTarget: Target = {
      name: 'baseline',
      url: (s) => `http://127.0.0.1:${baselinePort}${s.baselinePath}`,
      headers: () => ({ 'content-type': 'application/json' }),
      body: (s) => JSON.stringify({ query: s.query }),
      process: baseline,
    };
    await waitForHttp(`http://127.0.0.1:${gatewayPort}/health`, {});
    await waitForHttp(baselineTarget.url(SCENARIOS.page), { method: 'POST', body: '{}' });

    const results: Measurement[] = [];
    for (const scenario of scenarios) {
      // Both must give the same answer, or the comparison means nothing.
      const expected = { gateway: await fetchBody(gatewayTarget, scenario), baseline: await fetchBody(baselineTarget, scenario) };
      const parsedGateway = JSON.parse(expected.gateway) as { errors?: unknown };
      if (parsedGateway.errors) throw new Error(`the gateway answered with errors: ${expected.gateway.slice(0, 500)}`);
      if (!isDeepStrictEqual(parsedGateway, JSON.parse(expected.baseline))) {
        throw new Error(`gateway and baseline answer differently for ${scenario.name}:\n${expected.gateway.slice(0, 400)}\n${expected.baseline.slice(0, 400)}`);
      }
      for (const target of [gatewayTarget, baselineTarget]) {
        await autocannon(target.url(scenario), target.headers(scenario), target.body(scenario), WARMUP, expected[target.name]);
      }
      const texts: Record<string, Record<string, number>> = {};
      for (let round = 1; round <= ROUNDS; round++) {
        for (const target of [gatewayTarget, baselineTarget]) {
          const before = await sqlStats(target.process);
          const run = await autocannon(target.url(scenario), target.headers(scenario), target.body(scenario), SECONDS, expected[target.name]);
          const after = await sqlStats(target.process);
          texts[target.name] = diffTexts(before.texts, after.texts);
          const failures = run.errors + run.timeouts + run.non2xx + run.mismatches;
          const m: Measurement = {
            rows,
            scenario: scenario.name,
            target: target.name,
            round,
            rps: run.requests.total / run.duration,
            p50: run.latency.p50,
            p99: run.latency.p99,
            requests: run.requests.total,
            failures,
            statementsPerRequest: (after.count - before.count) / Math.max(1, after.requests - before.requests),
            cpuPerRequest: (after.cpuMicros - before.cpuMicros) / Math.max(1, after.requests - before.requests),
          };
          results.push(m);
          console.log(
            `${rows} rows | ${scenario.name} | ${target.name} round ${round}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.statementsPerRequest.toFixed(2)} statements/request, ${m.cpuPerRequest.toFixed(0)} µs CPU/request, ${failures} failures`,
          );
        }
      }
      // The baseline's statements are the gateway's, character for character, or the run says so.
      const gatewayTexts = new Set(Object.keys(texts.gateway ?? {}));
      const differing = Object.keys(texts.baseline ?? {}).filter((t) => !gatewayTexts.has(t));
      console.log(
        differing.length === 0
          ? '  same SQL: every statement of the baseline is sent by the gateway too'
          : `  SQL DIFFERS: ${differing.length} baseline statement(s) the gateway does not send`,
      );
      for (const [name, seen] of Object.entries(texts)) {
        console.log(`  SQL sent by the ${name} in its last round:`);
        for (const [text, n] of Object.entries(seen)) console.log(`    ${n} x ${text.slice(0, 160)}${text.length > 160 ? '...' : ''}`);
      }
    }
    return results;
  } finally {
    await Promise.all(children.map(stop));
    await db.drop();
  }
}

function diffTexts(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [text, n] of Object.entries(after)) {
    const d = n - (before[text] ?? 0);
    if (d > 0) out[text] = d;
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function summarize(all: Measurement[]): void {
  console.log(
    '\n| rows | scenario | gateway req/s | baseline req/s | ratio | gateway p50 / p99 ms | baseline p50 / p99 ms | statements/request gateway / baseline | CPU µs/request gateway / baseline | failures |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const keys = [...new Set(all.map((m) => `${m.rows}|${m.scenario}`))];
  for (const key of keys) {
    const ms = all.filter((m) => `${m.rows}|${m.scenario}` === key);
    const g = ms.filter((m) => m.target === 'gateway');
    const b = ms.filter((m) => m.target === 'baseline');
    const [rows, scenario] = key.split('|');
    const gr = mean(g.map((m) => m.rps));
    const br = mean(b.map((m) => m.rps));
    console.log(
      `| ${Number(rows).toLocaleString('en')} | ${scenario} | ${g.map((m) => m.rps.toFixed(0)).join(', ')} | ${b.map((m) => m.rps.toFixed(0)).join(', ')} | ${(gr / br).toFixed(2)} | ` +
        `${mean(g.map((m) => m.p50)).toFixed(0)} / ${Math.max(...g.map((m) => m.p99))} | ${mean(b.map((m) => m.p50)).toFixed(0)} / ${Math.max(...b.map((m) => m.p99))} | ` +
        `${mean(g.map((m) => m.statementsPerRequest)).toFixed(2)} / ${mean(b.map((m) => m.statementsPerRequest)).toFixed(2)} | ` +
        `${mean(g.map((m) => m.cpuPerRequest)).toFixed(0)} / ${mean(b.map((m) => m.cpuPerRequest)).toFixed(0)} | ${ms.reduce((a, m) => a + m.failures, 0)} |`,
    );
  }
  const rowCounts = [...new Set(all.map((m) => m.rows))].sort((a, b) => a - b);
  if (rowCounts.length > 1) {
    const [small, large] = [rowCounts[0], rowCounts.at(-1)!];
    for (const scenario of [...new Set(all.map((m) => m.scenario))]) {
      const p99 = (rows: number) => Math.max(...all.filter((m) => m.rows === rows && m.scenario === scenario && m.target === 'gateway').map((m) => m.p99));
      console.log(
        `gateway p99 at ${large.toLocaleString('en')} rows / at ${small.toLocaleString('en')} rows, ${scenario}: ${(p99(large) / p99(small)).toFixed(2)}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const rowCounts = args.rows.split(',').map((r) => Number(r.replace(/_/g, '')));
  const scenarios = args.scenarios.split(',').map((s) => {
    const scenario = SCENARIOS[s];
    if (!scenario) throw new Error(`unknown scenario ${s}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    return scenario;
  });
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${CONNECTIONS} connections, ${SECONDS} s per round, ${ROUNDS} rounds, pool ${POOL_SIZE}`,
  );
  const server = await scratchServer(process.env.DATABASE_URL);
  const all: Measurement[] = [];
  try {
    for (const rows of rowCounts) all.push(...(await benchRows(server.url, rows, scenarios)));
  } finally {
    await server.stop();
  }
  summarize(all);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
