import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../core/conformance/eventually.js';
import { HostError, InMemoryTokenStore } from '../core/index.js';
import { BaiduSpecRig } from './baidu.spec-support.js';
import { OAUTH_TOKEN_PATH, TP_TOKEN_PATH } from './sandbox/sandbox-routes.js';

const rig = new BaiduSpecRig();
const refreshKey = (c: { tpClientId: string; appId: string }) => `baidu:refresh:${c.tpClientId}:${c.appId}`;

async function oauthRefresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const tp = rig.sandbox.tokens.issue('tp', null).token;
  const url = `${rig.sandbox.baseUrl}${OAUTH_TOKEN_PATH}?${new URLSearchParams({ access_token: tp, refresh_token: refreshToken, grant_type: 'app_to_tp_refresh_token' })}`;
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(() => rig.start());
afterAll(() => rig.stop());

describe('Baidu tokens (B1)', () => {
  it('after expireTokens, 5 concurrent calls cause one TP token and one app token request, and the rotated refresh token is stored', async () => {
    const ctx = await rig.newApp();
    await rig.adapter.readListing(ctx);
    const firstRotation = (await rig.store.get(refreshKey(ctx.credentials)))!.value;
    expect(firstRotation).not.toBe(ctx.credentials.refreshToken);

    rig.sandbox.faults.expireTokens();
    const before = rig.sandbox.calls.length;
    await Promise.all(Array.from({ length: 5 }, () => rig.adapter.readListing(ctx)));
    expect({ tp: rig.callsTo(TP_TOKEN_PATH, before), app: rig.callsTo(OAUTH_TOKEN_PATH, before) }).toEqual({ tp: 1, app: 1 });
    const secondRotation = (await rig.store.get(refreshKey(ctx.credentials)))!.value;
    expect(secondRotation).not.toBe(firstRotation);
    // Single use at the host: both older refresh tokens are spent, only the stored one works.
    expect(await oauthRefresh(ctx.credentials.refreshToken)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'refresh token already used' },
    });
    expect((await oauthRefresh(firstRotation)).body.error).toBe('invalid_grant');
    expect(await rig.store.get(`baidu:app:${ctx.credentials.tpClientId}:${ctx.hostAppId}`)).toMatchObject({ expiresAt: expect.any(Date) });
  });

  it('an adapter without the stored refresh token cannot act once the initial one is spent', async () => {
    const ctx = await rig.newApp();
    await rig.adapter.probe(ctx);
    const error = await rig
      .newAdapter(new InMemoryTokenStore())
      .probe(ctx)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ kind: 'auth', retryable: false, nativeCode: 'invalid_grant' });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(ctx.credentials.refreshToken);
  });

  it('falls back to the credentials refresh token when the stored one is refused (re-authorization)', async () => {
    const ctx = await rig.newApp();
    const store = new InMemoryTokenStore();
    await store.set(refreshKey(ctx.credentials), '46.stale-token-from-an-old-authorization', null);
    await rig.newAdapter(store).probe(ctx);
    const stored = (await store.get(refreshKey(ctx.credentials)))!.value;
    expect(stored).toMatch(/^46\./);
    expect(stored).not.toBe('46.stale-token-from-an-old-authorization');
  });

  it('renews the app token when the host refuses it before its expiry, and retries the call once', async () => {
    const ctx = await rig.newApp();
    await rig.adapter.probe(ctx);
    rig.sandbox.faults.failNext({ path: '/rest/2.0/smartapp/package/auditquota', nativeCode: '110' });
    const before = rig.sandbox.calls.length;
    await rig.adapter.probe(ctx);
    expect(rig.sandbox.calls.slice(before).map((c) => `${c.path} ${c.answeredCode}`)).toEqual([
      '/rest/2.0/smartapp/package/auditquota 110',
      `${TP_TOKEN_PATH} 0`,
      `${OAUTH_TOKEN_PATH} 0`,
      '/rest/2.0/smartapp/package/auditquota 0',
    ]);
  });

  it('reports the refused token as auth when the fresh one is refused too', async () => {
    const ctx = await rig.newApp();
    await rig.adapter.probe(ctx);
    rig.sandbox.faults.failNext({ path: '/rest/2.0/smartapp/package/auditquota', nativeCode: '111', times: 2 });
    await expect(rig.adapter.probe(ctx)).rejects.toMatchObject({ kind: 'auth', retryable: true, nativeCode: '111' });
  });

  it('takes a pushed ticket: the TICKET event carries it and it gets a TP token; older tickets stop working', async () => {
    const ctx = await rig.newApp();
    const t1 = rig.sandbox.pushTicket();
    await eventually(() => expect(rig.receiver.received.some((r) => r.parsed?.events.some((e) => e.type === 'TICKET' && e.ticket === t1))).toBe(true), {
      timeoutMs: 5_000,
    });
    rig.sandbox.pushTicket();
    await rig.newAdapter().probe({ ...ctx, credentials: { ...ctx.credentials, ticket: t1 } });
    rig.sandbox.pushTicket();
    const stale = await rig
      .newAdapter()
      .probe({ ...ctx, credentials: { ...ctx.credentials, ticket: t1, refreshToken: 'unused' } })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(stale).toMatchObject({ kind: 'invalid', nativeCode: '40001' });
    expect(JSON.stringify(stale) + (stale as Error).message).not.toContain(t1);
  });
});
