import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BaiduSandbox } from './baidu-sandbox.js';

const sb = new BaiduSandbox({ ticketIntervalMs: 0, uploadDelayMs: 10 });
beforeAll(() => sb.start());
afterAll(() => sb.stop());

async function call(method: 'GET' | 'POST', path: string, query: Record<string, string>, form?: Record<string, string>) {
  const res = await fetch(`${sb.baseUrl}${path}?${new URLSearchParams(query)}`, {
    method,
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Baidu sandbox over HTTP', () => {
  it('issues a TP token for client_id + ticket in the business envelope, and refuses a wrong ticket', async () => {
    const ok = await call('GET', '/public/2.0/smartapp/auth/tp/token', { client_id: sb.tpClientId, ticket: sb.currentTicket });
    expect(ok.body).toMatchObject({ errno: 0, msg: 'success', data: { access_token: expect.stringMatching(/^42\./), expires_in: 2_592_000 } });
    expect((await call('GET', '/public/2.0/smartapp/auth/tp/token', { client_id: sb.tpClientId, ticket: 'nope' })).body.errno).toBe(40001);
  });

  it('takes package parameters from the query or from a form body, and records them redacted', async () => {
    const app = await sb.createApp();
    const token = sb.tokens.issue('app', app.hostAppId).token;
    const ext = JSON.stringify({ extEnable: true, extAppid: app.hostAppId });
    const inQuery = await call('POST', '/rest/2.0/smartapp/package/upload', {
      access_token: token,
      template_id: '5',
      ext_json: ext,
      user_version: '1.0.0',
      user_desc: 'q',
    });
    const inForm = await call(
      'POST',
      '/rest/2.0/smartapp/package/upload',
      { access_token: token },
      { template_id: '5', ext_json: ext, user_version: '1.0.1', user_desc: 'f' },
    );
    expect([inQuery.body, inForm.body]).toEqual([
      { errno: 0, msg: 'success' },
      { errno: 0, msg: 'success' },
    ]);
    const list = await call('GET', '/rest/2.0/smartapp/package/get', { access_token: token });
    expect((list.body.data as Array<{ version: string; upload_status: number }>).map((p) => p.version)).toEqual(['1.0.0', '1.0.1']);
    expect(JSON.stringify(sb.calls)).not.toContain(token);
  });

  it('refuses ext_json without extEnable/extAppid, unknown tokens, expired tokens and wrong methods', async () => {
    const app = await sb.createApp();
    const token = sb.tokens.issue('app', app.hostAppId).token;
    const bad = await call('POST', '/rest/2.0/smartapp/package/upload', { access_token: token, template_id: '5', ext_json: '{}', user_version: '1.0.0' });
    expect(bad.body.errno).toBe(40001);
    // Access-token errors come in the gateway's envelope (official Go client: error_code before errno).
    expect((await call('GET', '/rest/2.0/smartapp/package/get', { access_token: 'nope' })).body).toEqual({
      error_code: 110,
      error_msg: 'Access token invalid or no longer valid',
    });
    expect((await call('POST', '/rest/2.0/smartapp/package/get', { access_token: token })).body.errno).toBe(40001);
    sb.faults.expireTokens();
    expect((await call('GET', '/rest/2.0/smartapp/package/get', { access_token: token })).body.error_code).toBe(111);
  });

  it('answers OAuth failures as {error, error_description} with HTTP 400', async () => {
    const res = await call('GET', '/rest/2.0/oauth/token', { access_token: 'expired', refresh_token: 'x', grant_type: 'app_to_tp_refresh_token' });
    expect(res).toEqual({ status: 400, body: { error: 'expired_token', error_description: 'tp access token invalid or expired' } });
  });

  it('answers getdetail type=1 with data null when nothing is online', async () => {
    const app = await sb.createApp();
    const token = sb.tokens.issue('app', app.hostAppId).token;
    expect((await call('GET', '/rest/2.0/smartapp/package/getdetail', { access_token: token, type: '1' })).body).toEqual({
      errno: 0,
      msg: 'success',
      data: null,
    });
  });
});
