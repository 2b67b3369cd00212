import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../core/conformance/eventually.js';
import { CallbackRejectedError, createHttpTransport, InMemoryTokenStore, type HostAdapter } from '../core/index.js';
import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { WechatSandbox } from './sandbox/wechat-sandbox.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { wechatAdapterFactory } from './wechat.factory.js';
import { acceptedPushes, adapterFor, failure, newApp as newAppOn, pushEvents } from './wechat.spec-support.js';
import { wechatConformanceHarness as harness } from './wechat.harness.js';

const sandbox = new WechatSandbox({ ticketIntervalMs: 0 });
let adapter: HostAdapter<WechatCredentials>;
let receiver: ConformancePushReceiver;

const newApp = (sb = sandbox) => newAppOn(sb);

const tokenCalls = (path: string) => sandbox.recorded.filter((c) => c.path === `/cgi-bin/component/${path}`);

beforeAll(async () => {
  await sandbox.start();
  adapter = adapterFor(sandbox);
  receiver = new ConformancePushReceiver((raw) => adapter.parseCallback(raw, sandbox.callbackSecrets));
  sandbox.setCallbackUrl(await receiver.start());
});

// A test that fails half-way must not leave its faults on for the next ones.
afterEach(() => sandbox.faults.reset());

afterAll(async () => {
  sandbox.faults.reset();
  await sandbox.stop();
  await receiver.stop();
});

describe('WeChat tokens', () => {
  it('caches tokens, and after expiry refreshes each token once under 5 concurrent calls', async () => {
    const ctx = await newApp();
    await adapter.probe(ctx);
    sandbox.clearCalls();
    await adapter.probe(ctx);
    expect(sandbox.calls.map((c) => c.path)).toEqual(['/wxa/queryquota']);

    sandbox.faults.expireTokens();
    sandbox.clearCalls();
    await Promise.all(Array.from({ length: 5 }, () => adapter.probe(ctx)));
    // One request per token, none refused: the component token is renewed before the authorizer token.
    expect(tokenCalls('api_component_token').map((c) => c.answeredCode)).toEqual(['0']);
    expect(tokenCalls('api_authorizer_token').map((c) => c.answeredCode)).toEqual(['0']);
    expect(
      sandbox.calls
        .filter((c) => c.path === '/wxa/queryquota')
        .map((c) => c.answeredCode)
        .sort(),
    ).toEqual(['0', '0', '0', '0', '0', '42001', '42001', '42001', '42001', '42001']);
    expect(JSON.stringify(sandbox.calls.map((c) => c.query))).not.toMatch(/69_/);
  });

  it('renews tokens 5 minutes before they expire', async () => {
    const ctx = await newApp();
    let now = Date.now();
    const clock = () => new Date(now);
    const a = wechatAdapterFactory.create({ baseUrl: sandbox.baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore(clock), now: clock });
    await a.probe(ctx);
    sandbox.clearCalls();
    now += (7200 - 301) * 1000;
    await a.probe(ctx);
    expect(tokenCalls('api_authorizer_token')).toHaveLength(0);
    now += 2000;
    await a.probe(ctx);
    expect(tokenCalls('api_authorizer_token').map((c) => c.answeredCode)).toEqual(['0']);
    expect(tokenCalls('api_component_token').map((c) => c.answeredCode)).toEqual(['0']);
  });

  it('retries once after 40001 and gives up with auth when the fresh token is refused too', async () => {
    const ctx = await newApp();
    await adapter.probe(ctx);
    sandbox.faults.failNext({ path: '/wxa/queryquota', nativeCode: '40001' });
    await adapter.probe(ctx);
    sandbox.faults.failNext({ path: '/wxa/queryquota', nativeCode: '40001', times: 2 });
    expect(await failure(adapter.probe(ctx))).toMatchObject({ kind: 'auth', nativeCode: '40001', requestId: expect.stringMatching(/^[0-9a-f]{8}-/) });
  });

  it('keeps the refresh token the host rotates, and falls back to the configured one on 61023', async () => {
    const rotating = new WechatSandbox({ ticketIntervalMs: 0, rotateRefreshTokens: true });
    await rotating.start();
    try {
      const a = adapterFor(rotating);
      const ctx = await newApp(rotating);
      await a.probe(ctx);
      rotating.faults.expireTokens();
      await a.probe(ctx); // only works with the rotated refresh token the adapter stored
      expect(rotating.tokens.issuedCount.authorizer).toBe(2);
      const stranger = { ...ctx, credentials: { ...ctx.credentials, authorizerRefreshToken: 'refreshtoken@@@forged' } };
      rotating.faults.expireTokens();
      expect(await failure(adapterFor(rotating).probe(stranger))).toMatchObject({ kind: 'auth', nativeCode: '61023', retryable: false });
    } finally {
      await rotating.stop();
    }
  });

  it('maps a bad ticket and a foreign app to auth errors', async () => {
    const ctx = await newApp();
    const bad = { ...ctx, credentials: { ...ctx.credentials, componentVerifyTicket: 'ticket@@@old' } };
    expect(await failure(adapterFor(sandbox).probe(bad))).toMatchObject({ kind: 'auth', nativeCode: '61006' });
    const foreign = { ...ctx, credentials: { ...ctx.credentials, authorizerAppId: 'wx00000000000000ff' } };
    expect(await failure(adapterFor(sandbox).probe(foreign))).toMatchObject({ kind: 'auth', nativeCode: '61003' });
  });
});

describe('WeChat failures', () => {
  it('maps injected native errors, HTTP 503 and timeouts', async () => {
    const ctx = await newApp();
    const v = harness.validVersion('1.0.0');
    const up = await adapter.upload(ctx, harness.validDefinition(), v);
    sandbox.faults.failNext({ path: '/wxa/submit_audit', nativeCode: '85085' });
    const quota = await failure(adapter.submitForReview(ctx, harness.validDefinition(), v, up.ref));
    expect(quota).toMatchObject({ kind: 'quota', retryable: true, nativeCode: '85085', nativeMessage: expect.stringContaining('submit audit reach limit') });
    expect(quota.retryAfterMs).toBeGreaterThan(0);

    sandbox.faults.serverErrorRate = 1;
    try {
      expect(await failure(adapter.probe(ctx))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    } finally {
      sandbox.faults.reset();
    }

    // The hang outlasts any test: only the adapter's own deadline can end the call.
    sandbox.faults.timeoutRate = 1;
    sandbox.faults.hangMs = 600_000;
    try {
      const slow = adapterFor(sandbox, 200);
      expect(await failure(slow.probe(ctx))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'TIMEOUT' });
    } finally {
      sandbox.faults.reset();
    }
  });

  it('answers the platform audit quota with 85085 once it is used up', async () => {
    const ctx = await newApp();
    sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const v = harness.validVersion('1.0.0');
    const up = await adapter.upload(ctx, harness.validDefinition(), v);
    const rest = sandbox.quota.rest;
    sandbox.quota.rest = 0;
    try {
      expect(await failure(adapter.submitForReview(ctx, harness.validDefinition(), v, up.ref))).toMatchObject({ kind: 'quota', nativeCode: '85085' });
    } finally {
      sandbox.quota.rest = rest;
    }
  });

  it('reads a day of analytics', async () => {
    const ctx = await newApp();
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const a = await adapter.analytics(ctx, day);
    expect(a.day).toBe(day);
    expect(a.uniqueVisitors).toBeGreaterThanOrEqual(100);
    expect(a.opens).toBe(a.uniqueVisitors! * 2);
    const today = new Date().toISOString().slice(0, 10);
    expect(await failure(adapter.analytics(ctx, today))).toMatchObject({ kind: 'invalid', nativeCode: '40097' });
  });
});

describe('WeChat pushes from the sandbox', () => {
  it('delivers ticket pushes on the auth-event envelope; the new ticket works', async () => {
    const ticket = sandbox.pushTicket();
    await eventually(() => expect(pushEvents(receiver)).toContainEqual(expect.objectContaining({ type: 'TICKET', ticket })));
    const ctx = await newApp();
    await adapterFor(sandbox).probe({ ...ctx, credentials: { ...ctx.credentials, componentVerifyTicket: ticket } });
  });

  it('gives duplicated pushes the same dedupe key and survives reordering', async () => {
    const ctx = await newApp();
    const gh = sandbox.ghIdOf(ctx.hostAppId);
    sandbox.faults.duplicatePushes = true;
    sandbox.faults.reorderPushes = true;
    // Both pushes are held until the test releases them: late, and late together.
    sandbox.pushes.hold();
    try {
      sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'delay', reason: '排队中' });
      const v = harness.validVersion('1.0.0');
      const sub = await adapter.submitForReview(ctx, harness.validDefinition(), v, (await adapter.upload(ctx, harness.validDefinition(), v)).ref);
      await eventually(async () => expect(await adapter.reviewStatus(ctx, sub.ref)).toMatchObject({ delayed: true }));
      await sandbox.decideReview(ctx.hostAppId, { decision: 'reject', reason: '缺少隐私协议' });
      expect(sandbox.pushes.waiting).toBe(2);
      sandbox.pushes.release();
      const mine = () => acceptedPushes(receiver).filter((p) => p.events.some((e) => 'hostAppId' in e && e.hostAppId === gh));
      await eventually(() => expect(mine()).toHaveLength(4));
      // Newest first: the rejection arrives before the delay notice.
      expect(mine().map((p) => p.events[0].type)).toEqual(['REVIEW_REJECTED', 'REVIEW_REJECTED', 'REVIEW_DELAYED', 'REVIEW_DELAYED']);
      expect(new Set(mine().map((p) => p.dedupeKey)).size).toBe(2);
    } finally {
      sandbox.faults.reset();
    }
  });

  it('refuses forged pushes', async () => {
    const ctx = await newApp();
    const reasons = (['badSignature', 'wrongAppId'] as const).map((kind) => {
      try {
        adapter.parseCallback(sandbox.forgePush(ctx.hostAppId, kind), sandbox.callbackSecrets);
        return 'accepted';
      } catch (err) {
        return err instanceof CallbackRejectedError ? err.reason : String(err);
      }
    });
    expect(reasons).toEqual(['signature', 'app_id']);
  });
});
