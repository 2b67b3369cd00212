import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  notifySignContent,
  requestSignContent,
  responseSignedText,
  rsa2Sign,
  signRequest,
  rsa2Verify,
  verifyNotifySign,
  verifyResponseSign,
} from './alipay.signature.js';
import { ALIPAY_ANSWER_FIXTURES } from './fixtures/alipay.answers.js';

const pair = () => {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { priv: k.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), pub: k.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};
const keys = pair();
const other = pair();

describe('requestSignContent (A1.3)', () => {
  it('sorts ASCII, drops sign and empty values, keeps sign_type and raw values', () => {
    const content = requestSignContent({
      timestamp: '2024-05-13 17:49:20',
      method: 'alipay.open.mini.version.upload',
      app_id: '2021000000000001',
      sign_type: 'RSA2',
      sign: 'ignored',
      notify_url: '',
      biz_content: '{"app_version":"1.0.0","ext":"{\\"a\\":1}"}',
      charset: 'utf-8',
      version: '1.0',
      Zeta: 'upper-case sorts before lower-case',
    });
    expect(content).toBe(
      'Zeta=upper-case sorts before lower-case&app_id=2021000000000001&biz_content={"app_version":"1.0.0","ext":"{\\"a\\":1}"}&charset=utf-8&method=alipay.open.mini.version.upload&sign_type=RSA2&timestamp=2024-05-13 17:49:20&version=1.0',
    );
  });

  it('drops values a caller left undefined or null, as it drops empty ones', () => {
    const params = { app_id: '2021000000000001', app_auth_token: undefined, notify_url: null, method: 'm' } as unknown as Record<string, string>;
    expect(requestSignContent(params)).toBe('app_id=2021000000000001&method=m');
  });

  it('signs with SHA256withRSA so the matching public key verifies and another does not', () => {
    const params = { app_id: '2021000000000001', method: 'alipay.open.mini.version.list.query', sign_type: 'RSA2' };
    const sign = signRequest(params, keys.priv);
    expect(Buffer.from(sign, 'base64')).toHaveLength(256);
    expect(rsa2Verify(requestSignContent(params), sign, keys.pub)).toBe(true);
    expect(rsa2Verify(requestSignContent(params), sign, other.pub)).toBe(false);
    expect(rsa2Verify(requestSignContent({ ...params, method: 'x' }), sign, keys.pub)).toBe(false);
  });
});

describe('responseSignedText / verifyResponseSign (A1.4)', () => {
  const key = 'alipay_open_mini_version_upload_response';

  it('cuts the raw node text, tolerating spaces and keeping an inner "sign" key', () => {
    const node = '{"code":"10000","msg":"Success","sign":"inner"}';
    const raw = `{ "${key}" :\n ${node} ,\n "sign":"outer"}`;
    expect(responseSignedText(raw, key)).toBe(node);
  });

  it('finds the node after another key and returns null when it is absent', () => {
    expect(responseSignedText('{"sign":"s","error_response":{"code":"20000"}}', 'error_response')).toBe('{"code":"20000"}');
    expect(responseSignedText('{"other_response":{}}', key)).toBeNull();
  });

  it("cuts exactly each recorded answer's node (nested objects and arrays included), signed or not", () => {
    const answers = ALIPAY_ANSWER_FIXTURES.filter((f) => f.kind === 'success' || f.kind === 'error');
    expect(answers.length).toBeGreaterThan(5);
    for (const fixture of answers) {
      const body = fixture.body as Record<string, unknown>;
      const responseKey = Object.keys(body).find((k) => k.endsWith('_response'))!;
      const raw = fixture.raw ?? JSON.stringify(body);
      expect([fixture.name, responseSignedText(raw, responseKey)]).toEqual([fixture.name, JSON.stringify(body[responseKey])]);
    }
    const nested = '{"code":"10000","service_region_info":[{"province_code":"310000","area":{"code":"1"}}],"msg":"Success"}';
    expect(responseSignedText(`{"${key}":${nested},"sign":"s"}`, key)).toBe(nested);
  });

  it('reads braces and escaped quotes inside strings as text', () => {
    const node = '{"msg":"a } and a { and \\"}\\" quoted","code":"10000"}';
    expect(JSON.parse(node)).toEqual({ msg: 'a } and a { and "}" quoted', code: '10000' });
    expect(responseSignedText(`{"${key}":${node},"sign":"s"}`, key)).toBe(node);
  });

  it('returns null when the node is missing, is not an object, or never closes', () => {
    // A missing key must not fall through to whatever object sits where it would have been.
    expect(responseSignedText('{"k":{"c":1}}', 'zzz')).toBeNull();
    expect(responseSignedText(`{"${key}":[{"code":"10000"}],"sign":"s"}`, key)).toBeNull();
    expect(responseSignedText(`{"${key}":"text","other":{"a":1}}`, key)).toBeNull();
    expect(responseSignedText(`{"${key}":{"code":"10000"`, key)).toBeNull();
  });

  it('answers false, without throwing, for a missing node, an empty sign or an unusable key or signature', () => {
    const node = '{"code":"10000"}';
    const sign = rsa2Sign(node, keys.priv);
    expect(verifyResponseSign(`{"other_response":${node},"sign":"${sign}"}`, key, sign, keys.pub)).toBe(false);
    expect(verifyResponseSign(`{"${key}":${node},"sign":""}`, key, '', keys.pub)).toBe(false);
    expect(rsa2Verify(node, sign, 'not a PEM key')).toBe(false);
    expect(rsa2Verify(node, sign, keys.pub)).toBe(true);
  });

  it('verifies over the exact text and retries with \\/ unescaped', () => {
    const node = '{"code":"10000","msg":"Success","app_logo":"https:\\/\\/x.test\\/a.png"}';
    const exact = `{"${key}":${node},"sign":"${rsa2Sign(node, keys.priv)}"}`;
    expect(verifyResponseSign(exact, key, JSON.parse(exact).sign, keys.pub)).toBe(true);
    const unescapedSig = rsa2Sign(node.replaceAll('\\/', '/'), keys.priv);
    expect(verifyResponseSign(`{"${key}":${node},"sign":"${unescapedSig}"}`, key, unescapedSig, keys.pub)).toBe(true);
    const tampered = exact.replace('"10000"', '"10001"');
    expect(verifyResponseSign(tampered, key, JSON.parse(exact).sign, keys.pub)).toBe(false);
    expect(verifyResponseSign(exact, key, JSON.parse(exact).sign, other.pub)).toBe(false);
  });
});

describe('notify verification (A4.2)', () => {
  const base = {
    msg_method: 'alipay.open.mini.version.audit.passed',
    app_id: '2021000000000001',
    notify_id: 'n1',
    utc_timestamp: '1516797622752',
    version: '1.1',
    charset: 'utf-8',
    sign_type: 'RSA2',
    biz_content: '{"mini_app_id":"2021000000000002","mini_app_version":"1.0.0"}',
    empty: '',
  };

  it('removes sign and sign_type, keeps empty values, sorts ASCII', () => {
    expect(notifySignContent({ ...base, sign: 'x' }, false)).toBe(
      'app_id=2021000000000001&biz_content={"mini_app_id":"2021000000000002","mini_app_version":"1.0.0"}&charset=utf-8&empty=&msg_method=alipay.open.mini.version.audit.passed&notify_id=n1&utc_timestamp=1516797622752&version=1.1',
    );
    expect(notifySignContent(base, true)).toContain('&sign_type=RSA2&');
  });

  it('accepts a V1 signature (sign_type removed) and a V2 one (kept), refuses other keys and edits', () => {
    const v1 = { ...base, sign: rsa2Sign(notifySignContent(base, false), keys.priv) };
    const v2 = { ...base, sign: rsa2Sign(notifySignContent(base, true), keys.priv) };
    expect(verifyNotifySign(v1, keys.pub)).toBe(true);
    expect(verifyNotifySign(v2, keys.pub)).toBe(true);
    expect(verifyNotifySign(v1, other.pub)).toBe(false);
    expect(verifyNotifySign({ ...v1, empty: 'x' }, keys.pub)).toBe(false);
    expect(verifyNotifySign({ ...base, sign: '' }, keys.pub)).toBe(false);
  });

  it('refuses a push whose sign_type is not RSA2, even with a valid RSA2 signature', () => {
    const { sign_type: _type, ...unsigned } = base;
    const sign = rsa2Sign(notifySignContent(unsigned, false), keys.priv);
    expect(verifyNotifySign({ ...unsigned, sign }, keys.pub)).toBe(true);
    expect(verifyNotifySign({ ...unsigned, sign_type: 'RSA2', sign }, keys.pub)).toBe(true);
    expect(verifyNotifySign({ ...unsigned, sign_type: 'RSA', sign }, keys.pub)).toBe(false);
  });
});
