import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { CallbackRejectedError, type RawCallback } from '../core/index.js';
import { parseBytedanceCallback, parseEventTime } from './bytedance.callbacks.js';
import { bytedanceSignature, encryptMessage } from './bytedance.crypto.js';

const secrets = { componentAppId: 'tt0123456789abcdef', token: 'push-token-123', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const NOW = new Date('2024-05-01T00:00:00Z');

function push(message: unknown, opts: { appId?: string; token?: string; xml?: boolean } = {}): RawCallback {
  const Encrypt = encryptMessage(secrets.encodingAesKey, opts.appId ?? secrets.componentAppId, JSON.stringify(message));
  const TimeStamp = '1714521600';
  const Nonce = 'n0nce';
  const MsgSignature = bytedanceSignature(opts.token ?? secrets.token, TimeStamp, Nonce, Encrypt);
  const body = opts.xml
    ? `<xml><Nonce>${Nonce}</Nonce><TimeStamp>${TimeStamp}</TimeStamp><Encrypt>${Encrypt}</Encrypt><MsgSignature>${MsgSignature}</MsgSignature></xml>`
    : JSON.stringify({ Nonce, TimeStamp, Encrypt, MsgSignature });
  return { method: 'POST', path: '/callbacks/bytedance', query: {}, headers: {}, body };
}

// Shaped as the DY-skit PACKAGE_AUDIT sample (C4).
const audit = (status: number, reason: string[] = []) => ({
  AppId: 'ttaaaabbbbccccdddd',
  TpAppId: secrets.componentAppId,
  EventTime: '2024-05-01 12:45:10',
  Event: 'PACKAGE_AUDIT',
  AuditResults: [
    {
      hostName: 'toutiao',
      status,
      reason,
      auditDetail: reason.map((r) => ({ reason: r, modifyGuide: { name: 'g', link: 'l' }, detailFile: 'https://x.test/shot.png' })),
    },
    { hostName: 'douyin', status: 1, reason: [], auditDetail: [] },
  ],
});

describe('parseBytedanceCallback', () => {
  it('maps PACKAGE_AUDIT to one event per host app and answers exactly success', () => {
    const parsed = parseBytedanceCallback(push(audit(2, ['隐私政策缺失', ''])), secrets, NOW);
    expect(parsed.reply).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    const at = new Date('2024-05-01T04:45:10Z');
    expect(parsed.events).toEqual([
      {
        type: 'REVIEW_REJECTED',
        hostAppId: 'ttaaaabbbbccccdddd',
        version: null,
        reason: '隐私政策缺失',
        screenshots: ['https://x.test/shot.png'],
        ids: { hostName: 'toutiao' },
        at,
      },
      { type: 'REVIEW_APPROVED', hostAppId: 'ttaaaabbbbccccdddd', version: null, reason: null, screenshots: [], ids: { hostName: 'douyin' }, at },
    ]);
  });

  it('keys duplicates by the decrypted content, whatever the nonce and random prefix', () => {
    const a = parseBytedanceCallback(push(audit(1)), secrets, NOW);
    const b = parseBytedanceCallback(push(audit(1)), secrets, NOW);
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(a.dedupeKey).toBe(
      createHash('sha256')
        .update(JSON.stringify(audit(1)))
        .digest('hex'),
    );
    expect(parseBytedanceCallback(push(audit(2)), secrets, NOW).dedupeKey).not.toBe(a.dedupeKey);
  });

  it('maps tickets and authorization events, and takes the XML form of the envelope', () => {
    const ticket = { Ticket: 'ticket@@@x', FromUserName: 'ByteDanceMicroApp', CreateTime: '2024-05-01 08:00:00', MsgType: 'Ticket', Event: 'PUSH' };
    expect(parseBytedanceCallback(push(ticket, { xml: true }), secrets, NOW).events).toEqual([
      { type: 'TICKET', ticket: 'ticket@@@x', at: new Date('2024-05-01T00:00:00Z') },
    ]);
    const auth = {
      AppId: 'tt1111222233334444',
      TpAppId: secrets.componentAppId,
      EventTime: '2024-05-01 08:00:00',
      Event: 'AUTHORIZED',
      AuthorizationCode: 'code1',
      AuthorizationCodeExpiresIn: 3600,
    };
    expect(parseBytedanceCallback(push(auth), secrets, NOW).events[0]).toMatchObject({
      type: 'AUTHORIZED',
      hostAppId: 'tt1111222233334444',
      authorizationCode: 'code1',
    });
    expect(parseBytedanceCallback(push({ ...auth, Event: 'UPDATE_AUTHORIZED' }), secrets, NOW).events[0]).toMatchObject({ type: 'AUTHORIZATION_UPDATED' });
    expect(parseBytedanceCallback(push({ ...auth, Event: 'UNAUTHORIZED' }), secrets, NOW).events[0]).toMatchObject({ type: 'UNAUTHORIZED' });
    expect(parseBytedanceCallback(push({ ...auth, Event: 'MODIFY_APP_NAME' }), secrets, NOW).events[0]).toMatchObject({
      type: 'OTHER',
      nativeType: 'MODIFY_APP_NAME',
    });
  });

  it('refuses a bad signature, another platform and a broken envelope', () => {
    const refused = (raw: RawCallback) => {
      try {
        parseBytedanceCallback(raw, secrets, NOW);
      } catch (err) {
        expect(err).toBeInstanceOf(CallbackRejectedError);
        return (err as CallbackRejectedError).reason;
      }
      throw new Error('accepted');
    };
    expect(refused(push(audit(1), { token: 'other-token' }))).toBe('signature');
    expect(refused(push(audit(1), { appId: 'tt9999999999999999' }))).toBe('app_id');
    expect(refused(push({ ...audit(1), TpAppId: 'tt9999999999999999' }))).toBe('app_id');
    expect(refused({ ...push(audit(1)), body: '{"Encrypt":"x"}' })).toBe('envelope');
    expect(refused({ ...push(audit(1)), method: 'GET' })).toBe('envelope');
  });
});

describe('parseEventTime', () => {
  it('reads China time strings, unix seconds and milliseconds', () => {
    expect(parseEventTime('2019-01-14 12:45:10', NOW)).toEqual(new Date('2019-01-14T04:45:10Z'));
    expect(parseEventTime(1714521600, NOW)).toEqual(new Date('2024-05-01T00:00:00Z'));
    expect(parseEventTime('1714521600000', NOW)).toEqual(new Date('2024-05-01T00:00:00Z'));
    expect(parseEventTime('not a time', NOW)).toBe(NOW);
  });
});

describe('Douyin push refusals: each names its reason and what was wrong', () => {
  const good = push(audit(1));
  const env = JSON.parse(good.body) as Record<string, string>;
  const withBody = (body: string): RawCallback => ({ ...good, body });
  /** A JSON envelope around `Encrypt`, signed with the token. */
  const signed = (Encrypt: string) =>
    withBody(JSON.stringify({ Nonce: 'n', TimeStamp: '1', Encrypt, MsgSignature: bytedanceSignature(secrets.token, '1', 'n', Encrypt) }));
  const sealed = (payload: string) => signed(encryptMessage(secrets.encodingAesKey, secrets.componentAppId, payload));
  const outcome = (r: RawCallback): string => {
    try {
      return `accepted by ${parseBytedanceCallback(r, secrets, NOW).host}`;
    } catch (err) {
      if (err instanceof CallbackRejectedError) return err.message;
      throw err;
    }
  };
  const BAD_ENVELOPE = 'BYTEDANCE push refused (envelope): body is not a {Nonce, TimeStamp, Encrypt, MsgSignature} envelope';
  const NOT_OBJECT = 'BYTEDANCE push refused (envelope): decrypted payload is not a JSON object';

  it.each([
    ['a push not POSTed', { ...good, method: 'GET' }, 'BYTEDANCE push refused (envelope): pushes are POSTed'],
    ['a body that is neither JSON nor XML', withBody('not json'), BAD_ENVELOPE],
    ['a JSON null body', withBody('null'), BAD_ENVELOPE],
    ['a JSON string body', withBody('"text"'), BAD_ENVELOPE],
    ['an envelope field that is an object', withBody(JSON.stringify({ ...env, Nonce: { n: 1 } })), BAD_ENVELOPE],
    ['an envelope without MsgSignature', withBody(JSON.stringify({ ...env, MsgSignature: undefined })), BAD_ENVELOPE],
    ['a signature made with another token', push(audit(1), { token: 'other-token' }), 'BYTEDANCE push refused (signature): MsgSignature does not match'],
    [
      'a signature of another length',
      withBody(JSON.stringify({ ...env, MsgSignature: 'abc' })),
      'BYTEDANCE push refused (signature): MsgSignature does not match',
    ],
    [
      'a signed ciphertext that does not decrypt',
      signed(Buffer.alloc(40, 1).toString('base64')),
      'BYTEDANCE push refused (decrypt): ciphertext cannot be decrypted',
    ],
    [
      'a ciphertext for another platform',
      push(audit(1), { appId: 'tt9999999999999999' }),
      'BYTEDANCE push refused (app_id): payload is addressed to another third-party app',
    ],
    ['a payload that is not JSON', sealed('just text'), NOT_OBJECT],
    ['a JSON null payload', sealed('null'), NOT_OBJECT],
    ['a JSON array payload', sealed('[{"Event":"UNAUTHORIZED"}]'), NOT_OBJECT],
    ['a JSON string payload', sealed('"text"'), NOT_OBJECT],
    [
      'a payload naming another TpAppId',
      push({ ...audit(1), TpAppId: 'tt9999999999999999' }),
      'BYTEDANCE push refused (app_id): TpAppId is another third-party app',
    ],
  ])('refuses %s', (_name, r, message) => {
    expect(outcome(r)).toBe(message);
  });

  it('accepts a POST in any case, a numeric TimeStamp, and the XML envelope after leading whitespace', () => {
    expect(outcome(good)).toBe('accepted by BYTEDANCE');
    expect(outcome({ ...good, method: 'post' })).toBe('accepted by BYTEDANCE');
    const Encrypt = encryptMessage(secrets.encodingAesKey, secrets.componentAppId, JSON.stringify(audit(1)));
    expect(
      outcome(
        withBody(JSON.stringify({ Nonce: 'n', TimeStamp: 1714521600, Encrypt, MsgSignature: bytedanceSignature(secrets.token, '1714521600', 'n', Encrypt) })),
      ),
    ).toBe('accepted by BYTEDANCE');
    expect(outcome({ ...push(audit(1), { xml: true }), body: `\n  ${push(audit(1), { xml: true }).body}` })).toBe('accepted by BYTEDANCE');
  });

  it('throws a configuration error, not a refusal, when the secrets are unusable', () => {
    expect(() => parseBytedanceCallback(good, { ...secrets, encodingAesKey: 'short' }, NOW)).toThrow(/^Douyin callback secrets unusable: .+/);
  });
});
