import { describe, expect, it } from '@jest/globals';
import { CallbackRejectedError, type RawCallback } from '../core/index.js';
import { parseBaiduCallback } from './baidu.callbacks.js';
import { baiduSignature, sealEnvelope } from './baidu.crypto.js';
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
