import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database.js';
import { callbackUrlFor } from '../src/hosts/host-runtime.service.js';
import { SandboxControl } from '../src/hosts/sandbox-control.js';
import { ok } from './support/fixtures.js';
import { stateChangingCounts } from './support/host-calls.js';
import { startGatewayProcess, startSandboxesProcess, startWorkerProcess, type NodeProcess } from './support/processes.js';
import {
  bindSandboxApps,
  eventsOf,
  eventually,
  FAST_PUBLISHING,
  HOSTS,
  publish,
  publishableProgram,
  SECRET_FIELDS,
  stagesBecome,
} from './support/publishing.js';
import type { TestGateway } from './support/test-gateway.js';

jest.setTimeout(240_000);

/** The TestGateway calls over HTTP, against a gateway running in another process. */
/** Every API answer the test received, except createSandboxApp's (it hands out sandbox credentials by design). */
const answers: string[] = [];

function remote(baseUrl: string, operatorKey: string, sandboxes: SandboxControl, databaseUrl: string): TestGateway {
  return {
    baseUrl,
    operatorKey,
    databaseUrl,
    sandboxes,
    async gql(query, variables = {}, key = operatorKey) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      if (!query.includes('createSandboxApp')) answers.push(text);
      const body = JSON.parse(text) as { data?: any; errors?: any };
      return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
    },
    close: async () => undefined,
  };
}

describe('two gateways, two workers and standalone sandboxes on one PostgreSQL', () => {
  const children: NodeProcess[] = [];
  let database: ScratchDatabase;
  let sandboxes: SandboxControl;
  let gateways: TestGateway[];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createScratchDatabase(process.env.TEST_PG_SERVER_URL!, 'gw_e2e_procs');
    const box = await startSandboxesProcess({ SANDBOX_REVIEW_DELAY_MS: '300' });
    children.push(box.proc);
    sandboxes = new SandboxControl(box.adminUrl);
    const operatorKey = `operator-${randomBytes(16).toString('hex')}`;
    env = {
      ...FAST_PUBLISHING,
      DATABASE_URL: database.url,
      GATEWAY_ADMIN_KEY: operatorKey,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      HOSTS_MODE: 'sandbox',
      SANDBOX_URL: box.adminUrl,
      DATABASE_POOL_SIZE: '4',
      WORKER_CONCURRENCY: '2',
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
    };
    // The first gateway migrates; the others start on the migrated database.
    const a = await startGatewayProcess({ ...env, WORKERS: 'false' });
    const b = await startGatewayProcess({ ...env, WORKERS: 'false', MIGRATIONS_RUN: 'false' });
    children.push(a.proc, b.proc);
    gateways = [a, b].map((g) => remote(g.baseUrl, operatorKey, sandboxes, database.url));
    for (const host of HOSTS) await sandboxes.setCallbackUrl(host, callbackUrlFor(a.baseUrl, host));
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await database?.drop();
  });

  it('finishes a run whose worker was SIGKILLed, with no host call doubled, no event lost, and no refresh token spent twice', async () => {
    const [w1, w2] = [await startWorkerProcess({ ...env, MIGRATIONS_RUN: 'false' }), await startWorkerProcess({ ...env, MIGRATIONS_RUN: 'false' })];
    children.push(w1, w2);
    const [gwA, gwB] = gateways;
    const org = ok(await gwA.gql(`mutation { createOrganization(input: { name: "Multi" }) { id } }`)).createOrganization;
    const key = ok(await gwA.gql(`mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "k", scopes: [ADMIN] }) { plainKey } }`, { o: org.id }))
      .createApiKey.plainKey as string;
    const runs: Array<{ id: string; gw: TestGateway }> = [];
    const secrets: string[] = [];
    const N = 3;
    for (let i = 0; i < N; i++) {
      const gw = i % 2 === 0 ? gwA : gwB;
      const { program, version } = await publishableProgram(gw, key);
      const bound = await bindSandboxApps(gw, key, program.id);
      for (const b of Object.values(bound)) for (const f of SECRET_FIELDS) if (typeof b.credentials[f] === 'string') secrets.push(b.credentials[f]);
      runs.push({ id: ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: HOSTS, release: 'AUTO' })).publish.id, gw });
    }
    // Kill a worker in the middle: once every submission has been uploaded (so every app has had
    // its first token) and some are still on their way to release.
    await eventually(
      async () => {
        const stages: string[] = [];
        for (const run of runs) {
          const r = ok(await gwA.gql(`query($id: ID!) { publishRun(id: $id) { submissions { stage } } }`, { id: run.id }, key)).publishRun;
          stages.push(...r.submissions.map((s: { stage: string }) => s.stage));
        }
        expect(stages.every((s) => ['IN_REVIEW', 'APPROVED', 'RELEASING', 'RELEASED'].includes(s))).toBe(true);
      },
      { timeoutMs: 90_000 },
    );
    w1.child.kill('SIGKILL');
    const w3 = await startWorkerProcess({ ...env, MIGRATIONS_RUN: 'false' });
    children.push(w3);
    // Then tokens expire: both live workers need new ones at once; single-use refresh tokens are at
    // stake. (Not before the kill: a worker killed after the host rotated its refresh token and
    // before the new one was stored loses the grant, on the real hosts as here. Nothing can save
    // that token; the submission fails with the host's invalid_grant and needs a new authorization.)
    for (const host of ['BAIDU', 'BYTEDANCE'] as const) await sandboxes.setFaults(host, { expireTokens: true });

    for (const run of runs) await stagesBecome(run.gw, key, run.id, Object.fromEntries(HOSTS.map((h) => [h, 'RELEASED'])), 150_000);

    for (const host of HOSTS) expect({ host, ...(await stateChangingCounts(sandboxes, host)) }).toEqual({ host, upload: N, submit: N, release: N });
    // No refresh token was refused as already spent.
    const baidu = (await sandboxes.calls('BAIDU')).filter((c) => c.path === '/rest/2.0/oauth/token');
    expect(baidu.length).toBeGreaterThan(0);
    expect(baidu.filter((c) => c.answeredCode !== '0')).toEqual([]);
    const douyin = (await sandboxes.calls('BYTEDANCE')).filter((c) => c.path === '/api/tpapp/v2/auth/get_auth_token/');
    expect(douyin.filter((c) => c.answeredCode !== '0')).toEqual([]);

    // Every submission's events form one unbroken chain from PENDING to RELEASED.
    const programIds = new Set<string>();
    for (const run of runs) {
      const r = ok(await gwA.gql(`query($id: ID!) { publishRun(id: $id) { miniProgramId submissions { id } } }`, { id: run.id }, key)).publishRun;
      programIds.add(r.miniProgramId);
      const events = await eventsOf(gwA, key, r.miniProgramId);
      for (const s of r.submissions) {
        const chain = events.filter((e) => e.submissionId === s.id && e.type === 'STAGE_CHANGED');
        expect(chain[0]).toMatchObject({ fromStage: null, toStage: 'PENDING' });
        chain.slice(1).forEach((e, i) => expect(e.fromStage).toBe(chain[i].toStage));
        expect(chain.at(-1)!.toStage).toBe('RELEASED');
      }
    }
    expect(programIds.size).toBe(N);

    // Credentials appear in no API answer and in no log line of any gateway or worker.
    expect(secrets.length).toBeGreaterThanOrEqual(N * 4);
    const logs = children.flatMap((c) => c.lines);
    expect(logs.length).toBeGreaterThan(100);
    for (const secret of secrets) {
      expect(logs.filter((l) => l.includes(secret))).toEqual([]);
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
    }
  });
});
