import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AlipaySdk } from 'alipay-sdk';
import { createHttpTransport, type HttpTransport } from '../core/index.js';
import { parseAlipayCallback } from './alipay.callbacks.js';
import { AlipayClient, responseKeyOf } from './alipay.client.js';
import { requestSignContent, responseSignedText, rsa2Verify, verifyNotifySign, verifyResponseSign } from './alipay.signature.js';
import { AlipaySandbox } from './sandbox/alipay-sandbox.js';
import { buildPushForm } from './sandbox/sandbox-pushes.js';

// The official npm SDK as an independent oracle (shared/hosts A7): it signs, cuts and verifies
// with its own code. Caveats from A7: it never drops empty values (so none are sent here), it
// snake-cases biz keys unless told not to, and checkNotifySignV2 verifies values as given.

const keyPair = (format: 'pkcs1' | 'pkcs8') => {
  const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: k.privateKey.export({ type: format, format: 'pem' }).toString(),
    publicKey: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};
const isv = keyPair('pkcs1');
const isv8 = keyPair('pkcs8');
const ali = keyPair('pkcs8');
const APP_ID = '2021000000000001';
const METHOD = 'alipay.open.mini.version.upload';
const BIZ = { app_version: '1.2.3', template_id: '2021004100000017', ext: JSON.stringify({ shop: '门店/1', n: 1 }), bundle_id: 'com.alipay.alipaywallet' };
const fixedNow = () => new Date('2024-05-13T09:49:20Z');

const client = () => new AlipayClient({ baseUrl: 'http://127.0.0.1:9', http: createHttpTransport(), now: fixedNow });
const creds = (privateKey: string) => ({ appId: APP_ID, privateKey, alipayPublicKey: ali.publicKey, appAuthToken: '202401BB0123456789abcdef0123456789abcdef' });
const parseSdkString = (s: string) => Object.fromEntries(s.split('&').map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]));

describe('request signing against alipay-sdk', () => {
  for (const [label, key, keyType] of [
    ['PKCS#1', isv, 'PKCS1'],
    ['PKCS#8', isv8, 'PKCS8'],
  ] as const) {
    it(`gives the same signature as sdkExecute for the same params (${label} key)`, () => {
      const { query, body } = client().buildParams(creds(key.privateKey), { method: METHOD, bizContent: BIZ });
      expect(query.timestamp).toBe('2024-05-13 17:49:20'); // Beijing time
      const sdk = new AlipaySdk({ appId: APP_ID, privateKey: key.privateKey, keyType, alipayPublicKey: key.publicKey });
      // Our timestamp passed in overrides the SDK's clock (its sign() copies params over its own).
      const theirs = parseSdkString(
        sdk.sdkExecute(METHOD, { appAuthToken: query.app_auth_token, timestamp: query.timestamp, bizContent: BIZ }, { bizContentAutoSnakeCase: false }),
      );
      expect(theirs.biz_content).toBe(body.biz_content);
      // RSASSA-PKCS1-v1_5 is deterministic: equal signatures mean equal sign strings.
      expect(theirs.sign).toBe(query.sign);
      expect(sdk.rsaCheck(requestSignContent({ ...query, ...body }), query.sign)).toBe(true);
    });
  }

  it('verifies with our verifier what sdkExecute signed', () => {
    const sdk = new AlipaySdk({ appId: APP_ID, privateKey: isv.privateKey, alipayPublicKey: isv.publicKey });
    const params = parseSdkString(
      sdk.sdkExecute(METHOD, { appAuthToken: '202401BBtoken', bizContent: { appVersion: '2.0.0', templateId: '2021004100000017' } }),
    );
    expect(JSON.parse(params.biz_content)).toEqual({ app_version: '2.0.0', template_id: '2021004100000017' });
    expect(rsa2Verify(requestSignContent(params), params.sign, isv.publicKey)).toBe(true);
    expect(rsa2Verify(requestSignContent({ ...params, app_auth_token: 'other' }), params.sign, isv.publicKey)).toBe(false);
  });
});

describe('responses and pushes of the sandbox against alipay-sdk', () => {
  const sandbox = new AlipaySandbox({ buildDelayMs: 0 });
  let captured = '';
  const capture: (inner: HttpTransport) => HttpTransport = (inner) => async (req) => {
    const res = await inner(req);
    captured = res.text();
    return res;
  };
  let sdk: AlipaySdk;
  let appCreds: ReturnType<typeof creds>;

  beforeAll(async () => {
    await sandbox.start();
    const app = await sandbox.createApp();
    appCreds = app.credentials as ReturnType<typeof creds>;
    sdk = new AlipaySdk({
      appId: appCreds.appId,
      privateKey: appCreds.privateKey,
      alipayPublicKey: appCreds.alipayPublicKey,
      gateway: `${sandbox.baseUrl}/gateway.do`,
    });
  });
  afterAll(() => sandbox.stop());

  it('cuts and verifies a sandbox response exactly like getSignStr / checkResponseSign', async () => {
    const c = new AlipayClient({ baseUrl: sandbox.baseUrl, http: capture(createHttpTransport()), now: () => new Date() });
    await c.call(appCreds, 'upload', { method: METHOD, bizContent: BIZ });
    const key = responseKeyOf(METHOD);
    const sign = JSON.parse(captured).sign as string;
    expect(responseSignedText(captured, key)).toBe(sdk.getSignStr(captured, key));
    expect(() => sdk.checkResponseSign(captured, key, sign, 'trace')).not.toThrow();
    expect(verifyResponseSign(captured, key, sign, appCreds.alipayPublicKey)).toBe(true);
    const tampered = captured.replace('"10000"', '"10001"');
    expect(() => sdk.checkResponseSign(tampered, key, sign, 'trace')).toThrow();
    expect(verifyResponseSign(tampered, key, sign, appCreds.alipayPublicKey)).toBe(false);
  });

  it('is accepted by the sandbox when the SDK itself calls it, and the SDK verifies the answer', async () => {
    const res = await sdk.exec(
      'alipay.open.mini.version.list.query',
      { appAuthToken: appCreds.appAuthToken, bizContent: { bundleId: 'com.alipay.alipaywallet', versionStatus: 'INIT,RELEASE' } },
      { validateSign: true },
    );
    expect(res).toMatchObject({ code: '10000', appVersionInfos: [{ appVersion: '1.2.3', versionStatus: 'INIT' }] });
  });

  it('verifies a sandbox push with checkNotifySignV2 and with our verifier', () => {
    const form = buildPushForm(
      'alipay.open.mini.version.audit.passed',
      { mini_app_id: '2021000000000002', mini_app_version: '1.2.3' },
      sandbox.isvAppId,
      sandbox.alipayKeys.privateKey,
    );
    const postData = Object.fromEntries(new URLSearchParams(form));
    const oracle = new AlipaySdk({ appId: sandbox.isvAppId, privateKey: isv.privateKey, alipayPublicKey: sandbox.alipayKeys.publicKey });
    expect(oracle.checkNotifySignV2(postData)).toBe(true);
    expect(verifyNotifySign(postData, sandbox.alipayKeys.publicKey)).toBe(true);
    expect(oracle.checkNotifySignV2({ ...postData, mini: 'x' })).toBe(false);
  });
});

describe('our notify verifier against a push signed by hand (A4.2)', () => {
  it('accepts the sign string written out literally, with an empty value kept', () => {
    const fields = {
      app_id: APP_ID,
      biz_content: '{"mini_app_id":"2021000000000002","mini_app_version":"1.0.1","audit_reason":"首页空白"}',
      charset: 'utf-8',
      msg_method: 'alipay.open.mini.version.audit.rejected',
      notify_id: '2024051300222174920000000000001',
      sign_type: 'RSA2',
      utc_timestamp: '1715593760000',
      version: '1.1',
      memo: '',
    };
    const literal =
      'app_id=2021000000000001&biz_content={"mini_app_id":"2021000000000002","mini_app_version":"1.0.1","audit_reason":"首页空白"}&charset=utf-8&memo=&msg_method=alipay.open.mini.version.audit.rejected&notify_id=2024051300222174920000000000001&utc_timestamp=1715593760000&version=1.1';
    const sign = createSign('RSA-SHA256').update(literal, 'utf8').sign(ali.privateKey, 'base64');
    const params = { ...fields, sign };
    expect(verifyNotifySign(params, ali.publicKey)).toBe(true);
    const oracle = new AlipaySdk({ appId: APP_ID, privateKey: isv.privateKey, alipayPublicKey: ali.publicKey });
    expect(oracle.checkNotifySignV2(params)).toBe(true);
    const parsed = parseAlipayCallback(
      { method: 'POST', path: '/callbacks/alipay', query: {}, headers: {}, body: new URLSearchParams(params).toString() },
      { appId: APP_ID, alipayPublicKey: ali.publicKey },
    );
    expect(parsed.events).toEqual([expect.objectContaining({ type: 'REVIEW_REJECTED', hostAppId: '2021000000000002', version: '1.0.1', reason: '首页空白' })]);
    expect(parsed.dedupeKey).toBe('alipay:2024051300222174920000000000001');
  });
});
