import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { answersOutOfShape, fixturesNeverMet, recordingTransport, type RecordedAnswer } from '../../core/conformance/answer-shapes.js';
import { eventually } from '../../core/conformance/eventually.js';
import { ConformancePushReceiver } from '../../core/conformance/push-receiver.js';
import { createHttpTransport, fixtureNamed, InMemoryTokenStore, shapeMismatches, type CallContext, type HostVersionRef } from '../../core/index.js';
import { BaiduAdapter } from '../baidu.adapter.js';
import type { BaiduCredentials } from '../baidu.credentials.js';
import { decryptMessage } from '../baidu.crypto.js';
import { baiduConformanceHarness as H } from '../baidu.harness.js';
import { BAIDU_ANSWER_FIXTURES as F } from '../fixtures/baidu.answers.js';
import { BaiduSandbox } from './baidu-sandbox.js';

// The sandbox stands for the host only while it answers in the host's shapes: every answer it
// gives through a lifecycle is compared with the fixtures copied from the official SDKs.

const isError = (json: unknown) => {
  const j = (json ?? {}) as Record<string, unknown>;
  return (j.errno !== undefined && j.errno !== 0) || j.error_code !== undefined || j.error !== undefined;
};

describe('Baidu sandbox answers in the shapes of the answer fixtures', () => {
  const sandbox = new BaiduSandbox({ ticketIntervalMs: 0, rollbackDelayMs: 50, failingTemplateIds: ['666'] });
  const log: RecordedAnswer[] = [];
  const pushes: string[] = [];
  let adapter: BaiduAdapter;
  let receiver: ConformancePushReceiver;
  let ctx: CallContext<BaiduCredentials>;

  const status = (ref: HostVersionRef, want: string) =>
    eventually(
      async () => {
        const s = await adapter.reviewStatus(ctx, ref);
        expect(s.status).toBe(want);
        return s.ref;
      },
      { timeoutMs: 10_000 },
    );

  beforeAll(async () => {
    await sandbox.start();
    adapter = new BaiduAdapter(
      { baseUrl: sandbox.baseUrl, http: recordingTransport(createHttpTransport({ defaultTimeoutMs: 10_000 }), log), tokenStore: new InMemoryTokenStore() },
      { uploadSettleMs: 0 },
    );
    receiver = new ConformancePushReceiver((raw) => {
      pushes.push(raw.body);
      return adapter.parseCallback(raw, sandbox.callbackSecrets);
    });
    sandbox.setCallbackUrl(`${await receiver.start()}/callbacks/baidu`);
    const app = await sandbox.createApp();
    ctx = { hostAppId: app.hostAppId, credentials: app.credentials as BaiduCredentials };

    const def = H.validDefinition();
    await adapter.probe(ctx);
    // Basic info: a name review rejected, an icon upload, the name quota used up, an icon URL not from the upload.
    sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '名称过长' });
    await adapter.applyBasicInfo(ctx, { field: 'name', name: '城市点餐' });
    await eventually(() => expect(sandbox.basicInfo.inReview(ctx.hostAppId, 'name')).toBe(false), { timeoutMs: 10_000 });
    await adapter.readBasicInfo(ctx);
    sandbox.basicInfo.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.applyBasicInfo(ctx, { field: 'description', description: '附近餐厅在线点餐服务' });
    await adapter.applyBasicInfo(ctx, { field: 'icon', icon: { bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), contentType: 'image/png' } });
    await adapter.applyBasicInfo(ctx, { field: 'name', name: '城市外卖' });
    // The approval comes on a timer: the quota refusal below must not meet the review still in progress.
    await eventually(() => expect(sandbox.basicInfo.inReview(ctx.hostAppId, 'name')).toBe(false), { timeoutMs: 10_000 });
    await expect(adapter.applyBasicInfo(ctx, { field: 'name', name: '城市外卖' })).rejects.toMatchObject({ nativeCode: '47004' });
    sandbox.faults.failNext({ path: '/rest/2.0/smartapp/app/modifyheadimage', nativeCode: '47008' });
    await expect(
      adapter.applyBasicInfo(ctx, { field: 'icon', icon: { bytes: Buffer.from('89504e47', 'hex'), contentType: 'image/png' } }),
    ).rejects.toMatchObject({
      nativeCode: '47008',
    });
    await adapter.readBasicInfo(ctx);
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '名称与内容不符' });
    const up = await adapter.upload(ctx, def, H.validVersion('1.0.0'));
    const ref = await status(up.ref, 'UPLOADED');
    await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), ref);
    await status(ref, 'REJECTED');
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), ref);
    await status(ref, 'APPROVED');
    await adapter.release(ctx, ref);
    const up2 = await adapter.upload(ctx, def, H.validVersion('1.1.0'));
    const ref2 = await status(up2.ref, 'UPLOADED');
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    await adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), ref2);
    await adapter.reviewStatus(ctx, ref2);
    await adapter.withdrawReview(ctx, ref2);
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), ref2);
    await status(ref2, 'APPROVED');
    await adapter.release(ctx, ref2);
    await adapter.readListing(ctx);
    await adapter.rollback(ctx, ref2);
    const failing = await adapter.upload(ctx, def, { ...H.validVersion('1.2.0'), artifact: { kind: 'TEMPLATE', templateId: '666', extJson: {} } });
    await status(failing.ref, 'FAILED');
    await adapter.analytics(ctx, '2024-01-01');
    sandbox.faults.failNext({ path: '/rest/2.0/smartapp/package/submitaudit', nativeCode: '69013' });
    await expect(adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), ref2)).rejects.toMatchObject({ nativeCode: '69013' });
    sandbox.faults.failNext({ path: '/rest/2.0/smartapp/package/submitaudit', nativeCode: '110', times: 2 });
    await expect(adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), ref2)).rejects.toMatchObject({ nativeCode: '110' });
    sandbox.faults.expireTokens();
    sandbox.faults.failNext({ path: '/rest/2.0/oauth/token', nativeCode: 'invalid_grant' });
    await expect(adapter.probe(ctx)).rejects.toMatchObject({ nativeCode: 'invalid_grant' });
    await eventually(() => expect(pushes.length).toBeGreaterThanOrEqual(3), { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await sandbox.stop();
    await receiver.stop();
  });

  it('gives no answer outside the fixtures (bare oauth answer, gateway envelope, package items by state)', () => {
    expect(log.length).toBeGreaterThan(20);
    expect(answersOutOfShape(log, F, { isError })).toEqual([]);
  });

  it('answers in the shape of every answer fixture at least once', () => {
    expect(fixturesNeverMet(log, F)).toEqual([]);
  });

  it('pushes audit results in the shapes of the push fixtures (numeric ids)', () => {
    const messages = pushes.map((body) => {
      const env = JSON.parse(body) as { Encrypt: string };
      return JSON.parse(decryptMessage(sandbox.callbackSecrets.encodingAesKey, env.Encrypt).message) as Record<string, unknown>;
    });
    const pass = messages.filter((m) => m.event === 'PACKAGE_AUDIT_PASS');
    const fail = messages.filter((m) => m.event === 'PACKAGE_AUDIT_FAIL');
    expect([pass.length > 0, fail.length > 0]).toEqual([true, true]);
    for (const m of pass) expect(shapeMismatches(m, fixtureNamed(F, 'push.packageAuditPass').body)).toEqual([]);
    for (const m of fail) expect(shapeMismatches(m, fixtureNamed(F, 'push.packageAuditFail').body)).toEqual([]);
  });
});
