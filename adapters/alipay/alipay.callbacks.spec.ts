import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CallbackRejectedError, type RawCallback } from '../core/index.js';
import { parseAlipayCallback } from './alipay.callbacks.js';
import { notifySignContent, rsa2Sign } from './alipay.signature.js';

const k = generateKeyPairSync('rsa', { modulusLength: 2048 });
const priv = k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pub = k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ISV = '2021000000000001';
const secrets = { appId: ISV, alipayPublicKey: pub };

function push(fields: Record<string, string>, { keepSignType = false, key = priv } = {}): RawCallback {
  const all = { app_id: ISV, charset: 'utf-8', sign_type: 'RSA2', version: '1.1', notify_id: 'nid-1', utc_timestamp: '1715593760000', ...fields };
  const sign = rsa2Sign(notifySignContent(all, keepSignType), key);
  return {
    method: 'POST',
    path: '/callbacks/alipay',
    query: {},
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...all, sign }).toString(),
  };
}
const refused = (raw: RawCallback) => {
  try {
    parseAlipayCallback(raw, secrets);
  } catch (e) {
    return e instanceof CallbackRejectedError ? e.reason : `other: ${String(e)}`;
  }
  return 'accepted';
};

describe('parseAlipayCallback (shared/hosts A4)', () => {
  it('turns audit.passed into REVIEW_APPROVED with the app, version, time and notify_id dedupe key', () => {
    const parsed = parseAlipayCallback(
      push({ msg_method: 'alipay.open.mini.version.audit.passed', biz_content: '{"mini_app_id":"2021000000000002","mini_app_version":"1.0.3"}' }),
      secrets,
    );
    expect(parsed).toMatchObject({ host: 'ALIPAY', dedupeKey: 'alipay:nid-1', reply: { status: 200, body: 'success' } });
    expect(parsed.events).toEqual([
      { type: 'REVIEW_APPROVED', hostAppId: '2021000000000002', version: '1.0.3', reason: null, screenshots: [], ids: {}, at: new Date(1715593760000) },
    ]);
  });

  it('turns audit.rejected into REVIEW_REJECTED with the reason and any audit images (V2 signature, form-encoded + and %)', () => {
    const biz = {
      mini_app_id: '2021000000000002',
      mini_app_version: '1.0.3',
      audit_reason: '含有 100% + 违规内容',
      bundle_id: 'com.alipay.alipaywallet',
      base_audit_record: { audit_images: ['https://x.test/1.png'] },
    };
    const parsed = parseAlipayCallback(
      push({ msg_method: 'alipay.open.mini.version.audit.rejected', biz_content: JSON.stringify(biz) }, { keepSignType: true }),
      secrets,
    );
    expect(parsed.events[0]).toMatchObject({
      type: 'REVIEW_REJECTED',
      reason: '含有 100% + 违规内容',
      screenshots: ['https://x.test/1.png'],
      ids: { bundleId: 'com.alipay.alipaywallet' },
    });
  });

  it('reports a cancelled authorisation as UNAUTHORIZED and keeps the token out of the evidence', () => {
    const parsed = parseAlipayCallback(
      push({
        msg_method: 'alipay.open.auth.appauth.cancelled',
        biz_content: '{"app_auth_token":"202401BBsecrettoken","app_id":"2021000000000001","auth_app_id":"2021000000000009","user_id":"2088"}',
      }),
      secrets,
    );
    expect(parsed.events).toEqual([expect.objectContaining({ type: 'UNAUTHORIZED', hostAppId: '2021000000000009' })]);
    expect(JSON.stringify(parsed.payload)).not.toContain('202401BBsecrettoken');
    expect(JSON.stringify(parsed.payload)).not.toContain('"sign"');
  });

  it('reads open_app_auth_notify as AUTHORIZED and anything else as OTHER', () => {
    const auth = push({
      notify_type: 'open_app_auth_notify',
      biz_content: '{"detail":{"auth_app_id":"2021000000000009","app_auth_code":"code1","app_auth_token":"t"}}',
    });
    expect(parseAlipayCallback(auth, secrets).events).toEqual([
      expect.objectContaining({ type: 'AUTHORIZED', hostAppId: '2021000000000009', authorizationCode: 'code1' }),
    ]);
    const other = push({ msg_method: 'alipay.open.mini.something', biz_content: '{"mini_app_id":"2021000000000002"}' });
    expect(parseAlipayCallback(other, secrets).events).toEqual([
      expect.objectContaining({ type: 'OTHER', nativeType: 'alipay.open.mini.something', hostAppId: '2021000000000002' }),
    ]);
  });

  it('refuses a bad or missing signature, an edited field, another app id and a broken envelope', () => {
    const good = push({ msg_method: 'alipay.open.mini.version.audit.passed', biz_content: '{"mini_app_id":"2021000000000002"}' });
    expect(refused(good)).toBe('accepted');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(refused(push({ msg_method: 'alipay.open.mini.version.audit.passed', biz_content: '{}' }, { key: other }))).toBe('signature');
    expect(refused({ ...good, body: good.body.replace('2021000000000002', '2021000000000003') })).toBe('signature');
    expect(refused({ ...good, body: good.body.replace(/&sign=[^&]*/, '') })).toBe('signature');
    expect(refused(push({ app_id: '2021000000000777', msg_method: 'alipay.open.mini.version.audit.passed', biz_content: '{}' }))).toBe('app_id');
    expect(refused(push({ msg_method: 'alipay.open.mini.version.audit.passed', biz_content: 'not json' }))).toBe('envelope');
    expect(refused(push({ msg_method: 'alipay.open.mini.version.audit.passed', biz_content: '{"mini_app_version":"1.0.0"}' }))).toBe('envelope');
    expect(refused(push({ biz_content: '{}' }))).toBe('envelope');
  });

  it('throws a plain error on unusable secrets (configuration, not the push)', () => {
    expect(() => parseAlipayCallback(push({ msg_method: 'x' }), { appId: 'x', alipayPublicKey: 'nope' })).toThrow(/callback secrets/);
  });
});

describe('Alipay push refusals: each names its reason and what was wrong', () => {
  const AUDIT = 'alipay.open.mini.version.audit.passed';
  const good = push({ msg_method: AUDIT, biz_content: '{"mini_app_id":"2021000000000002"}' });
  const outcome = (raw: RawCallback): string => {
    try {
      return `accepted by ${parseAlipayCallback(raw, secrets).host}`;
    } catch (err) {
      if (err instanceof CallbackRejectedError) return err.message;
      throw err;
    }
  };

  it.each([
    ['a push without sign', { ...good, body: good.body.replace(/&sign=[^&]*/, '') }, 'ALIPAY push refused (signature): push has no sign'],
    ['an empty sign', { ...good, body: good.body.replace(/&sign=[^&]*/, '&sign=') }, 'ALIPAY push refused (signature): push has no sign'],
    [
      'an edited field',
      { ...good, body: good.body.replace('2021000000000002', '2021000000000003') },
      'ALIPAY push refused (signature): sign does not verify with the Alipay public key',
    ],
    [
      'a push to another app',
      push({ app_id: '2021000000000777', msg_method: AUDIT, biz_content: '{}' }),
      'ALIPAY push refused (app_id): push is addressed to another app',
    ],
    ['a push naming no kind', push({ biz_content: '{}' }), 'ALIPAY push refused (envelope): push has neither msg_method nor notify_type'],
    ['a biz_content that is not JSON', push({ msg_method: AUDIT, biz_content: 'not json' }), 'ALIPAY push refused (envelope): biz_content is not JSON'],
  ])('refuses %s', (_name, raw, message) => {
    expect(outcome(raw)).toBe(message);
  });

  it('reads the push from the query when the body is empty or only whitespace', () => {
    const query = Object.fromEntries(new URLSearchParams(good.body));
    expect(outcome({ ...good, method: 'GET', body: '', query })).toBe('accepted by ALIPAY');
    expect(outcome({ ...good, body: ' \r\n', query })).toBe('accepted by ALIPAY');
    expect(parseAlipayCallback({ ...good, body: '', query }, secrets).dedupeKey).toBe('alipay:nid-1');
  });

  it('names the problem with the secrets in its configuration error', () => {
    expect(() => parseAlipayCallback(good, { appId: ISV, alipayPublicKey: 'nope' })).toThrow(/^Alipay callback secrets: .+/);
  });
});
