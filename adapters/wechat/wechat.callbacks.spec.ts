import { describe, expect, it } from '@jest/globals';
import { CallbackRejectedError, type RawCallback } from '../core/index.js';
import { parseWechatCallback } from './wechat.callbacks.js';
import { encryptMessage, wechatSignature } from './wechat.crypto.js';

const secrets = { componentAppId: 'wx0123456789abcdef', token: 'pushtoken', encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR' };

function push(inner: string, opts: { envelope?: 'AppId' | 'ToUserName'; appId?: string; token?: string; outerAppId?: string } = {}): RawCallback {
  const encrypt = encryptMessage(secrets.encodingAesKey, opts.appId ?? secrets.componentAppId, inner);
  const [timestamp, nonce] = ['1700000000', '99887766'];
  const head =
    opts.envelope === 'ToUserName' ? `<ToUserName><![CDATA[gh_abc]]></ToUserName>` : `<AppId><![CDATA[${opts.outerAppId ?? secrets.componentAppId}]]></AppId>`;
  return {
    method: 'POST',
    path: '/callbacks/wechat',
    headers: { 'content-type': 'text/xml' },
    query: {
      signature: wechatSignature(secrets.token, timestamp, nonce),
      timestamp,
      nonce,
      encrypt_type: 'aes',
      msg_signature: wechatSignature(opts.token ?? secrets.token, timestamp, nonce, encrypt),
    },
    body: `<xml>${head}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  };
}

const ticketXml = `<xml><AppId><![CDATA[${secrets.componentAppId}]]></AppId><CreateTime>1413192605</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[ticket@@@abc]]></ComponentVerifyTicket></xml>`;
const failXml = `<xml><ToUserName><![CDATA[gh_abc]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1488856591</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[weapp_audit_fail]]></Event><Reason><![CDATA[1:bad<br>2:worse]]></Reason><FailTime>1488856591</FailTime><ScreenShot><![CDATA[m1|m2]]></ScreenShot></xml>`;

describe('WeChat pushes', () => {
  it('reads a ticket from the auth-event envelope and answers success', () => {
    const parsed = parseWechatCallback(push(ticketXml), secrets);
    expect(parsed.events).toEqual([{ type: 'TICKET', ticket: 'ticket@@@abc', at: new Date(1413192605_000) }]);
    expect(parsed.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(JSON.stringify(parsed.payload)).not.toContain('ticket@@@abc');
  });

  it('maps authorization changes', () => {
    const xml = (t: string) =>
      `<xml><AppId>${secrets.componentAppId}</AppId><CreateTime>1</CreateTime><InfoType>${t}</InfoType><AuthorizerAppid>wxmerchant000001</AuthorizerAppid><AuthorizationCode>code1</AuthorizationCode></xml>`;
    expect(parseWechatCallback(push(xml('authorized')), secrets).events[0]).toMatchObject({
      type: 'AUTHORIZED',
      hostAppId: 'wxmerchant000001',
      authorizationCode: 'code1',
    });
    expect(parseWechatCallback(push(xml('updateauthorized')), secrets).events[0]).toMatchObject({ type: 'AUTHORIZATION_UPDATED' });
    expect(parseWechatCallback(push(xml('unauthorized')), secrets).events[0]).toMatchObject({ type: 'UNAUTHORIZED', hostAppId: 'wxmerchant000001' });
  });

  it('maps audit results from the message envelope, splitting screenshots on |', () => {
    const parsed = parseWechatCallback(push(failXml, { envelope: 'ToUserName' }), secrets);
    expect(parsed.events[0]).toMatchObject({ type: 'REVIEW_REJECTED', hostAppId: 'gh_abc', reason: '1:bad<br>2:worse', screenshots: ['m1', 'm2'] });
    const ok = failXml.replace('weapp_audit_fail', 'weapp_audit_success');
    expect(parseWechatCallback(push(ok, { envelope: 'ToUserName' }), secrets).events[0]).toMatchObject({ type: 'REVIEW_APPROVED', screenshots: [] });
    const delay = failXml.replace('weapp_audit_fail', 'weapp_audit_delay');
    expect(parseWechatCallback(push(delay, { envelope: 'ToUserName' }), secrets).events[0]).toMatchObject({
      type: 'REVIEW_DELAYED',
      reason: '1:bad<br>2:worse',
    });
  });

  it('names the app from a $APPID$ path segment or appid query when the receiver URL carries one', () => {
    const raw = push(failXml, { envelope: 'ToUserName' });
    expect(parseWechatCallback({ ...raw, path: '/callbacks/wechat/wx00112233445566ff' }, secrets).events[0]).toMatchObject({
      hostAppId: 'wx00112233445566ff',
      ids: { ghId: 'gh_abc' },
    });
    expect(parseWechatCallback({ ...raw, query: { ...raw.query, appid: 'wx00112233445566aa' } }, secrets).events[0]).toMatchObject({
      hostAppId: 'wx00112233445566aa',
    });
  });

  it('gives the same dedupe key to the same push re-encrypted, another key to another push', () => {
    const a = parseWechatCallback(push(failXml, { envelope: 'ToUserName' }), secrets).dedupeKey;
    const b = parseWechatCallback(push(failXml, { envelope: 'ToUserName' }), secrets).dedupeKey;
    const c = parseWechatCallback(push(failXml.replace('1488856591</CreateTime>', '1488856592</CreateTime>'), { envelope: 'ToUserName' }), secrets).dedupeKey;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  const refused = (raw: RawCallback) => {
    try {
      parseWechatCallback(raw, secrets);
    } catch (err) {
      return err instanceof CallbackRejectedError ? err.reason : 'other';
    }
    return 'accepted';
  };

  it('refuses a wrong msg_signature even when the plain signature is right', () => {
    expect(refused(push(ticketXml, { token: 'other' }))).toBe('signature');
    const raw = push(ticketXml);
    expect(refused({ ...raw, query: { ...raw.query, msg_signature: undefined as unknown as string } })).toBe('signature');
  });

  it('refuses a payload or envelope addressed to another platform', () => {
    expect(refused(push(ticketXml, { appId: 'wxffffffffffffffff' }))).toBe('app_id');
    expect(refused(push(ticketXml, { outerAppId: 'wxffffffffffffffff' }))).toBe('app_id');
  });

  it('refuses malformed envelopes', () => {
    const raw = push(ticketXml);
    expect(refused({ ...raw, body: 'not xml' })).toBe('envelope');
    expect(refused({ ...raw, body: '<xml><Encrypt>abc</Encrypt></xml>' })).toBe('envelope');
    expect(refused({ ...raw, method: 'GET' })).toBe('envelope');
  });
});

describe('WeChat push refusals: each names its reason and what was wrong', () => {
  const [timestamp, nonce] = ['1700000000', '99887766'];
  /** An envelope around `encrypt`, signed with the token unless told otherwise. */
  const envelope = (encrypt: string, head = `<AppId><![CDATA[${secrets.componentAppId}]]></AppId>`, query: Record<string, string> = {}): RawCallback => ({
    method: 'POST',
    path: '/callbacks/wechat',
    headers: { 'content-type': 'text/xml' },
    query: { timestamp, nonce, encrypt_type: 'aes', msg_signature: wechatSignature(secrets.token, timestamp, nonce, encrypt), ...query },
    body: `<xml>${head}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
  });
  const outcome = (raw: RawCallback, s: typeof secrets = secrets): string => {
    try {
      return `accepted by ${parseWechatCallback(raw, s).host}`;
    } catch (err) {
      if (err instanceof CallbackRejectedError) return err.message;
      throw err;
    }
  };
  const good = push(ticketXml);
  const without = (key: string) => {
    const query = { ...good.query };
    delete query[key];
    return { ...good, query };
  };

  it('accepts the published WXBizMsgCrypt decrypt case as a message-URL push (wechatpy tests/test_crypto.py)', () => {
    // The vector's own token, key, appid, timestamp and nonce; its payload is a text message to messense.
    const vector = {
      componentAppId: 'wx49f0ab532d5d035a',
      token: '123456',
      encodingAesKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
    };
    const Encrypt =
      'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';
    const raw: RawCallback = {
      method: 'POST',
      path: '/callbacks/wechat',
      headers: { 'content-type': 'text/xml' },
      query: { timestamp: '1411525903', nonce: '461056294', msg_signature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26d' },
      body: `<xml><ToUserName><![CDATA[gh_vector]]></ToUserName><Encrypt><![CDATA[${Encrypt}]]></Encrypt></xml>`,
    };
    const parsed = parseWechatCallback(raw, vector);
    expect(parsed.host).toBe('WECHAT');
    expect(parsed.payload).toMatchObject({ MsgType: 'text', Content: 'test', FromUserName: 'messense' });
    expect(outcome({ ...raw, query: { ...raw.query, msg_signature: '74d92dfeb87ba7c714f89d98870ae5eb62dff26e' } }, vector)).toBe(
      'WECHAT push refused (signature): msg_signature does not match',
    );
    expect(outcome(raw, { ...vector, componentAppId: 'wx0000000000000000' })).toBe('WECHAT push refused (app_id): payload is addressed to another appid');
  });

  it.each([
    ['a push not POSTed', { ...good, method: 'GET' }, 'WECHAT push refused (envelope): pushes are POSTed'],
    ['plain (not aes) mode', { ...good, query: { ...good.query, encrypt_type: 'raw' } }, 'WECHAT push refused (envelope): only safe (aes) mode is accepted'],
    ['a body that is not XML', { ...good, body: 'not xml' }, 'WECHAT push refused (envelope): body is not an <xml> envelope with <Encrypt>'],
    [
      'an envelope without Encrypt',
      { ...good, body: '<xml><AppId>wx0123456789abcdef</AppId></xml>' },
      'WECHAT push refused (envelope): body is not an <xml> envelope with <Encrypt>',
    ],
    ['an envelope naming no app', envelope('abc', ''), 'WECHAT push refused (envelope): envelope has neither <AppId> nor <ToUserName>'],
    ['no msg_signature', without('msg_signature'), 'WECHAT push refused (signature): msg_signature, timestamp and nonce are required'],
    ['no timestamp', without('timestamp'), 'WECHAT push refused (signature): msg_signature, timestamp and nonce are required'],
    ['no nonce', without('nonce'), 'WECHAT push refused (signature): msg_signature, timestamp and nonce are required'],
    ['a signature made with another token', push(ticketXml, { token: 'other' }), 'WECHAT push refused (signature): msg_signature does not match'],
    [
      'a signature of another length',
      { ...good, query: { ...good.query, msg_signature: 'abc' } },
      'WECHAT push refused (signature): msg_signature does not match',
    ],
    [
      'an envelope AppId of another platform',
      push(ticketXml, { outerAppId: 'wx9999999999999999' }),
      'WECHAT push refused (app_id): envelope AppId is another platform',
    ],
    [
      'a ciphertext for another platform',
      push(ticketXml, { appId: 'wx9999999999999999' }),
      'WECHAT push refused (app_id): payload is addressed to another appid',
    ],
    [
      'a signed ciphertext that is not whole AES blocks',
      envelope(Buffer.alloc(40, 1).toString('base64')),
      'WECHAT push refused (decrypt): ciphertext cannot be decrypted',
    ],
    [
      'a signed ciphertext whose payload is not XML',
      envelope(encryptMessage(secrets.encodingAesKey, secrets.componentAppId, 'just text')),
      'WECHAT push refused (envelope): decrypted payload is not XML',
    ],
  ])('refuses %s', (_name, raw, message) => {
    expect(outcome(raw)).toBe(message);
  });

  it('accepts aes mode named or left out, any case of POST, and either envelope', () => {
    expect(outcome(good)).toBe('accepted by WECHAT');
    expect(outcome(without('encrypt_type'))).toBe('accepted by WECHAT');
    expect(outcome({ ...good, method: 'post' })).toBe('accepted by WECHAT');
    expect(outcome(push(failXml, { envelope: 'ToUserName' }))).toBe('accepted by WECHAT');
    expect(outcome({ ...good, query: { ...good.query, msg_signature: good.query.msg_signature.toUpperCase() } })).toBe('accepted by WECHAT');
  });

  it('throws a configuration error, not a refusal, when the secrets are unusable', () => {
    expect(() => parseWechatCallback(good, { ...secrets, encodingAesKey: 'short' })).toThrow(/^WeChat callback secrets unusable: .+/);
    expect(() => parseWechatCallback(good, { ...secrets, encodingAesKey: 'short' })).not.toThrow(CallbackRejectedError);
  });
});
