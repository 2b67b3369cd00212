import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpTransport, HostError, InMemoryTokenStore } from '../core/index.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';
import { bytedanceConformanceHarness as H } from './bytedance.harness.js';
import { eventually, Kit } from './bytedance.test-kit.js';

// The host's 10 s submit gap (C5) on a clock the test moves itself: the gap is over when the
// test says so, never after a wall-clock wait.
const clock = { ms: Date.now() };
const kit = new Kit({ submitIntervalMs: 10_000, now: () => clock.ms });
beforeAll(() => kit.start());
afterAll(() => kit.stop());
afterEach(() => kit.sandbox.faults.reset());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as HostError,
  );

describe('Douyin sandbox faults and guards through the adapter', () => {
  // The hang outlasts any test: only the adapter's own deadline can end the call.
  it('answers 503 as retryable unavailability and a hung call at the adapter deadline', async () => {
    const ctx = await kit.app();
    await kit.adapter.probe(ctx);
    kit.sandbox.faults.serverErrorRate = 1;
    expect(await failure(kit.adapter.readListing(ctx))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    kit.sandbox.faults.reset();
    // Its own app and token store: the quick adapter warms its tokens before the hang starts.
    const quick = bytedanceAdapterFactory.create({
      baseUrl: kit.sandbox.baseUrl,
      http: createHttpTransport(),
      tokenStore: new InMemoryTokenStore(),
      timeoutMs: 200,
    });
    const other = await kit.app();
    await quick.probe(other);
    Object.assign(kit.sandbox.faults, { timeoutRate: 1, hangMs: 600_000 });
    expect(await failure(quick.readListing(other))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'TIMEOUT' });
    // The sandbox stops hanging once the caller has gone.
    await eventually(() => expect(kit.sandbox.recorded.at(-1)?.answeredCode).toBe('TIMEOUT'), { timeoutMs: 10_000 });
  });

  it('refuses a second submit inside the gap with 11301 and its 10 s wait', async () => {
    const ctx = await kit.app();
    kit.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'hold' });
    const ref = await kit.submitted(ctx, '1.0.0');
    await kit.adapter.withdrawReview(ctx, ref);
    clock.ms += 9_999;
    expect(await failure(kit.submitted(ctx, '1.0.0', ref))).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 10_000, nativeCode: '11301' });
    clock.ms += 1;
    await kit.submitted(ctx, '1.0.0', ref);
    expect(kit.sandbox.live(ctx.hostAppId).inReview).toBe('1.0.0');
  });

  it('sends duplicated pushes with one dedupe key, and delayed pushes newest first when reordered', async () => {
    const ctx = await kit.app();
    kit.sandbox.faults.duplicatePushes = true;
    await kit.submitted(ctx, '1.0.0');
    await eventually(() => expect(kit.receiver.reviewPushesFor(ctx.hostAppId)).toHaveLength(2));
    const [a, b] = kit.receiver.reviewPushesFor(ctx.hostAppId);
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(kit.sandbox.pushes.deliveries.filter((d) => d.status === 200).every((d) => d.reply === 'success')).toBe(true);

    const first = await kit.app();
    const second = await kit.app();
    const refs = [await kit.uploaded(first, '1.0.0'), await kit.uploaded(second, '1.0.0')];
    // Both results are held back until the test releases them: late, and late together.
    Object.assign(kit.sandbox.faults, { duplicatePushes: false, reorderPushes: true });
    kit.sandbox.pushes.hold();
    kit.sandbox.setReviewPolicy(first.hostAppId, { decision: 'reject', reason: 'r' });
    await kit.submitted(first, '1.0.0', refs[0]);
    await kit.submitted(second, '1.0.0', refs[1]);
    await eventually(() => expect(kit.sandbox.pushes.waiting).toBe(2), { timeoutMs: 10_000 });
    expect(kit.receiver.reviewPushesFor(first.hostAppId)).toHaveLength(0);
    kit.sandbox.pushes.release();
    await kit.sandbox.pushes.settle();
    const order = kit.receiver.received.slice(-2).map((r) => (r.parsed?.payload as { AppId: string }).AppId);
    expect(order).toEqual([second.hostAppId, first.hostAppId]);
  });

  it('records calls without secrets or tokens', async () => {
    const ctx = await kit.app();
    kit.sandbox.clearCalls();
    await kit.uploaded(ctx, '1.0.0');
    const text = JSON.stringify(kit.sandbox.calls);
    for (const secret of [ctx.credentials.componentAppSecret, ctx.credentials.componentTicket, ctx.credentials.authorizerRefreshToken])
      expect(text).not.toContain(secret);
    expect(kit.sandbox.calls.map((c) => `${c.method} ${c.path} ${c.answeredCode}`)).toEqual([
      // The component token is the platform's, already cached from earlier apps.
      'GET /api/tpapp/v2/auth/get_auth_token/ 0',
      'POST /api/apps/v1/package_version/upload/ 0',
    ]);
  });

  it('forges pushes the adapter refuses', async () => {
    const ctx = await kit.app();
    for (const kind of ['badSignature', 'wrongAppId'] as const) {
      expect(() => kit.adapter.parseCallback(kit.sandbox.forgePush(ctx.hostAppId, kind), kit.sandbox.callbackSecrets)).toThrow(
        kind === 'badSignature' ? /signature/ : /app_id/,
      );
    }
    expect(kit.adapter.validate(H.validDefinition(), H.validVersion('1.0.0'))).toEqual([]);
  });
});
