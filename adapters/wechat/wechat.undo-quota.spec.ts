import { describe, expect, it } from '@jest/globals';
import { InMemoryTokenStore, type HostError, type HttpResponse } from '../core/index.js';
import { wechatAdapterFactory } from './wechat.factory.js';

// wechat.md §4: undocodeaudit is capped at 5 a day and 10 a month, both answered 87013; the retry
// time must be the next day for the first and the 1st of next month for the second.

const creds = {
  componentAppId: 'wx0000000000000001',
  componentAppSecret: 'component-secret-1',
  componentVerifyTicket: 'ticket@@@1',
  authorizerAppId: 'wx0000000000000002',
  authorizerRefreshToken: 'refreshtoken@@@1',
};
const ctx = { hostAppId: creds.authorizerAppId, credentials: creds };
const json = (body: unknown): HttpResponse => {
  const buf = Buffer.from(JSON.stringify(body));
  return { status: 200, headers: {}, body: buf, text: () => buf.toString('utf8') };
};

/** An adapter on a clock we move, whose host refuses undocodeaudit once `refuse()` says so. */
function rig(start: string) {
  let now = new Date(start);
  let refusing = false;
  const adapter = wechatAdapterFactory.create({
    baseUrl: 'http://127.0.0.1:9',
    tokenStore: new InMemoryTokenStore(() => now),
    now: () => now,
    http: async (req) => {
      const path = new URL(req.url).pathname;
      if (path.endsWith('api_component_token')) return json({ component_access_token: 'c1', expires_in: 7200 });
      if (path.endsWith('api_authorizer_token')) return json({ authorizer_access_token: 'a1', expires_in: 7200, authorizer_refresh_token: 'refreshtoken@@@1' });
      if (path === '/wxa/undocodeaudit') return json(refusing ? { errcode: 87013, errmsg: 'no quota to undo code rid: 1-2-3' } : { errcode: 0, errmsg: 'ok' });
      throw new Error(`unscripted ${path}`);
    },
  });
  const undo = () =>
    adapter.withdrawReview(ctx, { version: '1.0.0', ids: {} }).then(
      () => null,
      (e: unknown) => e as HostError,
    );
  return {
    undo,
    at: (iso: string) => void (now = new Date(iso)),
    refuse: (on: boolean) => void (refusing = on),
  };
}

const until = (from: string, to: string) => Date.parse(to) - Date.parse(from);

describe('WeChat undocodeaudit quota (87013)', () => {
  it('after 5 undos today, retries after midnight China time', async () => {
    const r = rig('2025-03-10T02:00:00Z');
    for (let i = 0; i < 5; i++) expect(await r.undo()).toBeNull();
    r.refuse(true);
    expect(await r.undo()).toMatchObject({
      kind: 'quota',
      retryable: true,
      nativeCode: '87013',
      retryAfterMs: until('2025-03-10T02:00:00Z', '2025-03-10T16:00:00Z'),
    });
  });

  it('after 10 undos this month, retries on the 1st of next month, not tomorrow', async () => {
    const r = rig('2025-03-03T02:00:00Z');
    for (let i = 0; i < 5; i++) expect(await r.undo()).toBeNull();
    r.at('2025-03-04T02:00:00Z');
    for (let i = 0; i < 5; i++) expect(await r.undo()).toBeNull();
    r.at('2025-03-05T02:00:00Z');
    r.refuse(true);
    const e = await r.undo();
    expect(e).toMatchObject({ kind: 'quota', nativeCode: '87013', retryAfterMs: until('2025-03-05T02:00:00Z', '2025-03-31T16:00:00Z') });
    expect(e?.nativeMessage).toContain('monthly cap of 10');
  });

  it('refused again on a later day of the month (the daily cap has reset since): the monthly cap', async () => {
    const r = rig('2025-03-10T02:00:00Z');
    r.refuse(true);
    expect((await r.undo())?.retryAfterMs).toBe(until('2025-03-10T02:00:00Z', '2025-03-10T16:00:00Z'));
    r.at('2025-03-11T03:00:00Z');
    expect((await r.undo())?.retryAfterMs).toBe(until('2025-03-11T03:00:00Z', '2025-03-31T16:00:00Z'));
  });
});
