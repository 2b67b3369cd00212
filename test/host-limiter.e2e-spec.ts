import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { eventually } from './support/publishing.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runPendingMigrations } from '../src/database/run-migrations.js';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database.js';
import { unlockStatement } from '../src/jobs/advisory-step.js';
import { HostLimiter, type LimitGrant } from '../src/publishing/host-limiter.js';

// The limits every gateway process shares through PostgreSQL: concurrency slots per host app and
// per host (advisory locks on the step's own connection), and calls per second.
describe('HostLimiter on PostgreSQL', () => {
  let database: ScratchDatabase;
  let db: DataSource;
  const runners: QueryRunner[] = [];

  const limits = { platform: { concurrency: 2, perSecond: 1000 }, app: { concurrency: 1, perSecond: 3 } };
  let limiter: HostLimiter;

  beforeAll(async () => {
    database = await createScratchDatabase(process.env.TEST_PG_SERVER_URL!, 'gw_limiter');
    await runPendingMigrations(database.url, () => undefined);
    db = new DataSource(dataSourceOptions(database.url, 10, false));
    await db.initialize();
    limiter = new HostLimiter(db, () => limits);
  });

  afterAll(async () => {
    for (const r of runners) if (!r.isReleased) await r.release().catch(() => undefined);
    await db?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query('DELETE FROM host_call_rates');
  });

  async function connection(): Promise<QueryRunner> {
    const r = db.createQueryRunner();
    await r.connect();
    runners.push(r);
    return r;
  }

  const granted = (g: LimitGrant) => {
    if (!g.ok) throw new Error(`refused: ${g.reason}`);
    return g;
  };
  const heldLocks = async () =>
    Number(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      )[0].n as number,
    );

  it('lets one call per host app at a time, and frees the slot on release', async () => {
    const [a, b] = [await connection(), await connection()];
    const first = granted(await limiter.acquire(a, 'WECHAT', 'wx-app-1'));
    const second = await limiter.acquire(b, 'WECHAT', 'wx-app-1');
    expect(second).toMatchObject({ ok: false, reason: 'app concurrency' });
    // The refused step holds nothing: only the first step's app and platform slots are taken.
    expect(await heldLocks()).toBe(2);
    // Another app of the same host is not held up.
    const other = granted(await limiter.acquire(b, 'WECHAT', 'wx-app-2'));
    await other.release();
    await first.release();
    expect(await heldLocks()).toBe(0);
    await granted(await limiter.acquire(b, 'WECHAT', 'wx-app-1')).release();
  });

  it('caps calls per host across apps, and a refused step gives its app slot back', async () => {
    const [a, b, c] = [await connection(), await connection(), await connection()];
    const g1 = granted(await limiter.acquire(a, 'ALIPAY', 'app-1'));
    const g2 = granted(await limiter.acquire(b, 'ALIPAY', 'app-2'));
    const refused = await limiter.acquire(c, 'ALIPAY', 'app-3');
    expect(refused).toMatchObject({ ok: false, reason: 'platform concurrency' });
    expect(await heldLocks()).toBe(4);
    // app-3's slot was given back: once a platform slot frees, app-3 goes through.
    await g1.release();
    const g3 = granted(await limiter.acquire(c, 'ALIPAY', 'app-3'));
    await Promise.all([g2.release(), g3.release()]);
    expect(await heldLocks()).toBe(0);
  });

  it('takes the free platform slot whichever one is taken, and exactly one slot per limit', async () => {
    const [a, b] = [await connection(), await connection()];
    // Each acquire starts at a random slot: over 12 rounds the second one starts at the taken slot about half the time.
    for (let round = 0; round < 12; round++) {
      const g1 = granted(await limiter.acquire(a, 'WECHAT', `round-${round}-a`));
      const g2 = granted(await limiter.acquire(b, 'WECHAT', `round-${round}-b`));
      expect(await heldLocks()).toBe(4);
      await Promise.all([g1.release(), g2.release()]);
      expect(await heldLocks()).toBe(0);
    }
    await Promise.all([a.release(), b.release()]);
  });

  it('refuses over the rate per second with a wait, holding no slot', async () => {
    const a = await connection();
    for (let i = 0; i < limits.app.perSecond; i++) await granted(await limiter.acquire(a, 'BAIDU', 'bd-app')).release();
    const over = await limiter.acquire(a, 'BAIDU', 'bd-app');
    expect(over).toMatchObject({ ok: false, reason: 'rate' });
    expect(over.ok === false && over.retryInMs).toBeGreaterThan(0);
    expect(over.ok === false && over.retryInMs).toBeLessThanOrEqual(1050);
    expect(await heldLocks()).toBe(0);
  });

  it('hands its slots over to be freed with the step lock, after which release frees nothing', async () => {
    const a = await connection();
    const grant = granted(await limiter.acquire(a, 'ALIPAY', 'handed-over'));
    const keys = grant.handOver();
    expect(keys).toHaveLength(2);
    await grant.release();
    expect(await heldLocks()).toBe(2);
    await a.query(unlockStatement(keys), keys);
    expect(await heldLocks()).toBe(0);
  });

  it('grants with an announcement too, and says that nothing was written when the submission is not there', async () => {
    const a = await connection();
    const grant = granted(await limiter.acquire(a, 'WECHAT', 'announcing', { submissionId: randomUUID(), intent: { op: 'upload' } }));
    expect(grant.announced).toBe(false);
    expect(await heldLocks()).toBe(2);
    await grant.release();
    expect(await heldLocks()).toBe(0);
  });

  it('frees the slots of a step whose connection dies', async () => {
    const a = await connection();
    granted(await limiter.acquire(a, 'BYTEDANCE', 'tt-app'));
    const pid = (await a.query('SELECT pg_backend_pid() AS pid'))[0].pid as number;
    await db.query('SELECT pg_terminate_backend($1)', [pid]);
    const b = await connection();
    // The server lets go of a terminated backend's locks as that backend exits, a moment later.
    await eventually(
      async () => {
        const after = await limiter.acquire(b, 'BYTEDANCE', 'tt-app');
        expect(after.ok).toBe(true);
        if (after.ok) await after.release();
      },
      { timeoutMs: 5_000, intervalMs: 50 },
    );
  });
});
