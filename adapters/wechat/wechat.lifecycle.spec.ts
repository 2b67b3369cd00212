import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../core/conformance/eventually.js';
import { UnsupportedCapabilityError, type HostAdapter } from '../core/index.js';
import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { WechatSandbox } from './sandbox/wechat-sandbox.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { adapterFor, failure, newApp as newAppOn, pushEvents } from './wechat.spec-support.js';
import { wechatConformanceHarness as harness } from './wechat.harness.js';

const sandbox = new WechatSandbox({ ticketIntervalMs: 0 });
let adapter: HostAdapter<WechatCredentials>;
let receiver: ConformancePushReceiver;

const newApp = (sb = sandbox) => newAppOn(sb);

const reviewEvents = (appId: string) => pushEvents(receiver).filter((e) => 'hostAppId' in e && e.hostAppId === appId);

beforeAll(async () => {
  await sandbox.start();
  adapter = adapterFor(sandbox);
  receiver = new ConformancePushReceiver((raw) => adapter.parseCallback(raw, sandbox.callbackSecrets));
  // §5: WeChat replaces $APPID$ in the message URL with the authorizer appid.
  sandbox.setCallbackUrl(`${await receiver.start()}/$APPID$`);
});

afterAll(async () => {
  await sandbox.stop();
  await receiver.stop();
});

describe('WeChat adapter against its sandbox', () => {
  const def = harness.validDefinition();

  it('uploads, is rejected by push, resubmits, is approved, releases, grays, cancels and rolls back', async () => {
    const ctx = await newApp();
    const gh = sandbox.ghIdOf(ctx.hostAppId);
    const v1 = harness.validVersion('1.0.0');
    const up = await adapter.upload(ctx, def, v1);
    expect(up).toMatchObject({ status: 'UPLOADED', ref: { version: '1.0.0', ids: { templateId: '17' } } });
    const commitBody = JSON.parse(sandbox.recorded.find((c) => c.path === '/wxa/commit')!.body);
    expect(typeof commitBody.ext_json).toBe('string');
    expect(commitBody).toMatchObject({ template_id: 17, user_version: '1.0.0' });
    expect(await adapter.reviewStatus(ctx, up.ref)).toMatchObject({ status: 'UPLOADED' });

    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '页面内容不完整', screenshots: ['media1', 'media2'] });
    const sub = await adapter.submitForReview(ctx, def, v1, up.ref);
    expect(sub.status).toBe('IN_REVIEW');
    expect(sub.ref.ids.auditId).toMatch(/^\d+$/);
    await eventually(() => expect(reviewEvents(ctx.hostAppId).map((e) => e.type)).toEqual(['REVIEW_REJECTED']));
    expect(reviewEvents(ctx.hostAppId)[0]).toMatchObject({ ids: { ghId: gh }, reason: '页面内容不完整', screenshots: ['media1', 'media2'] });
    expect(await adapter.reviewStatus(ctx, sub.ref)).toMatchObject({
      status: 'REJECTED',
      reason: '页面内容不完整',
      screenshots: ['media1', 'media2'],
      nativeStatus: '1',
    });

    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    const again = await adapter.submitForReview(ctx, def, v1, up.ref);
    expect(again.ref.ids.auditId).not.toBe(sub.ref.ids.auditId);
    await eventually(() => expect(reviewEvents(ctx.hostAppId).map((e) => e.type)).toEqual(['REVIEW_REJECTED', 'REVIEW_APPROVED']));
    expect(await adapter.reviewStatus(ctx, again.ref)).toMatchObject({ status: 'APPROVED' });
    expect(await adapter.release(ctx, again.ref)).toMatchObject({ status: 'RELEASED' });
    expect(sandbox.live(ctx.hostAppId).liveVersion).toBe('1.0.0');

    const v2 = harness.validVersion('1.1.0');
    const up2 = await adapter.upload(ctx, def, v2);
    const sub2 = await adapter.submitForReview(ctx, def, v2, up2.ref);
    await eventually(async () => expect((await adapter.reviewStatus(ctx, sub2.ref)).status).toBe('APPROVED'));
    expect(await adapter.release(ctx, sub2.ref, { grayPercentage: 10 })).toMatchObject({ status: 'GRAY', grayPercentage: 10 });
    expect(await adapter.readListing(ctx)).toMatchObject({
      liveVersion: '1.0.0',
      grayVersion: '1.1.0',
      grayPercentage: 10,
      visibility: 'VISIBLE',
      pendingVersion: null,
    });
    expect(await failure(adapter.release(ctx, sub2.ref, { grayPercentage: 5 }))).toMatchObject({ kind: 'conflict', nativeCode: '85082' });
    expect(await failure(adapter.rollback(ctx, sub2.ref))).toMatchObject({ kind: 'conflict', nativeCode: '87011' });
    await adapter.cancelGray(ctx, sub2.ref);
    expect(sandbox.live(ctx.hostAppId)).toMatchObject({ liveVersion: '1.0.0', grayVersion: null });
    await adapter.release(ctx, sub2.ref, { grayPercentage: 30 });
    await adapter.release(ctx, sub2.ref);
    expect(await adapter.readListing(ctx)).toMatchObject({ liveVersion: '1.1.0', grayVersion: null, grayPercentage: null });

    expect(await adapter.rollback(ctx, sub2.ref)).toMatchObject({ restoredVersion: '1.0.0' });
    expect(sandbox.live(ctx.hostAppId).liveVersion).toBe('1.0.0');
    expect(await failure(adapter.rollback(ctx, sub2.ref))).toMatchObject({ kind: 'conflict', nativeCode: '87012' });
  });

  it('sends {} as the body of parameterless POSTs; the host refuses an empty body with 44002', async () => {
    const ctx = await newApp();
    sandbox.clearCalls();
    await adapter.readListing(ctx);
    const bodies = sandbox.recorded.filter((c) => c.path === '/wxa/getversioninfo' || c.path === '/wxa/getvisitstatus').map((c) => c.body);
    expect(bodies).toEqual(['{}', '{}']);
    const token = sandbox.tokens.issue('authorizer', ctx.hostAppId).token;
    const res = await fetch(`${sandbox.baseUrl}/wxa/release?access_token=${token}`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ errcode: 44002, errmsg: expect.stringMatching(/^empty post data rid: /) });
  });

  it('withdraws a held review and refuses a second submit while one is in review', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const v = harness.validVersion('2.0.0');
    const up = await adapter.upload(ctx, def, v);
    const sub = await adapter.submitForReview(ctx, def, v, up.ref);
    expect(await failure(adapter.submitForReview(ctx, def, v, up.ref))).toMatchObject({ kind: 'conflict', nativeCode: '85009', retryable: false });
    expect(await adapter.readListing(ctx)).toMatchObject({ pendingVersion: '2.0.0', pendingStatus: 'IN_REVIEW' });
    await adapter.speedUpReview(ctx, sub.ref);
    expect(await failure(adapter.speedUpReview(ctx, sub.ref))).toMatchObject({ kind: 'conflict', nativeCode: '89404' });
    await adapter.withdrawReview(ctx, sub.ref);
    expect(await adapter.reviewStatus(ctx, sub.ref)).toMatchObject({ status: 'WITHDRAWN', nativeStatus: '3' });
    expect(await failure(adapter.release(ctx, sub.ref))).toMatchObject({ kind: 'conflict', nativeCode: '85019' });
  });

  it('reports a delayed review as in review with delayed = true, then the later decision', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'delay', reason: '需要补充资质' });
    const v = harness.validVersion('1.0.0');
    const sub = await adapter.submitForReview(ctx, def, v, (await adapter.upload(ctx, def, v)).ref);
    await eventually(() => expect(reviewEvents(ctx.hostAppId).map((e) => e.type)).toEqual(['REVIEW_DELAYED']));
    expect(await adapter.reviewStatus(ctx, sub.ref)).toMatchObject({ status: 'IN_REVIEW', delayed: true, reason: '需要补充资质' });
    await sandbox.decideReview(ctx.hostAppId, { decision: 'approve' });
    await eventually(() => expect(reviewEvents(ctx.hostAppId).map((e) => e.type)).toEqual(['REVIEW_DELAYED', 'REVIEW_APPROVED']));
  });

  it('refuses a gray percentage outside the capability before any call', async () => {
    const ctx = await newApp();
    sandbox.clearCalls();
    for (const p of [0, 101, 12.5]) {
      await expect(adapter.release(ctx, { version: '1.0.0', ids: {} }, { grayPercentage: p })).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    }
    expect(sandbox.calls).toHaveLength(0);
  });
});
