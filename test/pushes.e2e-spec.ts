import { jest } from '@jest/globals';

jest.setTimeout(90_000);
import pg from 'pg';
import type { HostId, RawCallback } from '../adapters/core/index.js';
import { newOrganization, ok } from './support/fixtures.js';
import { bindSandboxApps, eventsOf, eventually, FAST_PUBLISHING, HOSTS, publish, publishableProgram, stagesBecome } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

async function withDb<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** POSTs a push to the gateway exactly as a host would. */
async function deliver(gw: TestGateway, host: HostId, raw: Pick<RawCallback, 'query' | 'headers' | 'body'>, path = `/hosts/${host.toLowerCase()}/callbacks`) {
  const url = new URL(path, gw.baseUrl);
  for (const [k, v] of Object.entries(raw.query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': raw.headers['content-type'] ?? 'text/plain' }, body: raw.body });
  return { status: res.status, body: await res.text() };
}

describe('host pushes', () => {
  let gw: TestGateway;
  let key: string;

  // Slow polling: reviews move because pushes arrive, not because the worker polls.
  beforeAll(async () => {
    gw = await startTestGateway({ ...FAST_PUBLISHING, SYNC_POLL_MIN_MS: '3000', SYNC_POLL_MAX_MS: '6000' });
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  it('applies duplicated and reordered pushes once, in lifecycle order, and a late replay changes nothing', async () => {
    for (const host of HOSTS) await gw.sandboxes!.setFaults(host, { duplicatePushes: true, pushDelayMs: 150, reorderPushes: true });
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id);
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: HOSTS, release: 'AUTO' })).publish;
    await stagesBecome(gw, key, run.id, Object.fromEntries(HOSTS.map((h) => [h, 'RELEASED'])), 45_000);
    for (const host of HOSTS) await gw.sandboxes!.setFaults(host, { reset: true });

    const inbox = await withDb(gw.databaseUrl, async (db) => (await db.query('SELECT host, delivery_count, status, outcome, raw FROM host_callbacks')).rows);
    for (const host of HOSTS) {
      const rows = inbox.filter((r) => r.host === host);
      // Each push stored once however often it came, and the review push woke its submission.
      expect(rows.some((r) => r.delivery_count >= 2)).toBe(true);
      expect(rows.map((r) => `${r.status}: ${r.outcome}`)).toContainEqual(expect.stringMatching(/^applied: .*review of 1.0.0/));
    }
    const events = await eventsOf(gw, key, program.id);
    for (const s of run.submissions) {
      const path = events.filter((e) => e.submissionId === s.id && e.type === 'STAGE_CHANGED').map((e) => e.toStage);
      expect(path.filter((p) => p === 'APPROVED')).toHaveLength(1);
      expect(path.indexOf('IN_REVIEW')).toBeLessThan(path.indexOf('APPROVED'));
      expect(path.at(-1)).toBe('RELEASED');
    }

    // A review push delivered again after RELEASED: acknowledged, counted, and nothing moves.
    const before = events.length;
    const approval = inbox.find((r) => r.host === 'BAIDU' && String(r.outcome).includes('review of'))!;
    const again = await deliver(gw, 'BAIDU', approval.raw, approval.raw.path);
    expect(again).toEqual({ status: 200, body: 'success' });
    const after = await withDb(
      gw.databaseUrl,
      async (db) => (await db.query('SELECT delivery_count FROM host_callbacks WHERE raw->>$1 = $2', ['body', approval.raw.body])).rows[0],
    );
    expect(after.delivery_count).toBe(approval.delivery_count + 1);
    expect((await eventsOf(gw, key, program.id)).length).toBe(before);
  });

  it('refuses forged pushes with a 4xx, counts them, and stores or applies nothing', async () => {
    const { program } = await publishableProgram(gw, key);
    const bindings = await bindSandboxApps(gw, key, program.id);
    const countBefore = await withDb(gw.databaseUrl, async (db) =>
      Number((await db.query('SELECT coalesce(sum(count), 0) AS n FROM host_callback_rejections')).rows[0].n),
    );
    const inboxBefore = await withDb(gw.databaseUrl, async (db) => Number((await db.query('SELECT count(*) AS n FROM host_callbacks')).rows[0].n));
    for (const host of HOSTS) {
      for (const kind of ['badSignature', 'wrongAppId'] as const) {
        const forged = await gw.sandboxes!.forgePush(host, bindings[host].hostAppId, kind);
        const answer = await deliver(gw, host, forged);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
    }
    await withDb(gw.databaseUrl, async (db) => {
      expect(Number((await db.query('SELECT coalesce(sum(count), 0) AS n FROM host_callback_rejections')).rows[0].n)).toBe(countBefore + 8);
      expect(Number((await db.query('SELECT count(*) AS n FROM host_callbacks')).rows[0].n)).toBe(inboxBefore);
    });
  });
});

describe('a push while the database is down', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(FAST_PUBLISHING);
  });
  afterAll(() => gw.close());

  it('is answered 503 (not acknowledged), and stored once the database is back', async () => {
    const { key } = await newOrganization(gw, ['ADMIN']);
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['BYTEDANCE']);
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['BYTEDANCE'], release: 'MANUAL' })).publish;
    await stagesBecome(gw, key, run.id, { BYTEDANCE: 'APPROVED' });
    const stored = await eventually(async () => {
      const rows = await withDb(gw.databaseUrl, async (db) => (await db.query(`SELECT raw, delivery_count FROM host_callbacks WHERE host = 'BYTEDANCE'`)).rows);
      expect(rows.length).toBeGreaterThan(0);
      return rows[0];
    });
    const name = new URL(gw.databaseUrl).pathname.slice(1);
    const server = process.env.TEST_PG_SERVER_URL!;
    // Our own scratch database only: refuse new connections and end the open ones.
    await withDb(server, async (db) => {
      await db.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    });
    try {
      const down = await deliver(gw, 'BYTEDANCE', stored.raw);
      expect(down.status).toBe(503);
    } finally {
      await withDb(server, (db) => db.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    }
    const back = await eventually(async () => {
      const answer = await deliver(gw, 'BYTEDANCE', stored.raw);
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(back.body).toBe('success');
    const count = await withDb(
      gw.databaseUrl,
      async (db) => (await db.query(`SELECT delivery_count FROM host_callbacks WHERE raw->>'body' = $1`, [stored.raw.body])).rows[0].delivery_count,
    );
    expect(count).toBe(stored.delivery_count + 1);
  });
});
