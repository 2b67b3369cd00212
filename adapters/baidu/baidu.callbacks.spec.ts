import { describe, expect, it } from '@jest/globals';
import { CallbackRejectedError, type RawCallback } from '../core/index.js';
import { parseBaiduCallback } from './baidu.callbacks.js';
import { baiduSignature, encryptMessage, sealEnvelope } from './baidu.crypto.js';
import { buildPush } from './sandbox/sandbox-pushes.js';

const secrets = { tpAppId: '90000001', token: 'push-token-for-tests', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const raw = (body: string): RawCallback => ({ method: 'POST', path: '/callbacks/baidu', query: {}, headers: { 'content-type': 'application/json' }, body });
const push = (message: Record<string, unknown>, override: { token?: string; appId?: string } = {}) => raw(buildPush(secrets, message, override));
const audit = (event: string, extra: Record<string, unknown> = {}) => ({
  appId: '16118475',
  tpAppId: secrets.tpAppId,
  eventTime: '2019-01-14 12:45:10',
  event,
  packageId: 777,
  packageVersion: '1.2.0',
  ...extra,
});

function rejection(f: () => unknown): CallbackRejectedError {
  try {
    f();
  } catch (err) {
    if (err instanceof CallbackRejectedError) return err;
    throw err;
  }
  throw new Error('push was accepted');
}

describe('parseBaiduCallback (B4)', () => {
  it('maps an audit pass to REVIEW_APPROVED with the package id and version, eventTime read as China time', () => {
    const parsed = parseBaiduCallback(push(audit('PACKAGE_AUDIT_PASS')), secrets);
    expect(parsed.events).toEqual([
      {
        type: 'REVIEW_APPROVED',
        hostAppId: '16118475',
        version: '1.2.0',
        reason: null,
        screenshots: [],
        ids: { packageId: '777' },
        at: new Date('2019-01-14T04:45:10Z'),
      },
    ]);
    expect(parsed.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(parsed.host).toBe('BAIDU');
  });

  it('maps an audit failure to REVIEW_REJECTED with its reason', () => {
    const [event] = parseBaiduCallback(push(audit('PACKAGE_AUDIT_FAIL', { reason: '名称过长' })), secrets).events;
    expect(event).toMatchObject({ type: 'REVIEW_REJECTED', hostAppId: '16118475', reason: '名称过长', ids: { packageId: '777' } });
  });

  it('reads a ticket push and keeps the ticket out of the evidence', () => {
    const parsed = parseBaiduCallback(
      push({ Ticket: 'ticket-abc-123', FromUserName: 'SmartAPP', CreateTime: 1_700_000_000, MsgType: 'ticket', Event: 'push' }),
      secrets,
    );
    expect(parsed.events).toEqual([{ type: 'TICKET', ticket: 'ticket-abc-123', at: new Date(1_700_000_000_000) }]);
    expect(JSON.stringify(parsed.payload)).not.toContain('ticket-abc-123');
  });

  it.each([
    ['AUTHORIZED', 'AUTHORIZED'],
    ['UPDATE_AUTHORIZED', 'AUTHORIZATION_UPDATED'],
  ])('maps %s with its authorization code', (native, type) => {
    const parsed = parseBaiduCallback(push({ ...audit(native), authorizationCode: 'code-xyz', authorizationCodeExpiresIn: 3600 }), secrets);
    expect(parsed.events[0]).toMatchObject({ type, hostAppId: '16118475', authorizationCode: 'code-xyz' });
    expect(JSON.stringify(parsed.payload)).not.toContain('code-xyz');
  });

  it('maps UNAUTHORIZED and keeps other events as OTHER', () => {
    expect(parseBaiduCallback(push(audit('UNAUTHORIZED')), secrets).events[0]).toMatchObject({ type: 'UNAUTHORIZED', hostAppId: '16118475' });
    expect(parseBaiduCallback(push(audit('NAME_AUDIT_PASS')), secrets).events[0]).toMatchObject({ type: 'OTHER', nativeType: 'NAME_AUDIT_PASS' });
  });

  it('gives the same dedupe key to the same message sealed twice, another to another message', () => {
    const message = JSON.stringify(audit('PACKAGE_AUDIT_PASS'));
    const a = parseBaiduCallback(raw(JSON.stringify(sealEnvelope(secrets, secrets.tpAppId, message, '1', 'n1'))), secrets);
    const b = parseBaiduCallback(raw(JSON.stringify(sealEnvelope(secrets, secrets.tpAppId, message, '2', 'n2'))), secrets);
    const c = parseBaiduCallback(push(audit('PACKAGE_AUDIT_FAIL')), secrets);
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(c.dedupeKey).not.toBe(a.dedupeKey);
  });

  it('refuses a wrong signature', () => {
    expect(rejection(() => parseBaiduCallback(push(audit('PACKAGE_AUDIT_PASS'), { token: 'other' }), secrets)).reason).toBe('signature');
  });

  it('refuses a ciphertext for another platform, and a payload naming another tpAppId', () => {
    expect(rejection(() => parseBaiduCallback(push(audit('PACKAGE_AUDIT_PASS'), { appId: '90000002' }), secrets)).reason).toBe('app_id');
    expect(rejection(() => parseBaiduCallback(push(audit('PACKAGE_AUDIT_PASS', { tpAppId: '90000002' })), secrets)).reason).toBe('app_id');
  });

  it('refuses envelopes that are not JSON, lack fields or are not POSTed', () => {
    expect(rejection(() => parseBaiduCallback(raw('<xml/>'), secrets)).reason).toBe('envelope');
    expect(rejection(() => parseBaiduCallback(raw(JSON.stringify({ Encrypt: 'x' })), secrets)).reason).toBe('signature');
    expect(rejection(() => parseBaiduCallback({ ...push(audit('PACKAGE_AUDIT_PASS')), method: 'GET' }, secrets)).reason).toBe('envelope');
  });

  it('refuses a well-signed ciphertext that does not decrypt', () => {
    const Encrypt = Buffer.alloc(48, 1).toString('base64');
    const env = { Nonce: '1', TimeStamp: '2', Encrypt, MsgSignature: baiduSignature(secrets.token, '2', '1', Encrypt) };
    expect(rejection(() => parseBaiduCallback(raw(JSON.stringify(env)), secrets)).reason).toBe('decrypt');
  });

  it('will not run with unusable secrets', () => {
    expect(() => parseBaiduCallback(push(audit('PACKAGE_AUDIT_PASS')), { ...secrets, encodingAesKey: 'short' })).toThrow(/secrets unusable/);
  });
});

describe('Baidu push refusals: each names its reason and what was wrong', () => {
  const good = push(audit('PACKAGE_AUDIT_PASS'));
  const env = JSON.parse(good.body) as Record<string, string>;
  const withEnvelope = (fields: Record<string, unknown>) => raw(JSON.stringify(fields));
  const without = (key: string) => {
    const rest = { ...env };
    delete rest[key];
    return withEnvelope(rest);
  };
  /** An envelope around `Encrypt`, signed with the token. */
  const signed = (Encrypt: string) => withEnvelope({ Nonce: '1', TimeStamp: '2', Encrypt, MsgSignature: baiduSignature(secrets.token, '2', '1', Encrypt) });
  const outcome = (r: RawCallback): string => {
    try {
      return `accepted by ${parseBaiduCallback(r, secrets).host}`;
    } catch (err) {
      if (err instanceof CallbackRejectedError) return err.message;
      throw err;
    }
  };

  it.each([
    ['a push not POSTed', { ...good, method: 'GET' }, 'BAIDU push refused (envelope): pushes are POSTed'],
    ['a body that is not JSON', raw('<xml/>'), 'BAIDU push refused (envelope): body is not a JSON envelope with Encrypt'],
    ['a JSON array', raw('[]'), 'BAIDU push refused (envelope): body is not a JSON envelope with Encrypt'],
    ['an envelope without Encrypt', without('Encrypt'), 'BAIDU push refused (envelope): body is not a JSON envelope with Encrypt'],
    ['an envelope without Nonce', without('Nonce'), 'BAIDU push refused (signature): Nonce, TimeStamp and MsgSignature are required'],
    ['an envelope without TimeStamp', without('TimeStamp'), 'BAIDU push refused (signature): Nonce, TimeStamp and MsgSignature are required'],
    ['an envelope without MsgSignature', without('MsgSignature'), 'BAIDU push refused (signature): Nonce, TimeStamp and MsgSignature are required'],
    [
      'a signature made with another token',
      push(audit('PACKAGE_AUDIT_PASS'), { token: 'other' }),
      'BAIDU push refused (signature): MsgSignature does not match',
    ],
    ['a signature of another length', withEnvelope({ ...env, MsgSignature: 'abc' }), 'BAIDU push refused (signature): MsgSignature does not match'],
    [
      'a signed ciphertext that does not decrypt',
      signed(Buffer.alloc(40, 1).toString('base64')),
      'BAIDU push refused (decrypt): ciphertext cannot be decrypted',
    ],
    [
      'a ciphertext for another platform',
      push(audit('PACKAGE_AUDIT_PASS'), { appId: '90000002' }),
      'BAIDU push refused (app_id): payload is addressed to another platform',
    ],
    [
      'a signed payload that is not a JSON object',
      signed(encryptMessage(secrets.encodingAesKey, secrets.tpAppId, '"just text"')),
      'BAIDU push refused (envelope): decrypted payload is not a JSON object',
    ],
    [
      'a payload naming another tpAppId',
      push(audit('PACKAGE_AUDIT_PASS', { tpAppId: '90000002' })),
      'BAIDU push refused (app_id): tpAppId in the payload is another platform',
    ],
  ])('refuses %s', (_name, r, message) => {
    expect(outcome(r)).toBe(message);
  });

  it('accepts a POST in any case, numeric envelope values and a payload that does not name the TP', () => {
    expect(outcome(good)).toBe('accepted by BAIDU');
    expect(outcome({ ...good, method: 'post' })).toBe('accepted by BAIDU');
    const Encrypt = encryptMessage(secrets.encodingAesKey, secrets.tpAppId, JSON.stringify({ ...audit('PACKAGE_AUDIT_PASS'), tpAppId: undefined }));
    expect(outcome(withEnvelope({ Nonce: 7, TimeStamp: 1700000000, Encrypt, MsgSignature: baiduSignature(secrets.token, '1700000000', '7', Encrypt) }))).toBe(
      'accepted by BAIDU',
    );
  });

  it('throws a configuration error, not a refusal, when the secrets are unusable', () => {
    expect(() => parseBaiduCallback(good, { ...secrets, encodingAesKey: 'short' })).toThrow(/^Baidu callback secrets unusable: .+/);
  });
});
