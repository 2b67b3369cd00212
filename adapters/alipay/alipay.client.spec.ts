import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpTransport, HostError } from '../core/index.js';
import { AlipayClient } from './alipay.client.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { AlipaySandbox } from './sandbox/alipay-sandbox.js';

// The client against sandboxes: what happens when a key is wrong, the body is escaped, or the gateway fails.
const plain = new AlipaySandbox({ buildDelayMs: 0 });
const escaping = new AlipaySandbox({ buildDelayMs: 0, escapeSlashes: true });
const otherKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const client = (sb: AlipaySandbox) => new AlipayClient({ baseUrl: sb.baseUrl, http: createHttpTransport({ defaultTimeoutMs: 10_000 }), now: () => new Date() });
const fail = (p: Promise<unknown>) =>
  p.then(
    (v) => {
      throw new Error(`expected a failure, got ${JSON.stringify(v)}`);
    },
    (e: unknown) => e as HostError,
  );
const LIST = { method: 'alipay.open.mini.version.list.query', bizContent: { bundle_id: 'com.alipay.alipaywallet' } };
let creds: AlipayCredentials;

beforeAll(async () => {
  await Promise.all([plain.start(), escaping.start()]);
  creds = (await plain.createApp()).credentials as AlipayCredentials;
});
afterAll(() => Promise.all([plain.stop(), escaping.stop()]));

describe('AlipayClient against the sandbox', () => {
  it('sends system params in the query and biz_content in a form body', async () => {
    plain.clearCalls();
    await client(plain).call(creds, 'readListing', LIST);
    const [call] = plain.calls;
    expect(call).toMatchObject({ method: 'POST', path: '/gateway.do', apiMethod: LIST.method, answeredCode: '10000' });
    expect(call.query).toMatchObject({
      app_id: creds.appId,
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      sign: '[redacted]',
      app_auth_token: '[redacted]',
      biz_content: '{"bundle_id":"com.alipay.alipaywallet"}',
    });
  });

  it('gets isv.invalid-signature for a wrong private key, without the token in the error', async () => {
    const wrong = { ...creds, privateKey: otherKey().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const e = await fail(client(plain).call(wrong, 'readListing', LIST));
    expect(e).toMatchObject({ kind: 'invalid', retryable: false, nativeCode: '40002/isv.invalid-signature' });
    expect(e.nativeMessage).toContain('app_auth_token=[redacted]');
    expect(JSON.stringify(e) + e.message).not.toContain(creds.appAuthToken);
  });

  it('refuses an answer that does not verify with the configured Alipay public key', async () => {
    const wrong = { ...creds, alipayPublicKey: otherKey().publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    expect(await fail(client(plain).call(wrong, 'readListing', LIST))).toMatchObject({ kind: 'auth', retryable: false, nativeCode: null });
  });

  it('verifies a body that escapes "/" as "\\/" by the documented retry', async () => {
    const c = (await escaping.createApp()).credentials as AlipayCredentials;
    await client(escaping).call(c, 'upload', {
      method: 'alipay.open.mini.version.upload',
      bizContent: { app_version: '1.0.0', template_id: '2021004100000017', ext: '{}' },
    });
    const detail = await client(escaping).call(c, 'reviewStatus', { method: 'alipay.open.mini.version.detail.query', bizContent: { app_version: '1.0.0' } });
    expect(detail.app_logo).toMatch(/^https:\/\/sandbox\.alipay\.test\/logo\//);
  });

  it('reads an unsigned error_response for an unknown method as an error', async () => {
    const e = await fail(client(plain).call(creds, 'probe', { method: 'alipay.open.mini.nothing.here' }));
    expect(e).toMatchObject({ kind: 'invalid', nativeCode: '40002/isv.invalid-method' });
  });

  it('maps a token the gateway does not know, an injected fault by method and HTTP 503', async () => {
    expect(await fail(client(plain).call({ ...creds, appAuthToken: '202401BBunknown' }, 'readListing', LIST))).toMatchObject({
      kind: 'auth',
      nativeCode: '20001/aop.invalid-app-auth-token',
    });
    plain.faults.failNext({ path: /version\.upload$/, nativeCode: '40004/VERSION_HAS_EXISTED' });
    await client(plain).call(creds, 'readListing', LIST); // another method: not hit
    expect(await fail(client(plain).call(creds, 'upload', { method: 'alipay.open.mini.version.upload', bizContent: {} }))).toMatchObject({
      kind: 'conflict',
      nativeCode: '40004/VERSION_HAS_EXISTED',
      requestId: expect.stringMatching(/^sandbox-/),
    });
    plain.faults.serverErrorRate = 1;
    try {
      expect(await fail(client(plain).call(creds, 'readListing', LIST))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    } finally {
      plain.faults.reset();
    }
  });
});
