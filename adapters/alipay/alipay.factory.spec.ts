import { ALIPAY_BASIC_INFO } from './alipay.basic-info.js';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CAPABILITY_NAMES, createHttpTransport, InMemoryTokenStore, UnsupportedCapabilityError } from '../core/index.js';
import { beijingTimestamp, gatewayUrl, responseKeyOf } from './alipay.client.js';
import { checkAlipayCredentials } from './alipay.credentials.js';
import { alipayAdapterFactory } from './alipay.factory.js';

const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
const good = {
  appId: '2021000000000001',
  privateKey: k.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  alipayPublicKey: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  appAuthToken: '202401BB0123456789abcdef0123456789abcdef',
};
const opts = (baseUrl: string) => ({ baseUrl, http: createHttpTransport(), tokenStore: new InMemoryTokenStore() });

describe('checkAlipayCredentials', () => {
  it('accepts PKCS#1 and PKCS#8 private keys', () => {
    expect(checkAlipayCredentials(good)).toEqual([]);
    expect(checkAlipayCredentials({ ...good, privateKey: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).toEqual([]);
  });

  it('names each wrong field without echoing values', () => {
    const problems = checkAlipayCredentials({
      appId: 'wx123',
      privateKey: good.alipayPublicKey,
      alipayPublicKey: good.privateKey,
      appAuthToken: 'x'.repeat(41),
    });
    expect(problems).toEqual([
      'appId must be the 16-digit ISV app id',
      'privateKey is not a readable PEM private key (PKCS#1 or PKCS#8)',
      'alipayPublicKey must be a public key, not a private key',
      'appAuthToken must be at most 40 characters (A1.2)',
    ]);
    expect(checkAlipayCredentials({ ...good, alipayPublicKey: 'garbage', appAuthToken: '' })).toEqual([
      'alipayPublicKey is not a readable PEM public key',
      'appAuthToken must be a non-empty string',
    ]);
    expect(checkAlipayCredentials(null)).toEqual(['credentials must be an object']);
    expect(JSON.stringify(checkAlipayCredentials({ ...good, appId: 'x' }))).not.toContain(good.appAuthToken);
  });
});

describe('alipayAdapterFactory', () => {
  it('refuses unusable options at boot', () => {
    expect(() => alipayAdapterFactory.validateOptions(opts('not a url'))).toThrow(/baseUrl is not a URL/);
    expect(() => alipayAdapterFactory.validateOptions(opts('ftp://x.test/gateway.do'))).toThrow(/http\(s\)/);
    expect(() => alipayAdapterFactory.validateOptions(opts('https://x.test/gateway.do?charset=gbk'))).toThrow(/query/);
    expect(() => alipayAdapterFactory.validateOptions({ ...opts('http://127.0.0.1:1'), timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => alipayAdapterFactory.validateOptions(opts('http://127.0.0.1:1'))).not.toThrow();
  });

  it('declares capabilities and a full profile', () => {
    const a = alipayAdapterFactory.create(opts('http://127.0.0.1:9'));
    expect(a.capabilities).toEqual({
      grayRelease: { allowedPercentages: [10, 30, 50], min: 10, max: 50, mustIncrease: false, cancellable: true },
      rollback: true,
      withdrawReview: true,
      speedUpReview: false,
      analytics: false,
      reviewPushes: true,
      // Name, description and icon change by API (per-field capabilities in alipay.basic-info.ts).
      basicInfoSync: true,
      basicInfo: ALIPAY_BASIC_INFO,
      artifactKinds: ['TEMPLATE'],
    });
    expect(CAPABILITY_NAMES.length).toBe(7);
    const p = alipayAdapterFactory.profile;
    for (const l of p.limits) expect(l.source).toMatch(/^shared\/hosts\/alipay-baidu-bytedance\.md A\d/);
    expect(p.statusMapping.map((s) => s.native)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^status GRAY/), expect.stringMatching(/^build_status 5/)]),
    );
    expect(p.assumptions.join(' ')).toMatch(/CONFLICT/);
  });

  it('refuses speedUpReview and analytics before any call', async () => {
    let calls = 0;
    const a = alipayAdapterFactory.create({ ...opts('http://127.0.0.1:9'), http: async () => (calls++, Promise.reject(new Error('no call expected'))) });
    const ctx = { hostAppId: '2021000000000002', credentials: good };
    await expect(a.speedUpReview(ctx, { version: '1.0.0', ids: {} })).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    await expect(a.analytics(ctx, '2024-01-01')).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    for (const p of [0, 15, 20, 10.5, 100])
      await expect(a.release(ctx, { version: '1.0.0', ids: {} }, { grayPercentage: p })).rejects.toBeInstanceOf(UnsupportedCapabilityError);
    expect(calls).toBe(0);
  });
});

describe('client helpers', () => {
  it('formats Beijing time, response keys and the gateway URL', () => {
    expect(beijingTimestamp(new Date('2024-12-31T16:30:05Z'))).toBe('2025-01-01 00:30:05');
    expect(responseKeyOf('alipay.open.mini.version.audit.apply')).toBe('alipay_open_mini_version_audit_apply_response');
    expect(gatewayUrl('https://openapi.alipay.com/gateway.do').toString()).toBe('https://openapi.alipay.com/gateway.do');
    expect(gatewayUrl('http://127.0.0.1:8080/').toString()).toBe('http://127.0.0.1:8080/gateway.do');
  });
});
