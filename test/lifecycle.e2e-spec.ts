import { jest } from '@jest/globals';
import { createHttpTransport, InMemoryTokenStore, type HostId } from '../adapters/core/index.js';
import { HOST_REGISTRY } from '../src/hosts/host-adapter.registry.js';
import { errorOf, newOrganization, ok } from './support/fixtures.js';
import {
  bindSandboxApps,
  createPublishableVersion,
  eventsOf,
  eventually,
  FAST_PUBLISHING,
  HOSTS,
  publish,
  publishableProgram,
  stagesBecome,
  SUBMISSION_FIELDS,
} from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

jest.setTimeout(90_000);

describe('review, release, gray and rollback through the gateway', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startTestGateway({ ...FAST_PUBLISHING, SYNC_POLL_MAX_MS: '800' });
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  const mutate = (name: string, args: string, vars: Record<string, unknown>) =>
    gw.gql(
      `mutation(${Object.keys(vars)
        .map((k) => `$${k}: ${k === 'i' ? 'ReleaseInput!' : 'ID!'}`)
        .join(', ')}) { ${name}(${args}) { ${SUBMISSION_FIELDS} } }`,
      vars,
      key,
    );
  const bindingOf = async (programId: string, host: string) =>
    ok(
      await gw.gql(
        `query($id: ID!) { miniProgram(id: $id) { bindings { id host liveVersion grayVersion grayPercentage drift lastSyncedAt driftDetail { actual { liveVersion } } } } }`,
        { id: programId },
        key,
      ),
    ).miniProgram.bindings.find((b: { host: string }) => b.host === host);

  it('keeps the other hosts going when one rejects, shows the reason, and resubmits the fixed listing', async () => {
    const { program, version } = await publishableProgram(gw, key);
    const bindings = await bindSandboxApps(gw, key, program.id);
    await gw.sandboxes!.setReviewPolicy('BAIDU', bindings.BAIDU.hostAppId, { decision: 'reject', reason: 'the home page is empty', afterMs: 20 });
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: HOSTS, release: 'AUTO' })).publish;
    const done = await stagesBecome(gw, key, run.id, { WECHAT: 'RELEASED', ALIPAY: 'RELEASED', BAIDU: 'REJECTED', BYTEDANCE: 'RELEASED' });
    const baidu = done.submissions.find((s: { host: string }) => s.host === 'BAIDU');
    expect(baidu.rejectionReason).toContain('the home page is empty');
    expect(done.progress).toMatchObject({ released: 3, waitingForYou: 1, settled: true });

    await gw.sandboxes!.setReviewPolicy('BAIDU', bindings.BAIDU.hostAppId, { decision: 'approve', afterMs: 20 });
    ok(await mutate('retrySubmission', 'submissionId: $s', { s: baidu.id }));
    await stagesBecome(gw, key, run.id, Object.fromEntries(HOSTS.map((h) => [h, 'RELEASED'])));
    const path = (await eventsOf(gw, key, program.id)).filter((e) => e.submissionId === baidu.id && e.type === 'STAGE_CHANGED').map((e) => e.toStage);
    expect(path.slice(-4)).toEqual(['REJECTED', 'IN_REVIEW', 'APPROVED', 'RELEASED']);

    // A fixed version goes out as a new publish on the same binding.
    const fixed = await createPublishableVersion(gw, key, program.id, '1.0.1');
    const next = ok(await publish(gw, key, { miniProgramId: program.id, versionId: fixed.id, hosts: ['BAIDU'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, next.id, { BAIDU: 'RELEASED' });
    expect((await gw.sandboxes!.live('BAIDU', bindings.BAIDU.hostAppId)).liveVersion).toBe('1.0.1');
  });

  it('releases gray then full where the host offers it, refuses it clearly where not, and rolls back', async () => {
    const { program, version } = await publishableProgram(gw, key);
    const bindings = await bindSandboxApps(gw, key, program.id, ['WECHAT', 'BAIDU']);
    const first = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT', 'BAIDU'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, first.id, { WECHAT: 'RELEASED', BAIDU: 'RELEASED' });

    const v2 = await createPublishableVersion(gw, key, program.id, '1.1.0');
    const second = ok(await publish(gw, key, { miniProgramId: program.id, versionId: v2.id, hosts: ['WECHAT', 'BAIDU'], release: 'MANUAL' })).publish;
    const approved = await stagesBecome(gw, key, second.id, { WECHAT: 'APPROVED', BAIDU: 'APPROVED' });
    const [wechat, baidu] = ['WECHAT', 'BAIDU'].map((h) => approved.submissions.find((s: { host: string }) => s.host === h));

    const refused = errorOf(await mutate('release', 'input: $i', { i: { submissionId: baidu.id, grayPercentage: 10 } }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', violations: [expect.objectContaining({ field: 'grayPercentage', rule: 'capabilityMissing' })] });

    expect(ok(await mutate('release', 'input: $i', { i: { submissionId: wechat.id, grayPercentage: 10 } })).release.pendingAction).toEqual({
      op: 'release',
      grayPercentage: 10,
    });
    await stagesBecome(gw, key, second.id, { WECHAT: 'GRAY', BAIDU: 'APPROVED' });
    expect(await gw.sandboxes!.live('WECHAT', bindings.WECHAT.hostAppId)).toMatchObject({ liveVersion: '1.0.0', grayVersion: '1.1.0', grayPercentage: 10 });
    expect(await bindingOf(program.id, 'WECHAT')).toMatchObject({ liveVersion: '1.0.0', grayVersion: '1.1.0', grayPercentage: 10 });
    // WeChat's gray percentage may only grow.
    expect(errorOf(await mutate('release', 'input: $i', { i: { submissionId: wechat.id, grayPercentage: 5 } })).code).toBe('BAD_USER_INPUT');

    ok(await mutate('release', 'input: $i', { i: { submissionId: wechat.id } }));
    ok(await mutate('release', 'input: $i', { i: { submissionId: baidu.id } }));
    await stagesBecome(gw, key, second.id, { WECHAT: 'RELEASED', BAIDU: 'RELEASED' });
    expect(await bindingOf(program.id, 'WECHAT')).toMatchObject({ liveVersion: '1.1.0', grayVersion: null });

    for (const host of ['WECHAT', 'BAIDU'] as const) {
      const back = ok(await mutate('rollback', 'bindingId: $b', { b: bindings[host].id })).rollback;
      expect(back.pendingAction).toEqual({ op: 'rollback', grayPercentage: null });
    }
    await stagesBecome(gw, key, second.id, { WECHAT: 'ROLLED_BACK', BAIDU: 'ROLLED_BACK' });
    for (const host of ['WECHAT', 'BAIDU'] as const) {
      await eventually(async () => expect((await gw.sandboxes!.live(host, bindings[host].hostAppId)).liveVersion).toBe('1.0.0'));
      expect((await bindingOf(program.id, host)).liveVersion).toBe('1.0.0');
    }
    // Nothing earlier than 1.0.0 is known: a second rollback has nothing to restore.
    expect(errorOf(await mutate('rollback', 'bindingId: $b', { b: bindings.WECHAT.id })).code).toBe('CONFLICT');
  });

  it('refuses what a host or a stage does not allow, naming the field and the rule', async () => {
    const { program, version } = await publishableProgram(gw, key);
    const bindings = await bindSandboxApps(gw, key, program.id, ['ALIPAY', 'BYTEDANCE']);
    await gw.sandboxes!.setReviewPolicy('BYTEDANCE', bindings.BYTEDANCE.hostAppId, { decision: 'hold' });
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['ALIPAY', 'BYTEDANCE'], release: 'AUTO' })).publish;
    const state = await stagesBecome(gw, key, run.id, { ALIPAY: 'RELEASED', BYTEDANCE: 'IN_REVIEW' });
    const [alipay, douyin] = ['ALIPAY', 'BYTEDANCE'].map((h) => state.submissions.find((s: { host: string }) => s.host === h));
    expect(errorOf(await mutate('speedUpReview', 'submissionId: $s', { s: douyin.id }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      violations: [expect.objectContaining({ rule: 'capabilityMissing' })],
    });
    expect(errorOf(await mutate('withdrawReview', 'submissionId: $s', { s: alipay.id }))).toMatchObject({
      code: 'CONFLICT',
      violations: [expect.objectContaining({ field: 'submissionId', rule: 'stageDoesNotAllow' })],
    });
    expect(errorOf(await mutate('cancelGray', 'submissionId: $s', { s: alipay.id })).code).toBe('CONFLICT');
    // Douyin may withdraw a held review; then the run has nothing left to cancel.
    ok(await mutate('withdrawReview', 'submissionId: $s', { s: douyin.id }));
    await stagesBecome(gw, key, run.id, { ALIPAY: 'RELEASED', BYTEDANCE: 'WITHDRAWN' });
    expect(errorOf(await gw.gql(`mutation($id: ID!) { cancelPublishRun(id: $id) { id } }`, { id: run.id }, key)).code).toBe('CONFLICT');
  });

  it('flags drift when the host changes behind the gateway, and clears it when it matches again', async () => {
    const { program, version } = await publishableProgram(gw, key);
    const bindings = await bindSandboxApps(gw, key, program.id, ['WECHAT']);
    const first = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, first.id, { WECHAT: 'RELEASED' });
    const v2 = await createPublishableVersion(gw, key, program.id, '1.1.0');
    const second = ok(await publish(gw, key, { miniProgramId: program.id, versionId: v2.id, hosts: ['WECHAT'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, second.id, { WECHAT: 'RELEASED' });
    await eventually(async () => expect(await bindingOf(program.id, 'WECHAT')).toMatchObject({ liveVersion: '1.1.0', drift: false }));

    // Someone rolls back on the host's own console (here: the host API, not the gateway).
    const adapter = hostAdapter('WECHAT', (await gw.sandboxes!.hosts()).find((h) => h.host === 'WECHAT')!.baseUrl);
    const ctx = { hostAppId: bindings.WECHAT.hostAppId, credentials: bindings.WECHAT.credentials };
    await adapter.rollback(ctx, { version: '1.1.0', ids: {} });
    const drifted = await eventually(async () => {
      const b = await bindingOf(program.id, 'WECHAT');
      expect(b.drift).toBe(true);
      return b;
    });
    expect(drifted.driftDetail.actual.liveVersion).toBe('1.0.0');
    // A later read-back that sees the same difference says nothing new.
    await eventually(async () => expect(Date.parse((await bindingOf(program.id, 'WECHAT')).lastSyncedAt)).toBeGreaterThan(Date.parse(drifted.lastSyncedAt)));

    // And releases 1.1.0 again by hand: the host matches the gateway's picture again.
    await adapter.release(ctx, { version: '1.1.0', ids: {} });
    await eventually(async () => expect((await bindingOf(program.id, 'WECHAT')).drift).toBe(false));
    const types = (await eventsOf(gw, key, program.id)).map((e) => e.type).filter((t) => t.startsWith('DRIFT'));
    expect(types).toEqual(['DRIFT_DETECTED', 'DRIFT_CLEARED']);
  });
});

function hostAdapter(host: HostId, baseUrl: string) {
  return HOST_REGISTRY[host].factory.create({ baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore(), timeoutMs: 2_000 });
}
