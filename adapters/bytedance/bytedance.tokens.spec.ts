import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpTransport, HostError, InMemoryTokenStore } from '../core/index.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';
import { eventually, Kit } from './bytedance.test-kit.js';

const kit = new Kit();
beforeAll(() => kit.start());
afterAll(() => kit.stop());
afterEach(() => kit.sandbox.faults.reset());

const COMPONENT = '/openapi/v2/auth/tp/token/';
const AUTH = '/api/tpapp/v2/auth/get_auth_token/';
const refreshKey = (c: { componentAppId: string; authorizerAppId: string }) => `bytedance:refresh:${c.componentAppId}:${c.authorizerAppId}`;

function tokenCallsSince(from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of kit.sandbox.recorded.slice(from)) if (c.path === COMPONENT || c.path === AUTH) out[c.path] = (out[c.path] ?? 0) + 1;
  return out;
}

describe('Douyin tokens', () => {
  it('refreshes once for 5 concurrent calls after expiry and stores the rotated refresh token', async () => {
    const ctx = await kit.app();
    await kit.adapter.readListing(ctx);
    const firstRotation = (await kit.store.get(refreshKey(ctx.credentials)))!.value;
    expect(firstRotation).not.toBe(ctx.credentials.authorizerRefreshToken);
    expect(firstRotation).toBe(kit.sandbox.app(ctx.hostAppId).refreshToken);

    kit.sandbox.faults.expireTokens();
    const from = kit.sandbox.recorded.length;
    await Promise.all(Array.from({ length: 5 }, () => kit.adapter.readListing(ctx)));
    expect(tokenCallsSince(from)).toEqual({ [COMPONENT]: 1, [AUTH]: 1 });
    // C1: single use, so the second rotation replaced the first in the store.
    const stored = (await kit.store.get(refreshKey(ctx.credentials)))!;
    expect(stored.value).toBe(kit.sandbox.app(ctx.hostAppId).refreshToken);
    expect(stored.value).not.toBe(firstRotation);
    expect(stored.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // The refresh used the stored token, never the spent one from the credentials.
    const refreshes = kit.sandbox.recorded.filter((c) => c.path === AUTH);
    expect(refreshes.every((c) => c.answeredCode === '0' && c.query.authorizer_refresh_token === '[secret]')).toBe(true);
  });

  it('fails with a permanent auth error (40021) when a spent refresh token is used again', async () => {
    const ctx = await kit.app();
    await kit.adapter.probe(ctx);
    // A second adapter with an empty store only knows the original, now spent, refresh token.
    const stranger = bytedanceAdapterFactory.create({ baseUrl: kit.sandbox.baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore() });
    const err = await stranger.probe(ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ kind: 'auth', retryable: false, nativeCode: '40021' });
  });

  it('falls back to the configured refresh token once when the stored one is refused (re-authorization)', async () => {
    const ctx = await kit.app();
    await kit.store.set(refreshKey(ctx.credentials), 'isvrft.from-an-old-authorization', null);
    const from = kit.sandbox.recorded.length;
    await kit.adapter.probe(ctx);
    expect(
      kit.sandbox.recorded
        .slice(from)
        .filter((c) => c.path === AUTH)
        .map((c) => c.answeredCode),
    ).toEqual(['40021', '0']);
    expect((await kit.store.get(refreshKey(ctx.credentials)))!.value).toBe(kit.sandbox.app(ctx.hostAppId).refreshToken);
  });

  it('renews tokens 5 minutes before they expire, without a refusal from the host', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const adapter = bytedanceAdapterFactory.create({ baseUrl: kit.sandbox.baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore(now), now });
    const ctx = await kit.app();
    await adapter.probe(ctx);
    let from = kit.sandbox.recorded.length;
    clock += 7200_000 - 6 * 60_000;
    await adapter.probe(ctx);
    expect(tokenCallsSince(from)).toEqual({});
    from = kit.sandbox.recorded.length;
    clock += 2 * 60_000;
    await adapter.probe(ctx);
    expect(tokenCallsSince(from)).toEqual({ [COMPONENT]: 1, [AUTH]: 1 });
  });

  it('takes a freshly pushed ticket, reported as a TICKET event', async () => {
    const ticket = kit.sandbox.pushTicket();
    await eventually(() => expect(kit.receiver.received.some((r) => r.parsed?.events.some((e) => e.type === 'TICKET' && e.ticket === ticket))).toBe(true));
    const ctx = await kit.app();
    expect(ctx.credentials.componentTicket).toBe(ticket);
    const fresh = bytedanceAdapterFactory.create({ baseUrl: kit.sandbox.baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore() });
    await expect(fresh.probe(ctx)).resolves.toBeUndefined();
  });

  it('maps a refused ticket to a retryable auth error (the next push fixes it)', async () => {
    const ctx = await kit.app();
    const fresh = bytedanceAdapterFactory.create({ baseUrl: kit.sandbox.baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore() });
    const err = await fresh.probe({ ...ctx, credentials: { ...ctx.credentials, componentTicket: 'ticket@@@stale' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'auth', retryable: true, nativeCode: '40037' });
  });
});
