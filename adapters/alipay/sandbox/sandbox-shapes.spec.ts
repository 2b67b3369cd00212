import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { answersOutOfShape, fixturesNeverMet, recordingTransport, type RecordedAnswer } from '../../core/conformance/answer-shapes.js';
import { eventually } from '../../core/conformance/eventually.js';
import { ConformancePushReceiver } from '../../core/conformance/push-receiver.js';
import {
  createHttpTransport,
  fixtureNamed,
  InMemoryTokenStore,
  shapeMismatches,
  type AnswerFixture,
  type CallContext,
  type HostVersionRef,
} from '../../core/index.js';
import type { AlipayAdapter } from '../alipay.adapter.js';
import { AlipayClient, responseKeyOf } from '../alipay.client.js';
import type { AlipayCredentials } from '../alipay.credentials.js';
import { alipayAdapterFactory } from '../alipay.factory.js';
import { alipayConformanceHarness as H } from '../alipay.harness.js';
import { verifyResponseSign } from '../alipay.signature.js';
import { ALIPAY_ANSWER_FIXTURES as F } from '../fixtures/alipay.answers.js';
import { AlipaySandbox } from './alipay-sandbox.js';
import { newKeyPair } from './sandbox-crypto.js';

// The sandbox stands for the gateway only while it answers in the gateway's shapes: every answer
// it gives through a lifecycle, and every push, is compared with the fixtures taken from the
// official SDKs and docs. Every method answers under its own `<method>_response` key (checked
// below), and a failure has the same node under every method's key, so the comparison reads the
// node under one common key: a failure of any method may take the shape of any error fixture.

const ERROR_RESPONSE = 'gateway error_response';
const COMMON_KEY = 'method_response';

const methodOf = (a: RecordedAnswer) => new URL(a.url).searchParams.get('method') ?? '';
const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
const nodeKeyOf = (body: Record<string, unknown>) => Object.keys(body).find((k) => k !== 'sign' && k !== 'alipay_cert_sn');

/** The body with its `<method>_response` key (never error_response) renamed to one common key. */
function commonKey(body: Record<string, unknown>): Record<string, unknown> {
  const key = nodeKeyOf(body);
  if (key === undefined || key === 'error_response') return body;
  const { [key]: node, ...rest } = body;
  return { [COMMON_KEY]: node, ...rest };
}
const callOf = (a: RecordedAnswer) => ('error_response' in parse(a.text) ? ERROR_RESPONSE : methodOf(a));
const isError = (json: unknown) => {
  const body = (json ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const node = body[COMMON_KEY] ?? body.error_response;
  return node !== undefined && node.code !== '10000';
};
const normalizedLog = (log: readonly RecordedAnswer[]) => log.map((a) => ({ ...a, call: callOf(a), text: JSON.stringify(commonKey(parse(a.text))) }));
const normalizedFixtures: AnswerFixture[] = F.map((f) => (f.kind === 'push' ? f : { ...f, body: commonKey(f.body as Record<string, unknown>) }));

/** A push's form fields, biz_content parsed, as the push fixtures show them. */
function pushFields(body: string): Record<string, unknown> {
  const form = Object.fromEntries(new URLSearchParams(body));
  return { ...form, biz_content: JSON.parse(form.biz_content) as unknown };
}
const PUSH_FIXTURE: Record<string, string> = {
  'alipay.open.mini.version.audit.passed': 'push.auditPassed',
  'alipay.open.mini.version.audit.rejected': 'push.auditRejected',
  'alipay.open.auth.appauth.cancelled': 'push.appAuthCancelled',
};

describe('Alipay sandbox answers in the shapes of the answer fixtures', () => {
  // A build takes BUILD_MS on the sandbox's clock; the lifecycle finishes builds when it wants them done.
  const BUILD_MS = 60_000;
  const clock = { ms: Date.now() };
  const sandbox = new AlipaySandbox({ buildDelayMs: BUILD_MS, now: () => clock.ms });
  const log: RecordedAnswer[] = [];
  const pushes: string[] = [];
  let adapter: AlipayAdapter;
  let receiver: ConformancePushReceiver;
  let ctx: CallContext<AlipayCredentials>;

  const status = (ref: HostVersionRef, want: string) =>
    eventually(
      async () => {
        expect((await adapter.reviewStatus(ctx, ref)).status).toBe(want);
      },
      { timeoutMs: 10_000 },
    );

  beforeAll(async () => {
    await sandbox.start();
    const http = recordingTransport(createHttpTransport({ defaultTimeoutMs: 10_000 }), log);
    adapter = alipayAdapterFactory.create({ baseUrl: sandbox.baseUrl, http, tokenStore: new InMemoryTokenStore() }) as AlipayAdapter;
    receiver = new ConformancePushReceiver((raw) => {
      pushes.push(raw.body);
      return adapter.parseCallback(raw, sandbox.callbackSecrets);
    });
    sandbox.setCallbackUrl(`${await receiver.start()}/callbacks/alipay`);
    const app = await sandbox.createApp();
    ctx = { hostAppId: app.hostAppId, credentials: app.credentials as AlipayCredentials };
    await driveLifecycle(new AlipayClient({ baseUrl: sandbox.baseUrl, http, now: () => new Date() }));
  });

  afterAll(async () => {
    await sandbox.stop();
    await receiver.stop();
  });

  /** Build, a rejection, audited.cancel, approval, release, gray, rollback, withdrawal and the gateway's refusals. */
  async function driveLifecycle(client: AlipayClient): Promise<void> {
    const def = H.validDefinition();
    await adapter.probe(ctx);
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'reject', reason: '首页内容为空' });
    const up = await adapter.upload(ctx, def, H.validVersion('1.0.0'));
    await expect(adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), up.ref)).rejects.toMatchObject({
      nativeCode: '40004/MINI_APP_PACKAGE_INFO_NOT_EXIST',
    });
    expect((await adapter.reviewStatus(ctx, up.ref)).status).toBe('UPLOADING');
    clock.ms += BUILD_MS;
    await status(up.ref, 'UPLOADED');
    await expect(adapter.upload(ctx, def, H.validVersion('0.9.0'))).rejects.toMatchObject({ nativeCode: '40004/VERSION_HAS_EXISTED' });
    const sub = await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), up.ref);
    await status(sub.ref, 'REJECTED');
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
    await adapter.submitForReview(ctx, def, H.validVersion('1.0.0'), sub.ref); // audit.apply refused, detail, audited.cancel, audit.apply
    await status(sub.ref, 'APPROVED');
    await adapter.release(ctx, sub.ref);
    await adapter.readListing(ctx);

    const up2 = await adapter.upload(ctx, def, H.validVersion('1.1.0'));
    clock.ms += BUILD_MS;
    await status(up2.ref, 'UPLOADED');
    const sub2 = await adapter.submitForReview(ctx, def, H.validVersion('1.1.0'), up2.ref);
    await status(sub2.ref, 'APPROVED');
    await adapter.release(ctx, sub2.ref, { grayPercentage: 10 });
    await adapter.readListing(ctx); // list.query, then detail.query of the gray version
    await adapter.cancelGray(ctx, sub2.ref);
    await adapter.release(ctx, sub2.ref);
    await adapter.rollback(ctx, sub2.ref);

    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const up3 = await adapter.upload(ctx, def, H.validVersion('1.2.0'));
    clock.ms += BUILD_MS;
    const sub3 = await adapter.submitForReview(ctx, def, H.validVersion('1.2.0'), up3.ref);
    await adapter.withdrawReview(ctx, sub3.ref);

    // The gateway's own refusals, each in the envelope it uses.
    sandbox.faults.failNext({ path: 'alipay.open.mini.version.detail.query', nativeCode: '20000/isp.unknow-error' });
    await expect(adapter.reviewStatus(ctx, sub3.ref)).rejects.toMatchObject({ nativeCode: '20000/isp.unknow-error' });
    const wrongKey = { ...ctx, credentials: { ...ctx.credentials, privateKey: newKeyPair('pkcs1').privateKey } };
    await expect(adapter.probe(wrongKey)).rejects.toMatchObject({ nativeCode: '40002/isv.invalid-signature' });
    await expect(client.call(ctx.credentials, 'probe', { method: 'alipay.open.mini.no.such.method' })).rejects.toMatchObject({
      nativeCode: '40002/isv.invalid-method',
    });
    sandbox.revokeAuthorization(ctx.hostAppId);
    await expect(adapter.readListing(ctx)).rejects.toMatchObject({ nativeCode: '20001/aop.invalid-app-auth-token' });
    await eventually(() => expect(pushes.length).toBeGreaterThanOrEqual(4), { timeoutMs: 10_000 });
  }

  it('answers each method under its own <method>_response key, signed so the adapter verifies it, or under an unsigned error_response', () => {
    for (const a of log) {
      const body = parse(a.text);
      const key = nodeKeyOf(body);
      if (key === 'error_response') {
        expect(body).not.toHaveProperty('sign');
        continue;
      }
      expect(key).toBe(responseKeyOf(methodOf(a)));
      expect(verifyResponseSign(a.text, key!, String(body.sign), sandbox.alipayKeys.publicKey)).toBe(true);
    }
  });

  it('gives no answer outside the fixtures (response class fields, code/msg/sub_code/sub_msg failures)', () => {
    expect(log.length).toBeGreaterThan(30);
    expect(answersOutOfShape(normalizedLog(log), normalizedFixtures, { isError })).toEqual([]);
  });

  it('answers in the shape of every answer fixture at least once', () => {
    expect(fixturesNeverMet(normalizedLog(log), normalizedFixtures)).toEqual([]);
  });

  it('pushes audit results and the cancelled authorization in the shapes of the push fixtures', () => {
    const messages = pushes.map(pushFields);
    expect(new Set(messages.map((m) => m.msg_method))).toEqual(new Set(Object.keys(PUSH_FIXTURE)));
    for (const m of messages) expect(shapeMismatches(m, fixtureNamed(F, PUSH_FIXTURE[String(m.msg_method)]).body)).toEqual([]);
  });
});
