import { describe, expect, it } from '@jest/globals';
import { HostError, InMemoryTokenStore, type HttpRequest, type HttpResponse } from '../core/index.js';
import { BytedanceClient } from './bytedance.client.js';

const creds = {
  componentAppId: 'tt0123456789abcdef',
  componentAppSecret: 'secret-value-123',
  componentTicket: 'ticket@@@1',
  authorizerAppId: 'ttfedcba9876543210',
  authorizerRefreshToken: 'isvrft.original',
};

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => {
  const buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { status, headers, body: buf, text: () => buf.toString('utf8') };
};

/** A scripted host: each path answers from its queue; an unexpected call fails the test. */
function scripted(script: Record<string, unknown[]>) {
  const seen: HttpRequest[] = [];
  const http = async (req: HttpRequest) => {
    seen.push(req);
    const path = new URL(req.url).pathname;
    const next = script[path]?.shift();
    if (next === undefined) throw new Error(`unexpected call ${req.method} ${path}`);
    return next as HttpResponse;
  };
  return { http, seen };
}

const ok = (extra: Record<string, unknown>) => reply(200, { err_no: 0, err_msg: 'success', log_id: 'L1', ...extra });
const authToken = (n: number) =>
  ok({ data: { authorizer_access_token: `isvact.${n}`, authorizer_refresh_token: `isvrft.${n}`, expires_in: 7200, refresh_expires_in: 2592000 } });

describe('BytedanceClient', () => {
  it('takes the flat component token (no err_no), and sends the app token in the access-token header', async () => {
    const { http, seen } = scripted({
      '/openapi/v2/auth/tp/token/': [reply(200, { component_access_token: 'ctoken.1', expires_in: 7200 })],
      '/api/tpapp/v2/auth/get_auth_token/': [authToken(1)],
      '/api/apps/v1/package_version/versions/': [ok({ data: {} })],
    });
    const client = new BytedanceClient({ baseUrl: 'http://127.0.0.1:9/', http, tokenStore: new InMemoryTokenStore(), now: () => new Date() });
    await client.call(creds, 'probe', { method: 'GET', path: '/api/apps/v1/package_version/versions/' });
    expect(seen.map((r) => r.headers?.['access-token'] ?? null)).toEqual([null, 'ctoken.1', 'isvact.1']);
    expect(new URL(seen[1].url).searchParams.get('grant_type')).toBe('app_to_tp_refresh_token');
  });

  it('renews a refused component token once while refreshing the app token', async () => {
    const { http, seen } = scripted({
      '/openapi/v2/auth/tp/token/': [
        reply(200, { component_access_token: 'ctoken.1', expires_in: 7200 }),
        reply(200, { component_access_token: 'ctoken.2', expires_in: 7200 }),
      ],
      '/api/tpapp/v2/auth/get_auth_token/': [ok({ err_no: 28001008, err_msg: 'expired' }), authToken(2)],
    });
    const client = new BytedanceClient({ baseUrl: 'http://127.0.0.1:9', http, tokenStore: new InMemoryTokenStore(), now: () => new Date() });
    expect(await client.authorizerToken(creds, 'probe')).toBe('isvact.2');
    expect(seen.filter((r) => r.url.includes('get_auth_token')).map((r) => r.headers?.['access-token'])).toEqual(['ctoken.1', 'ctoken.2']);
  });

  it('turns answers in no documented shape into an unexpected answer, never retried, with the text kept', async () => {
    const store = new InMemoryTokenStore();
    await store.set(`bytedance:authorizer:${creds.componentAppId}:${creds.authorizerAppId}`, 'isvact.cached', new Date(Date.now() + 3_600_000));
    const { http } = scripted({
      '/x/': [reply(200, '<html>busy</html>', { 'x-tt-logid': 'H1' }), ok({}), ok({ data: null }), reply(200, { message: 'no err_no', log_id: 'L2' })],
    });
    const client = new BytedanceClient({ baseUrl: 'http://127.0.0.1:9', http, tokenStore: store, now: () => new Date() });
    const call = () =>
      client.call(creds, 'probe', { method: 'GET', path: '/x/' }).then(
        () => null,
        (e: unknown) => e as HostError,
      );
    expect(await call()).toMatchObject({
      kind: 'unexpected_answer',
      retryable: false,
      nativeMessage: 'answer is not JSON',
      requestId: 'H1',
      evidence: '<html>busy</html>',
    });
    expect(await call()).toBeNull(); // err_no 0 without data is fine for calls that return nothing
    expect(await call()).toBeNull();
    expect(await call()).toMatchObject({ kind: 'unexpected_answer', nativeMessage: 'answer has no err_no', requestId: 'L2' });
  });

  it('refuses a component token answer without the token, and keeps the token of another field out of the evidence', async () => {
    const { http } = scripted({ '/openapi/v2/auth/tp/token/': [reply(200, { expires_in: 7200, component_ticket: 'ticket@@@1' })] });
    const client = new BytedanceClient({ baseUrl: 'http://127.0.0.1:9', http, tokenStore: new InMemoryTokenStore(), now: () => new Date() });
    const error = await client.componentToken(creds, 'probe').then(
      () => null,
      (e: unknown) => e as HostError,
    );
    expect(error).toMatchObject({ kind: 'unexpected_answer', retryable: false, nativeMessage: 'token answer lacks component_access_token' });
    expect(error?.evidence).toBe('{"expires_in":7200,"component_ticket":"[redacted]"}');
  });
});
