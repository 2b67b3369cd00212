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
