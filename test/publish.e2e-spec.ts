import { jest } from '@jest/globals';
import pg from 'pg';

jest.setTimeout(90_000);
import { errorOf, newOrganization, ok } from './support/fixtures.js';
import { bindSandboxApps, eventsOf, FAST_PUBLISHING, HOSTS, publish, publishableProgram, stagesBecome } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('publish to four hosts', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startTestGateway(FAST_PUBLISHING);
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  it('publishes one version to four hosts in one call and follows each to RELEASED, one event per transition', async () => {
    const { program, version } = await publishableProgram(gw, key);
    const checks = ok(
      await gw.gql(
        `query($a: ID!, $v: ID!) { validateMiniProgram(id: $a, versionId: $v) { host valid violations { field rule } } }`,
        { a: program.id, v: version.id },
        key,
      ),
    );
    expect(checks.validateMiniProgram.filter((c: { valid: boolean }) => !c.valid)).toEqual([]);
    const bindings = await bindSandboxApps(gw, key, program.id);
    const started = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: HOSTS, release: 'AUTO' })).publish;
    expect(started.submissions.map((s: { host: string }) => s.host)).toEqual(HOSTS);
    expect(started.progress.total).toBe(4);

    const done = await stagesBecome(gw, key, started.id, Object.fromEntries(HOSTS.map((h) => [h, 'RELEASED'])));
    expect(done.progress).toMatchObject({ total: 4, released: 4, failed: 0, settled: true });

    // The sandboxes agree: 1.0.0 is live on every host.
    for (const host of HOSTS) expect((await gw.sandboxes!.live(host, bindings[host].hostAppId)).liveVersion).toBe('1.0.0');
    const listed = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { bindings { host liveVersion } } }`, { id: program.id }, key));
    expect(listed.miniProgram.bindings.every((b: { liveVersion: string }) => b.liveVersion === '1.0.0')).toBe(true);

    // Every submission's events form one legal path, in sequence order, ending RELEASED.
    const events = await eventsOf(gw, key, program.id);
    for (const s of done.submissions) {
      const path = events.filter((e) => e.submissionId === s.id && e.type === 'STAGE_CHANGED').map((e) => e.toStage);
      expect(path[0]).toBe('PENDING');
      expect(path.at(-1)).toBe('RELEASED');
      expect(path).toEqual(expect.arrayContaining(['UPLOADING', 'IN_REVIEW', 'APPROVED']));
      expect(new Set(path).size).toBe(path.length);
    }
    const seqs = events.map((e) => BigInt(e.seq));
    expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);

    // The version is locked now.
    const locked = ok(await gw.gql(`query($id: ID!) { version(id: $id) { locked } }`, { id: version.id }, key));
    expect(locked.version.locked).toBe(true);
  });

  it('goes on from an upload the host took at once to the submit, and from an approval to the release, without queueing a job between', async () => {
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['WECHAT']);
    const started = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, started.id, { WECHAT: 'RELEASED' });
    const submissionId = started.submissions[0].id as string;
    const db = new pg.Client({ connectionString: gw.databaseUrl });
    await db.connect();
    try {
      // When each stage was entered (its transaction's start, to the millisecond: hence the 1 ms
      // either side), and which of the submission's step jobs were due at once (not a poll or a busy retry).
      const entered = async (stage: string) =>
        (
          await db.query<{ at: Date }>(`SELECT created_at AS at FROM listing_events WHERE submission_id = $1 AND type = 'STAGE_CHANGED' AND to_stage = $2`, [
            submissionId,
            stage,
          ])
        ).rows[0].at;
      const dueAtOnce = async (from: Date, to: Date) =>
        Number(
          (
            await db.query(
              `SELECT count(*) AS n FROM pgboss.job WHERE name = 'submission-step' AND data->>'submissionId' = $1
                 AND start_after <= created_on + interval '20 milliseconds'
                 AND created_on BETWEEN $2::timestamptz - interval '1 millisecond' AND $3::timestamptz + interval '1 millisecond'`,
              [submissionId, from, to],
            )
          ).rows[0].n,
        );
      // WeChat's upload (commit) answers at once: the submit follows in the publish's own job.
      expect(await dueAtOnce(await entered('PENDING'), await entered('IN_REVIEW'))).toBe(1);
      // The review poll that sees the approval releases in the same job.
      expect(await dueAtOnce(await entered('APPROVED'), await entered('RELEASED'))).toBe(0);
      const path = (await eventsOf(gw, key, program.id)).filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.toStage);
      expect(path).toEqual(['PENDING', 'UPLOADING', 'UPLOADED', 'IN_REVIEW', 'APPROVED', 'RELEASED']);
    } finally {
      await db.end();
    }
  });

  it('refuses with every violation, an unbound host, and a gray percentage a host does not take, before anything is queued', async () => {
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['WECHAT']);
    const err = errorOf(
      await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT', 'BAIDU'], release: 'AUTO', grayPercentage: 10 }),
    );
    expect(err.code).toBe('BAD_USER_INPUT');
    const rules = err.violations.map((v: { field: string; rule: string }) => `${v.field}:${v.rule}`);
    expect(rules).toEqual(expect.arrayContaining(['hosts.1:hostNotBound', 'grayPercentage:capabilityMissing']));
    const runs = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { publishRuns(first: 5) { edges { node { id } } } } }`, { id: program.id }, key));
    expect(runs.miniProgram.publishRuns.edges).toEqual([]);
  });

  it('returns the same run for a replayed idempotency key, and CONFLICT for another input under it', async () => {
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['ALIPAY']);
    const input = { miniProgramId: program.id, versionId: version.id, hosts: ['ALIPAY'], release: 'MANUAL', idempotencyKey: `key-${program.id}` };
    const [a, b] = await Promise.all([publish(gw, key, input), publish(gw, key, input)]);
    expect(ok(a).publish.id).toBe(ok(b).publish.id);
    expect(ok(await publish(gw, key, input)).publish.id).toBe(ok(a).publish.id);
    const other = errorOf(await publish(gw, key, { ...input, release: 'AUTO' }));
    expect(other.code).toBe('CONFLICT');
    expect(other.violations).toEqual([expect.objectContaining({ field: 'idempotencyKey', rule: 'idempotencyKeyReused' })]);
  });
});
