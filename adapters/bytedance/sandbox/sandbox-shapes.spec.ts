import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { answersOutOfShape, fixturesNeverMet, recordingTransport, type RecordedAnswer } from '../../core/conformance/answer-shapes.js';
import { eventually } from '../../core/conformance/eventually.js';
import { ConformancePushReceiver } from '../../core/conformance/push-receiver.js';
import { createHttpTransport, fixtureNamed, InMemoryTokenStore, shapeMismatches, type CallContext, type HostVersionRef } from '../../core/index.js';
import type { BytedanceAdapter } from '../bytedance.adapter.js';
import type { BytedanceCredentials } from '../bytedance.credentials.js';
import { decryptMessage } from '../bytedance.crypto.js';
import { bytedanceAdapterFactory } from '../bytedance.factory.js';
import { bytedanceConformanceHarness as H } from '../bytedance.harness.js';
import { BYTEDANCE_ANSWER_FIXTURES as F } from '../fixtures/bytedance.answers.js';
import { BytedanceSandbox } from './bytedance-sandbox.js';

// The sandbox stands for the host only while it answers in the host's shapes: every answer it
// gives through a full lifecycle is compared with the fixtures copied from the host's docs and SDK.

const isError = (json: unknown) => {
  const j = (json ?? {}) as Record<string, unknown>;
  return (j.err_no !== undefined && j.err_no !== 0) || (j.errno !== undefined && j.errno !== 0);
};
const errorGroup = (call: string) => (call.includes('/auth/tp/token/') ? 'componentToken' : 'v2');

describe('Douyin sandbox answers in the shapes of the answer fixtures', () => {
  const sandbox = new BytedanceSandbox({ ticketIntervalMs: 0, submitIntervalMs: 0, auditHosts: ['douyin', 'toutiao'] });
  const log: RecordedAnswer[] = [];
  const pushes: string[] = [];
  let adapter: BytedanceAdapter;
  let receiver: ConformancePushReceiver;
  let ctx: CallContext<BytedanceCredentials>;

  beforeAll(async () => {
    await sandbox.start();
    adapter = bytedanceAdapterFactory.create({
      baseUrl: sandbox.baseUrl,
      http: recordingTransport(createHttpTransport({ defaultTimeoutMs: 10_000 }), log),
      tokenStore: new InMemoryTokenStore(),
    }) as BytedanceAdapter;
    receiver = new ConformancePushReceiver((raw) => {
      pushes.push(raw.body);
      return adapter.parseCallback(raw, sandbox.callbackSecrets);
    });
    sandbox.setCallbackUrl(`${await receiver.start()}/callbacks/bytedance`);
    const app = await sandbox.createApp();
    ctx = { hostAppId: app.hostAppId, credentials: app.credentials as BytedanceCredentials };
    await driveLifecycle();
  });

  afterAll(async () => {
    await sandbox.stop();
    await receiver.stop();
  });

  const status = (ref: HostVersionRef, want: string) =>
    eventually(
      async () => {
        expect((await adapter.reviewStatus(ctx, ref)).status).toBe(want);
      },
      { timeoutMs: 10_000 },
    );

  /** Tokens, upload, a rejection with screenshots, approval, release, gray, rollback, and refusals. */
  async function driveLifecycle(): Promise<void> {
    // Basic info: read, a held name review, an icon through upload_material, the name quota used up.
    sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.readBasicInfo(ctx);
    for (const name of ['城市点餐', '城市外卖', '城市团购']) {
      await adapter.applyBasicInfo(ctx, { field: 'name', name });
      // The approval comes on a timer: a change asked before it would be refused as in review (21004).
      await eventually(() => expect(sandbox.basicInfo.inReview(ctx.hostAppId, 'name')).toBe(false), { timeoutMs: 10_000 });
    }
    await expect(adapter.applyBasicInfo(ctx, { field: 'name', name: '城市生鲜' })).rejects.toMatchObject({ nativeCode: '20105' });
    await adapter.applyBasicInfo(ctx, { field: 'icon', icon: { bytes: Buffer.from('89504e470d0a1a0a', 'hex'), contentType: 'image/png' } });
    await adapter.readBasicInfo(ctx);
    const def = H.validDefinition();
    await adapter.readListing(ctx);
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '首页内容为空', screenshots: ['https://sandbox.test/shot1.png'] });
    const up = await adapter.upload(ctx, def, H.validVersion('1.0.0'));
    const sub = await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), up.ref);
    await status(sub.ref, 'REJECTED');
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), sub.ref);
    await status(sub.ref, 'APPROVED');
    await adapter.release(ctx, sub.ref);
    await expect(adapter.release(ctx, sub.ref)).rejects.toMatchObject({ nativeCode: '11402' });
    const v2 = await adapter.upload(ctx, def, H.validVersion('1.1.0'));
    const sub2 = await adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), v2.ref);
    await status(sub2.ref, 'APPROVED');
    sandbox.setConsoleGray(ctx.hostAppId, { douyin: '30', toutiao: '10' });
    expect(await adapter.readListing(ctx)).toMatchObject({ grayVersion: '1.1.0', grayPercentage: 30 });
    await adapter.release(ctx, sub2.ref);
    await adapter.rollback(ctx, sub2.ref);
    await expect(adapter.rollback(ctx, sub2.ref)).rejects.toMatchObject({ nativeCode: '11501' });
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const v3 = await adapter.upload(ctx, def, H.validVersion('1.2.0'));
    const sub3 = await adapter.submitForReview(ctx, def, H.validVersion('1.2.0'), v3.ref);
    await expect(adapter.submitForReview(ctx, def, H.validVersion('1.2.0'), sub3.ref)).rejects.toMatchObject({ nativeCode: '11303' });
    await adapter.withdrawReview(ctx, sub3.ref);
    // Refusals of the token endpoints, in their own envelopes.
    sandbox.faults.expireTokens();
    sandbox.faults.failNext({ path: '/openapi/v2/auth/tp/token/', nativeCode: '40037' });
    await expect(adapter.readListing(ctx)).rejects.toMatchObject({ nativeCode: '40037' });
    sandbox.faults.failNext({ path: '/api/tpapp/v2/auth/get_auth_token/', nativeCode: '40021' });
    await expect(adapter.readListing(ctx)).rejects.toMatchObject({ nativeCode: '40021' });
    await eventually(() => expect(pushes.length).toBeGreaterThanOrEqual(3), { timeoutMs: 10_000 });
  }

  it('gives no answer outside the fixtures (no err_no on the flat token, no data on void calls, maps by host)', () => {
    expect(log.length).toBeGreaterThan(15);
    expect(answersOutOfShape(log, F, { isError, errorGroup })).toEqual([]);
  });

  it('answers in the shape of every answer fixture at least once', () => {
    expect(fixturesNeverMet(log, F)).toEqual([]);
  });

  it('pushes the audit result in the shape of the push fixture', () => {
    const messages = pushes.map((body) => {
      const env = JSON.parse(body) as { Encrypt: string };
      return JSON.parse(decryptMessage(sandbox.callbackSecrets.encodingAesKey, env.Encrypt).message) as Record<string, unknown>;
    });
    const audits = messages.filter((m) => m.Event === 'PACKAGE_AUDIT');
    expect(audits.length).toBeGreaterThanOrEqual(2);
    for (const m of audits) expect(shapeMismatches(m, fixtureNamed(F, 'push.packageAudit').body)).toEqual([]);
  });

  it('pushes the ticket in the shape of the push fixture', async () => {
    const before = pushes.length;
    sandbox.pushTicket();
    await eventually(() => expect(pushes.length).toBe(before + 1), { timeoutMs: 10_000 });
    const env = JSON.parse(pushes[before]) as { Encrypt: string };
    const message = JSON.parse(decryptMessage(sandbox.callbackSecrets.encodingAesKey, env.Encrypt).message) as unknown;
    expect(shapeMismatches(message, fixtureNamed(F, 'push.ticket').body)).toEqual([]);
  });
});
