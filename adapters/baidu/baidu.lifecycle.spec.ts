import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../core/conformance/eventually.js';
import { CallbackRejectedError, createHttpTransport, HostError, UnsupportedCapabilityError, type CallContext, type HostVersionRef } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import type { BaiduCredentials } from './baidu.credentials.js';
import { baiduConformanceHarness as h } from './baidu.harness.js';
import { BaiduSpecRig } from './baidu.spec-support.js';

const rig = new BaiduSpecRig();
const def = h.validDefinition();
type Ctx = CallContext<BaiduCredentials>;

async function hostError(p: Promise<unknown>): Promise<HostError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof HostError)) throw new Error(`expected a HostError, got ${String(err)}`);
  return err;
}

async function status(ctx: Ctx, ref: HostVersionRef, expected: string) {
  return eventually(
    async () => {
      const s = await rig.adapter.reviewStatus(ctx, ref);
      expect(s.status).toBe(expected);
      return s;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
}

/** Uploaded and built; the ref then carries the package id (an uploading package is listed without one). */
async function uploaded(ctx: Ctx, semver: string): Promise<HostVersionRef> {
  const up = await rig.adapter.upload(ctx, def, h.validVersion(semver));
  return (await status(ctx, up.ref, 'UPLOADED')).ref;
}

beforeAll(() => rig.start());
afterAll(() => rig.stop());

describe('Baidu adapter against its sandbox', () => {
  it('uploads asynchronously: UPLOADING at first, then found through package/get by user_version', async () => {
    const ctx = await rig.newApp();
    // The sandbox keeps the upload going until the test ends it, so "at first" is not a race.
    rig.sandbox.holdUploads();
    const up = await rig.adapter.upload(ctx, def, h.validVersion('1.0.0'));
    expect(up.status).toBe('UPLOADING');
    // package/get lists a package still uploading without its package_id (fixture package.get.success).
    expect(up.ref.ids.packageId).toBeUndefined();
    expect((await rig.adapter.reviewStatus(ctx, up.ref)).status).toBe('UPLOADING');
    rig.sandbox.releaseUploads();
    const found = await status(ctx, up.ref, 'UPLOADED');
    expect(found.ref.ids.packageId).toMatch(/^\d+$/);
    // A ref without the upload's notes is resolved by user_version too.
    expect((await status(ctx, { version: '1.0.0', ids: {} }, 'UPLOADED')).ref.ids.packageId).toBe(found.ref.ids.packageId);
    // ext_json went out as a string with extEnable and this app's extAppid (the sandbox refuses it otherwise).
    expect(rig.sandbox.app(ctx.hostAppId).packages[0]).toMatchObject({ version: '1.0.0', templateId: '23' });
  });

  it('reports a failed template build as FAILED with the host reason, and as invalid when upload waits for it', async () => {
    const ctx = await rig.newApp();
    const failing = { ...h.validVersion('1.0.0'), artifact: { kind: 'TEMPLATE' as const, templateId: '666', extJson: {} } };
    const up = await rig.adapter.upload(ctx, def, failing);
    expect(await status(ctx, up.ref, 'FAILED')).toMatchObject({ reason: 'template build failed', nativeStatus: 'upload_status 3' });
    const waiting = new BaiduAdapter({ baseUrl: rig.sandbox.baseUrl, http: createHttpTransport(), tokenStore: rig.store }, { uploadSettleMs: 20_000 });
    expect(await hostError(waiting.upload(ctx, def, { ...failing, version: '1.0.1' }))).toMatchObject({
      kind: 'invalid',
      nativeCode: '1',
      nativeMessage: 'template build failed',
    });
  });

  it('a re-upload of the same user_version is a new package, not the old one', async () => {
    const ctx = await rig.newApp();
    const first = await uploaded(ctx, '1.0.0');
    const second = await rig.adapter.upload(ctx, def, h.validVersion('1.0.0'));
    expect(second.ref.ids.supersedes).toBe(first.ids.packageId);
    expect(second.ref.ids.packageId).not.toBe(first.ids.packageId);
  });

  it('is rejected by push, resubmitted, approved, released, ships 1.1.0 and rolls back', async () => {
    const ctx = await rig.newApp();
    rig.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '名称与内容不符' });
    const ref = await uploaded(ctx, '1.0.0');
    const sub = await rig.adapter.submitForReview(ctx, def, h.validVersion('1.0.0'), ref);
    expect(sub).toMatchObject({ status: 'IN_REVIEW', ref: { ids: { packageId: ref.ids.packageId, submitted: '1' } } });
    await eventually(() => expect(rig.receiver.reviewEventTypes(ctx.hostAppId)).toEqual(['REVIEW_REJECTED']), { timeoutMs: 10_000 });
    const push = rig.receiver.reviewPushesFor(ctx.hostAppId)[0].events[0];
    expect(push).toMatchObject({ reason: '名称与内容不符', version: '1.0.0', ids: { packageId: ref.ids.packageId } });
    expect((await status(ctx, sub.ref, 'REJECTED')).reason).toBe('名称与内容不符');

    rig.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const again = await rig.adapter.submitForReview(ctx, def, h.validVersion('1.0.0'), sub.ref);
    await status(ctx, again.ref, 'IN_REVIEW');
    await rig.sandbox.decideReview(ctx.hostAppId, { decision: 'approve' });
    await eventually(() => expect(rig.receiver.reviewEventTypes(ctx.hostAppId)).toEqual(['REVIEW_REJECTED', 'REVIEW_APPROVED']), { timeoutMs: 10_000 });
    await status(ctx, again.ref, 'APPROVED');
    expect(await rig.adapter.release(ctx, again.ref)).toMatchObject({ status: 'RELEASED' });
    expect(await rig.adapter.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', visibility: 'VISIBLE', pendingVersion: null });

    rig.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve', afterMs: 50 });
    const v2 = await rig.adapter.submitForReview(ctx, def, h.validVersion('1.1.0'), await uploaded(ctx, '1.1.0'));
    await status(ctx, v2.ref, 'APPROVED');
    expect(await rig.adapter.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', pendingVersion: '1.1.0', pendingStatus: 'APPROVED' });
    await rig.adapter.release(ctx, v2.ref);
    expect((await rig.adapter.readListing(ctx)).liveVersion).toBe('1.1.0');

    expect(await rig.adapter.rollback(ctx, v2.ref)).toMatchObject({ restoredVersion: '1.0.0' });
    await eventually(async () => expect((await rig.adapter.readListing(ctx)).liveVersion).toBe('1.0.0'), { timeoutMs: 10_000, intervalMs: 50 });
    expect(rig.sandbox.live(ctx.hostAppId)).toEqual({ liveVersion: '1.0.0', grayVersion: null, grayPercentage: null, inReview: null });
    // Nothing older is left to roll back to (B2 guard, our code 40032).
    expect(await hostError(rig.adapter.rollback(ctx, v2.ref))).toMatchObject({ kind: 'conflict', nativeCode: '40032' });
  });

  it('withdraws a package under audit; the package is back in development and reported WITHDRAWN', async () => {
    const ctx = await rig.newApp();
    rig.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const sub = await rig.adapter.submitForReview(ctx, def, h.validVersion('2.0.0'), await uploaded(ctx, '2.0.0'));
    await rig.adapter.withdrawReview(ctx, sub.ref);
    const s = await rig.adapter.reviewStatus(ctx, sub.ref);
    expect({ status: s.status, native: s.nativeStatus }).toEqual({ status: 'WITHDRAWN', native: 'status 3' });
    expect(await hostError(rig.adapter.withdrawReview(ctx, sub.ref))).toMatchObject({ kind: 'conflict', nativeCode: '40045' });
  });

  it('enforces one package under audit and release only after audit passed', async () => {
    const ctx = await rig.newApp();
    rig.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const a = await uploaded(ctx, '1.0.0');
    const b = await uploaded(ctx, '1.0.1');
    await rig.adapter.submitForReview(ctx, def, h.validVersion('1.0.0'), a);
    expect(await hostError(rig.adapter.submitForReview(ctx, def, h.validVersion('1.0.1'), b))).toMatchObject({
      kind: 'conflict',
      nativeCode: '40045',
      operation: 'submitForReview',
    });
    expect(await hostError(rig.adapter.release(ctx, a))).toMatchObject({ kind: 'conflict', nativeCode: '40032' });
  });

  it('reads a day of analytics from the user trend', async () => {
    const ctx = await rig.newApp();
    const a = await rig.adapter.analytics(ctx, '2024-01-01');
    expect(a).toMatchObject({ day: '2024-01-01', pageViews: null });
    for (const k of ['opens', 'uniqueVisitors', 'newVisitors', 'avgStaySeconds'] as const) expect(typeof a[k]).toBe('number');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(await hostError(rig.adapter.analytics(ctx, today))).toMatchObject({ kind: 'invalid', nativeCode: '40001' });
    expect(rig.sandbox.recorded.filter((c) => c.path === '/rest/2.0/smartapp/data/getanalysisusertrend').at(-1)?.params).toMatchObject({
      start_date: today.replaceAll('-', ''),
      end_date: today.replaceAll('-', ''),
      gran: 'day',
    });
  });

  it('refuses gray release, cancelGray and speed-up before any call', async () => {
    const ctx = await rig.newApp();
    const before = rig.sandbox.calls.length;
    const ref = { version: '1.0.0', ids: { packageId: '1' } };
    for (const call of [
      () => rig.adapter.release(ctx, ref, { grayPercentage: 10 }),
      () => rig.adapter.cancelGray(),
      () => rig.adapter.speedUpReview(),
      () =>
        rig.adapter.upload(ctx, def, {
          ...h.validVersion('1.0.0'),
          artifact: { kind: 'PACKAGE', url: 'https://x.test/p.zip', sha256: 'a'.repeat(64), sizeBytes: 1 },
        }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    }
    expect(rig.sandbox.calls.length).toBe(before);
  });

  it('maps injected native errors, 503 and hangs', async () => {
    const ctx = await rig.newApp();
    await rig.adapter.probe(ctx);
    rig.sandbox.faults.failNext({ path: '/rest/2.0/smartapp/package/upload', nativeCode: '69013' });
    expect(await hostError(rig.adapter.upload(ctx, def, h.validVersion('1.0.0')))).toMatchObject({
      kind: 'quota',
      retryable: true,
      nativeCode: '69013',
      operation: 'upload',
    });
    rig.sandbox.faults.serverErrorRate = 1;
    expect(await hostError(rig.adapter.readListing(ctx))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    rig.sandbox.faults.reset();
    // The hang outlasts any test: only the adapter's own deadline can end the call.
    Object.assign(rig.sandbox.faults, { timeoutRate: 1, hangMs: 600_000 });
    expect(await hostError(rig.newAdapter(rig.store, 200).probe(ctx))).toMatchObject({ kind: 'unavailable', nativeCode: 'TIMEOUT' });
    rig.sandbox.faults.reset();
  });

  it('refuses forged pushes and takes delayed, reordered and duplicated ones', async () => {
    const ctx = await rig.newApp();
    const secrets = rig.sandbox.callbackSecrets;
    for (const [kind, reason] of [
      ['badSignature', 'signature'],
      ['wrongAppId', 'app_id'],
    ] as const) {
      expect(() => rig.adapter.parseCallback(rig.sandbox.forgePush(ctx.hostAppId, kind), secrets)).toThrow(CallbackRejectedError);
      expect(() => rig.adapter.parseCallback(rig.sandbox.forgePush(ctx.hostAppId, kind), secrets)).toThrow(reason);
    }
    const other = await rig.newApp();
    for (const c of [ctx, other]) rig.sandbox.setReviewPolicy(c.hostAppId, { decision: 'hold' });
    for (const c of [ctx, other]) await rig.adapter.submitForReview(c, def, h.validVersion('1.0.0'), await uploaded(c, '1.0.0'));
    // Both results are held until the test releases them: late, and late together.
    Object.assign(rig.sandbox.faults, { reorderPushes: true, duplicatePushes: true });
    rig.sandbox.pushes.hold();
    await rig.sandbox.decideReview(ctx.hostAppId, { decision: 'approve' });
    await rig.sandbox.decideReview(other.hostAppId, { decision: 'reject', reason: 'late' });
    await eventually(() => expect(rig.sandbox.pushes.waiting).toBe(2), { timeoutMs: 10_000 });
    rig.sandbox.pushes.release();
    await eventually(() => expect(rig.receiver.reviewEventTypes(ctx.hostAppId)).toHaveLength(2), { timeoutMs: 10_000 });
    rig.sandbox.faults.reset();
    const order = rig.receiver.received.slice(-4).map((r) => r.parsed?.events[0]);
    expect(order.map((e) => e?.type)).toEqual(['REVIEW_REJECTED', 'REVIEW_REJECTED', 'REVIEW_APPROVED', 'REVIEW_APPROVED']);
    const keys = rig.receiver.received.slice(-4).map((r) => r.parsed?.dedupeKey);
    expect(new Set(keys).size).toBe(2);
  });
});
