import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HostError, UnsupportedCapabilityError } from '../core/index.js';
import { bytedanceConformanceHarness as H } from './bytedance.harness.js';
import { eventually, Kit } from './bytedance.test-kit.js';

const kit = new Kit({ auditHosts: ['douyin', 'toutiao'] });
beforeAll(() => kit.start());
afterAll(() => kit.stop());
afterEach(() => kit.sandbox.faults.reset());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('Douyin lifecycle against the sandbox', () => {
  it('uploads, is rejected by push, resubmits, is approved, releases two versions and rolls back once', async () => {
    const ctx = await kit.app();
    kit.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '首页内容为空' });

    const up = await kit.adapter.upload(ctx, H.validDefinition(), H.validVersion('1.0.0'));
    expect(up).toMatchObject({ status: 'UPLOADED', ref: { version: '1.0.0', ids: { templateId: '3021' } } });
    // C2: template_id goes as an integer and ext_json as a JSON string.
    const uploadCall = kit.sandbox.recorded.find((c) => c.path.endsWith('/package_version/upload/'))!;
    expect(JSON.parse(uploadCall.body)).toMatchObject({
      template_id: 3021,
      user_version: '1.0.0',
      ext_json: '{"extAppid":"tt0000000000000000","ext":{"shop":"sandbox"}}',
    });
    expect(await kit.adapter.reviewStatus(ctx, up.ref)).toMatchObject({ status: 'UPLOADED' });

    const sub = await kit.adapter.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), up.ref);
    expect(sub).toMatchObject({ status: 'IN_REVIEW', ref: { ids: { hostNames: 'douyin,toutiao' } } });
    const auditCall = kit.sandbox.recorded.find((c) => c.path === '/api/apps/v2/package_version/audit/')!;
    expect(JSON.parse(auditCall.body)).toEqual({ host_names: ['douyin', 'toutiao'], audit_note: H.validVersion('1.0.0').releaseNotes, audit_way: 0 });

    // One push, one AuditResults entry per host app -> one event per host.
    await eventually(() => expect(kit.reviewEvents(ctx.hostAppId)).toEqual(['REVIEW_REJECTED']));
    const events = kit.receiver.reviewPushesFor(ctx.hostAppId)[0].events as unknown as Array<{
      type: string;
      ids: Record<string, string>;
      reason: string | null;
    }>;
    expect(events.map((e) => [e.type, e.ids.hostName, e.reason])).toEqual([
      ['REVIEW_REJECTED', 'douyin', '首页内容为空'],
      ['REVIEW_REJECTED', 'toutiao', '首页内容为空'],
    ]);
    expect(await kit.statusBecomes(ctx, sub.ref, 'REJECTED')).toMatchObject({ reason: 'douyin: 首页内容为空;toutiao: 首页内容为空' });

    kit.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await kit.submitted(ctx, '1.0.0', sub.ref);
    await kit.statusBecomes(ctx, sub.ref, 'APPROVED');
    await eventually(() => expect(kit.reviewEvents(ctx.hostAppId)).toEqual(['REVIEW_REJECTED', 'REVIEW_APPROVED']));
    expect(kit.receiver.reviewPushesFor(ctx.hostAppId)[1].events.map((e) => e.type)).toEqual(['REVIEW_APPROVED', 'REVIEW_APPROVED']);
    expect(await kit.adapter.readListing(ctx)).toMatchObject({ liveVersion: null, pendingVersion: '1.0.0', pendingStatus: 'APPROVED', visibility: 'HIDDEN' });

    expect(await kit.adapter.release(ctx, sub.ref)).toMatchObject({ status: 'RELEASING' });
    expect(await kit.adapter.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', pendingVersion: null, visibility: 'VISIBLE' });
    // C2: the first online version cannot be rolled back; on rollback 10003 is "no record".
    expect(await failure(kit.adapter.rollback(ctx, sub.ref))).toMatchObject({ kind: 'conflict', nativeCode: '10003', operation: 'rollback' });

    const v2 = await kit.submitted(ctx, '1.1.0');
    await kit.statusBecomes(ctx, v2, 'APPROVED');
    await kit.adapter.release(ctx, v2);
    expect(kit.sandbox.live(ctx.hostAppId)).toMatchObject({ liveVersion: '1.1.0' });
    expect(await kit.adapter.reviewStatus(ctx, sub.ref)).toMatchObject({ status: 'FAILED' });

    expect(await kit.adapter.rollback(ctx, v2)).toMatchObject({ restoredVersion: null });
    expect((await kit.adapter.readListing(ctx)).liveVersion).toBe('1.0.0');
    // A second rollback within 10 minutes is refused by the host (11501) and mapped with its wait.
    expect(await failure(kit.adapter.rollback(ctx, v2))).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 600_000, nativeCode: '11501' });
    expect(kit.sandbox.live(ctx.hostAppId).liveVersion).toBe('1.0.0');
  });

  it('withdraws a held review, then refuses a second withdraw (11601) and a release (11402)', async () => {
    const ctx = await kit.app();
    kit.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const ref = await kit.submitted(ctx, '2.0.0');
    expect(kit.sandbox.live(ctx.hostAppId).inReview).toBe('2.0.0');
    expect(await failure(kit.adapter.release(ctx, ref))).toMatchObject({ kind: 'conflict', nativeCode: '11403' });
    await kit.adapter.withdrawReview(ctx, ref);
    expect(await kit.adapter.reviewStatus(ctx, ref)).toMatchObject({ status: 'WITHDRAWN' });
    expect(await failure(kit.adapter.withdrawReview(ctx, ref))).toMatchObject({ kind: 'conflict', nativeCode: '11601' });
    expect(await failure(kit.adapter.release(ctx, ref))).toMatchObject({ kind: 'conflict', nativeCode: '11402' });
  });

  it('keeps a delayed review in audit without a push, and pushes the decision taken later', async () => {
    const ctx = await kit.app();
    kit.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'delay', reason: 'manual check', afterMs: 10 });
    const ref = await kit.submitted(ctx, '3.0.0');
    await eventually(() => expect(kit.sandbox.app(ctx.hostAppId).audit?.timer).toBeNull());
    expect(await kit.adapter.reviewStatus(ctx, ref)).toMatchObject({ status: 'IN_REVIEW' });
    expect(kit.reviewEvents(ctx.hostAppId)).toEqual([]);
    await kit.sandbox.decideReview(ctx.hostAppId, { decision: 'reject', reason: '类目不符' });
    await eventually(() => expect(kit.reviewEvents(ctx.hostAppId)).toEqual(['REVIEW_REJECTED']));
    expect(await kit.adapter.reviewStatus(ctx, ref)).toMatchObject({ status: 'REJECTED', reason: expect.stringContaining('类目不符') });
    await expect(kit.sandbox.decideReview(ctx.hostAppId, { decision: 'approve' })).rejects.toThrow(/no review in progress/);
  });

  it('refuses gray release, cancelGray, speed-up and analytics before any call', async () => {
    const ctx = await kit.app();
    const before = kit.sandbox.calls.length;
    const ref = { version: '1.0.0', ids: {} };
    for (const call of [
      () => kit.adapter.release(ctx, ref, { grayPercentage: 10 }),
      () => kit.adapter.cancelGray(ctx, ref),
      () => kit.adapter.speedUpReview(ctx, ref),
      () => kit.adapter.analytics(ctx, '2024-01-01'),
    ]) {
      expect(await failure(call())).toBeInstanceOf(UnsupportedCapabilityError);
    }
    expect(kit.sandbox.calls.length).toBe(before);
  });

  it('maps injected native errors and keeps log_id as the request id', async () => {
    const ctx = await kit.app();
    await kit.adapter.probe(ctx);
    kit.sandbox.faults.failNext({ path: /versions/, nativeCode: '28001018' });
    const err = (await failure(kit.adapter.readListing(ctx))) as HostError;
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ host: 'BYTEDANCE', kind: 'auth', retryable: false, nativeCode: '28001018', operation: 'readListing' });
    expect(err.requestId).toMatch(/^\d{14}[0-9A-F]{18}$/);
  });
});
