import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../core/conformance/eventually.js';
import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { createHttpTransport, HostError, InMemoryTokenStore, UnsupportedCapabilityError, type CallContext, type HostVersionRef } from '../core/index.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { alipayAdapterFactory } from './alipay.factory.js';
import { alipayConformanceHarness as H } from './alipay.harness.js';
import { AlipaySandbox } from './sandbox/alipay-sandbox.js';

// The whole Alipay lifecycle against the sandbox with an asynchronous template build (A2.1) that
// takes BUILD_MS on the sandbox's clock; the test moves that clock, so a version is "still
// building" until the test finishes the build, whatever the machine's load.
const BUILD_MS = 60_000;
const clock = { ms: Date.now() };
const sandbox = new AlipaySandbox({ buildDelayMs: BUILD_MS, now: () => clock.ms });
const finishBuilds = () => (clock.ms += BUILD_MS);
const adapter = () =>
  alipayAdapterFactory.create({ baseUrl: sandbox.baseUrl, http: createHttpTransport({ defaultTimeoutMs: 10_000 }), tokenStore: new InMemoryTokenStore() });
let a: ReturnType<typeof adapter>;
let receiver: ConformancePushReceiver;
type Ctx = CallContext<AlipayCredentials>;

beforeAll(async () => {
  await sandbox.start();
  a = adapter();
  receiver = new ConformancePushReceiver((raw) => a.parseCallback(raw, sandbox.callbackSecrets));
  sandbox.setCallbackUrl(`${await receiver.start()}/callbacks/alipay`);
});
afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
});

async function newApp(): Promise<Ctx> {
  const app = await sandbox.createApp();
  return { hostAppId: app.hostAppId, credentials: app.credentials as AlipayCredentials };
}
const status = (ctx: Ctx, ref: HostVersionRef, expected: string) =>
  eventually(async () => expect((await a.reviewStatus(ctx, ref)).status).toBe(expected), { timeoutMs: 10_000, intervalMs: 30 });
const methodsSince = (n: number) => sandbox.calls.slice(n).map((c) => c.apiMethod.replace('alipay.open.mini.', ''));
async function approved(ctx: Ctx, semver: string): Promise<HostVersionRef> {
  const up = await a.upload(ctx, H.validDefinition(), H.validVersion(semver));
  finishBuilds();
  await status(ctx, up.ref, 'UPLOADED');
  const sub = await a.submitForReview(ctx, H.validDefinition(), H.validVersion(semver), up.ref);
  await status(ctx, sub.ref, 'APPROVED');
  return sub.ref;
}

describe('Alipay lifecycle against the sandbox', () => {
  it('builds, is rejected by push, resubmits, is approved, grays p10, releases and rolls back', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '首页内容为空', afterMs: 20 });
    const up = await a.upload(ctx, H.validDefinition(), H.validVersion('1.0.0'));
    expect(up).toMatchObject({ status: 'UPLOADING', nativeStatus: 'build_status 1', ref: { version: '1.0.0', ids: { appVersion: '1.0.0' } } });
    expect((await a.reviewStatus(ctx, up.ref)).status).toBe('UPLOADING');
    finishBuilds();
    expect((await a.reviewStatus(ctx, up.ref)).status).toBe('UPLOADED');

    const sub = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), up.ref);
    expect(sub.status).toBe('IN_REVIEW');
    await eventually(() => expect(receiver.reviewEventTypes(ctx.hostAppId)).toEqual(['REVIEW_REJECTED']), { timeoutMs: 10_000 });
    const rejected = await a.reviewStatus(ctx, sub.ref);
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: '首页内容为空', nativeStatus: 'AUDIT_REJECT' });

    // A2.4: the rejected version blocks audit.apply until audited.cancel; the adapter does it itself.
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    const before = sandbox.calls.length;
    const again = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), sub.ref);
    expect(methodsSince(before)).toEqual(['version.audit.apply', 'version.detail.query', 'version.audited.cancel', 'version.audit.apply']);
    await eventually(() => expect(receiver.reviewEventTypes(ctx.hostAppId)).toEqual(['REVIEW_REJECTED', 'REVIEW_APPROVED']), { timeoutMs: 10_000 });
    await status(ctx, again.ref, 'APPROVED');
    await a.release(ctx, again.ref);
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', grayVersion: null, visibility: 'VISIBLE' });

    const v2 = await approved(ctx, '1.1.0');
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', pendingVersion: '1.1.0', pendingStatus: 'APPROVED' });
    const calls = sandbox.calls.length;
    await expect(a.release(ctx, v2, { grayPercentage: 15 })).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    expect(sandbox.calls.length).toBe(calls);
    expect(await a.release(ctx, v2, { grayPercentage: 10 })).toMatchObject({ status: 'GRAY', grayPercentage: 10 });
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', grayVersion: '1.1.0', grayPercentage: 10 });
    expect(sandbox.calls.findLast((c) => c.apiMethod.endsWith('gray.online'))?.query).toMatchObject({
      biz_content: expect.stringContaining('"gray_strategy":"p10"'),
    });
    await a.cancelGray(ctx, v2);
    expect(await a.readListing(ctx)).toMatchObject({ grayVersion: null, pendingVersion: '1.1.0' });
    await a.release(ctx, v2, { grayPercentage: 50 });
    expect(sandbox.live(ctx.hostAppId)).toMatchObject({ grayVersion: '1.1.0', grayPercentage: 50 });
    await a.release(ctx, v2);
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '1.1.0', grayVersion: null, grayPercentage: null });

    expect(await a.rollback(ctx, v2)).toMatchObject({ restoredVersion: '1.0.0' });
    expect(sandbox.live(ctx.hostAppId)).toMatchObject({ liveVersion: '1.0.0', grayVersion: null });
  });

  it('withdraws a held review back to development', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const up = await a.upload(ctx, H.validDefinition(), H.validVersion('3.0.0'));
    finishBuilds();
    await status(ctx, up.ref, 'UPLOADED');
    const sub = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('3.0.0'), up.ref);
    expect(sandbox.live(ctx.hostAppId).inReview).toBe('3.0.0');
    await a.withdrawReview(ctx, sub.ref);
    expect(await a.reviewStatus(ctx, sub.ref)).toMatchObject({ status: 'WITHDRAWN', nativeStatus: 'INIT' });
    expect(sandbox.live(ctx.hostAppId).inReview).toBeNull();
  });

  it('meets the host guards as HostErrors: version not increasing, another version in audit, not approved', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const up = await a.upload(ctx, H.validDefinition(), H.validVersion('2.0.0'));
    const early = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('2.0.0'), up.ref).catch((e: unknown) => e);
    expect(early).toMatchObject({ kind: 'conflict', retryable: true, nativeCode: '40004/MINI_APP_PACKAGE_INFO_NOT_EXIST' });
    finishBuilds();
    await status(ctx, up.ref, 'UPLOADED');
    const sub = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('2.0.0'), up.ref);
    expect(await a.upload(ctx, H.validDefinition(), H.validVersion('1.9.9')).catch((e: unknown) => e)).toMatchObject({
      kind: 'conflict',
      nativeCode: '40004/VERSION_HAS_EXISTED',
    });
    const next = await a.upload(ctx, H.validDefinition(), H.validVersion('2.1.0'));
    finishBuilds();
    await status(ctx, next.ref, 'UPLOADED');
    const blocked = await a.submitForReview(ctx, H.validDefinition(), H.validVersion('2.1.0'), next.ref).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(HostError);
    expect(blocked).toMatchObject({
      host: 'ALIPAY',
      kind: 'conflict',
      retryable: false,
      nativeCode: '40004/CAN_NOT_SUBMIT_WITH_AUDIT_GRAY',
      operation: 'submitForReview',
    });
    expect((blocked as HostError).requestId).toMatch(/^sandbox-/);
    expect(await a.release(ctx, sub.ref).catch((e: unknown) => e)).toMatchObject({ kind: 'invalid', nativeCode: '40004/INVALID_VERSION_STATUS' });
    await sandbox.decideReview(ctx.hostAppId, { decision: 'approve' });
    await status(ctx, sub.ref, 'APPROVED');
  });

  it('refuses forged pushes and reports a revoked authorisation', async () => {
    const ctx = await newApp();
    expect(() => a.parseCallback(sandbox.forgePush(ctx.hostAppId, 'badSignature'), sandbox.callbackSecrets)).toThrow(
      expect.objectContaining({ reason: 'signature' }),
    );
    expect(() => a.parseCallback(sandbox.forgePush(ctx.hostAppId, 'wrongAppId'), sandbox.callbackSecrets)).toThrow(
      expect.objectContaining({ reason: 'app_id' }),
    );
    sandbox.revokeAuthorization(ctx.hostAppId);
    await eventually(
      () => expect(receiver.received.some((r) => r.parsed?.events.some((e) => e.type === 'UNAUTHORIZED' && e.hostAppId === ctx.hostAppId))).toBe(true),
      { timeoutMs: 10_000 },
    );
    const pushed = receiver.received.find((r) => r.parsed?.events.some((e) => e.type === 'UNAUTHORIZED'));
    expect(JSON.stringify(pushed?.parsed?.payload)).not.toContain(ctx.credentials.appAuthToken);
    expect(await a.readListing(ctx).catch((e: unknown) => e)).toMatchObject({ kind: 'auth', nativeCode: '20001/aop.invalid-app-auth-token' });
  });

  it('asks version.list.query for an explicit version_status list (without one the host returns nothing)', async () => {
    const ctx = await newApp();
    const ref = await approved(ctx, '1.0.0');
    await a.release(ctx, ref);
    const before = sandbox.calls.length;
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', visibility: 'VISIBLE' });
    const list = sandbox.calls.slice(before).find((c) => c.apiMethod === 'alipay.open.mini.version.list.query');
    const biz = JSON.parse(list!.query.biz_content) as { version_status?: string };
    expect(biz.version_status?.split(',')).toEqual(expect.arrayContaining(['RELEASE', 'GRAY', 'AUDITING', 'WAIT_RELEASE']));
  });

  it('reads answers in neither node, or HTML from a proxy, as unexpected answers kept as evidence, never retried', async () => {
    const ctx = await newApp();
    await a.readListing(ctx);
    for (const body of ['<html><title>502</title></html>', '{"alipay_open_mini_version_list_query_response":{"msg":"no code"}}', '{"foo":{}}']) {
      sandbox.faults.answerNext({ body });
      const e = await a.readListing(ctx).then(
        () => null,
        (err: unknown) => err as HostError,
      );
      expect(e).toMatchObject({ kind: 'unexpected_answer', retryable: false, evidence: body });
    }
  });
});
