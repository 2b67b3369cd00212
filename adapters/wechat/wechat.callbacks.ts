import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { CallbackRejectedError, type CallbackSecrets, type HostEvent, type ParsedCallback, type RawCallback } from '../core/index.js';
import { checkWechatCallbackSecrets } from './wechat.credentials.js';
import { decryptFor, wechatSignature, WechatCryptoError } from './wechat.crypto.js';

// Values stay strings (CreateTime, ids); CDATA is read as text.
const xml = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: false, ignoreDeclaration: true });

type Fields = Record<string, string>;

function parseXml(body: string): Fields | null {
  try {
    const doc = xml.parse(body) as { xml?: unknown };
    if (typeof doc.xml !== 'object' || doc.xml === null) return null;
    const out: Fields = {};
    for (const [k, v] of Object.entries(doc.xml as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return null;
  }
}

const reject = (reason: CallbackRejectedError['reason'], detail: string) => new CallbackRejectedError('WECHAT', reason, detail);

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies and decrypts a push to either receiver URL (wechat.md §5): the auth-event URL
 * (`<AppId>` envelope: tickets, authorization changes) and the message URL (`<ToUserName>`
 * envelope: audit results). Only `msg_signature` is trusted, never the plain `signature`.
 */
export function parseWechatCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
  const problems = checkWechatCallbackSecrets(secrets);
  if (problems.length > 0) throw new Error(`WeChat callback secrets unusable: ${problems.join('; ')}`);
  const { componentAppId, token, encodingAesKey } = secrets;

  if (raw.method.toUpperCase() !== 'POST') throw reject('envelope', 'pushes are POSTed');
  if (raw.query.encrypt_type !== undefined && raw.query.encrypt_type !== 'aes') throw reject('envelope', 'only safe (aes) mode is accepted');
  const envelope = parseXml(raw.body);
  if (!envelope || !envelope.Encrypt) throw reject('envelope', 'body is not an <xml> envelope with <Encrypt>');
  if (!envelope.AppId && !envelope.ToUserName) throw reject('envelope', 'envelope has neither <AppId> nor <ToUserName>');

  const { msg_signature: msgSignature, timestamp, nonce } = raw.query;
  if (!msgSignature || !timestamp || !nonce) throw reject('signature', 'msg_signature, timestamp and nonce are required');
  if (!sameHex(wechatSignature(token, timestamp, nonce, envelope.Encrypt), msgSignature)) throw reject('signature', 'msg_signature does not match');
  // §5.1: the auth-event envelope names the component appid in clear, the ciphertext ends with it for both URLs.
  if (envelope.AppId && envelope.AppId !== componentAppId) throw reject('app_id', 'envelope AppId is another platform');

  let plain: string;
  try {
    plain = decryptFor(encodingAesKey, componentAppId, envelope.Encrypt);
  } catch (err) {
    if (err instanceof WechatCryptoError) throw reject(err.reason === 'app_id' ? 'app_id' : 'decrypt', err.message);
    throw err;
  }
  const fields = parseXml(plain);
  if (!fields) throw reject('envelope', 'decrypted payload is not XML');

  return {
    host: 'WECHAT',
    dedupeKey: dedupeKeyOf(fields),
    events: [eventOf(fields, authorizerAppIdFrom(raw))],
    payload: redact(fields),
    reply: { status: 200, contentType: 'text/plain', body: 'success' },
  };
}

function at(fields: Fields): Date {
  const seconds = Number(fields.CreateTime);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(0);
}

const WX_APP_ID = /^wx[0-9a-zA-Z]{16}$/;

// §5: the message URL may contain $APPID$, which WeChat replaces with the authorizer appid; when the
// gateway configures it (path segment or `appid` query), review events can name the app, not only its gh_ id.
function authorizerAppIdFrom(raw: RawCallback): string | null {
  if (raw.query.appid && WX_APP_ID.test(raw.query.appid)) return raw.query.appid;
  return raw.path.split('/').find((seg) => WX_APP_ID.test(seg)) ?? null;
}

function eventOf(f: Fields, urlAppId: string | null): HostEvent {
  const when = at(f);
  switch (f.InfoType) {
    case 'component_verify_ticket':
      return { type: 'TICKET', ticket: f.ComponentVerifyTicket ?? '', at: when };
    case 'authorized':
    case 'updateauthorized':
      return {
        type: f.InfoType === 'authorized' ? 'AUTHORIZED' : 'AUTHORIZATION_UPDATED',
        hostAppId: f.AuthorizerAppid ?? '',
        authorizationCode: f.AuthorizationCode || null,
        at: when,
      };
    case 'unauthorized':
      return { type: 'UNAUTHORIZED', hostAppId: f.AuthorizerAppid ?? '', at: when };
    case undefined:
      break;
    default:
      return { type: 'OTHER', nativeType: f.InfoType, hostAppId: f.AuthorizerAppid ?? null, at: when };
  }
  // Audit results carry the mini program's gh_ id only (wechat.md §5.2); the URL may add the appid.
  const review = { hostAppId: urlAppId ?? f.ToUserName ?? '', version: null, ids: { ghId: f.ToUserName ?? '' }, at: when };
  switch (f.Event) {
    case 'weapp_audit_success':
      return { type: 'REVIEW_APPROVED', ...review, reason: null, screenshots: [], ids: { ...review.ids, succTime: f.SuccTime ?? '' } };
    case 'weapp_audit_fail':
      return {
        type: 'REVIEW_REJECTED',
        ...review,
        reason: f.Reason ?? null,
        screenshots: (f.ScreenShot ?? '').split('|').filter((s) => s !== ''),
        ids: { ...review.ids, failTime: f.FailTime ?? '' },
      };
    case 'weapp_audit_delay':
      return { type: 'REVIEW_DELAYED', ...review, reason: f.Reason ?? null, screenshots: [], ids: { ...review.ids, delayTime: f.DelayTime ?? '' } };
    // §5.2: name and category reviews, ret 3 approved, 2 rejected.
    case 'wxa_nickname_audit':
    case 'wxa_category_audit': {
      const approved = f.ret === '3';
      if (!approved && f.ret !== '2') break;
      const name = f.Event === 'wxa_nickname_audit';
      return {
        type: approved ? 'BASIC_INFO_APPROVED' : 'BASIC_INFO_REJECTED',
        hostAppId: review.hostAppId,
        field: name ? 'name' : 'category',
        value: name ? (f.nickname ?? null) : `${f.first ?? ''}:${f.second ?? ''}`,
        reason: approved ? null : (f.reason ?? null),
        ids: review.ids,
        at: when,
      };
    }
    default:
      break;
  }
  return { type: 'OTHER', nativeType: f.Event ?? f.MsgType ?? 'unknown', hostAppId: f.ToUserName ?? null, at: when };
}

// The same push delivered twice decrypts to the same fields; a re-encryption changes only the ciphertext.
function dedupeKeyOf(f: Fields): string {
  const parts = [
    f.ToUserName ?? f.AppId ?? '',
    f.CreateTime ?? '',
    f.Event ?? f.InfoType ?? f.MsgType ?? '',
    f.AuthorizerAppid ?? f.MsgId ?? '',
    f.ComponentVerifyTicket ?? '',
    // Name/category reviews of one second differ by their value.
    f.nickname ?? (f.first !== undefined ? `${f.first}:${f.second ?? ''}` : ''),
    f.ret ?? '',
  ];
  return `wechat:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}

// The ticket and the authorization code are credentials: kept in the event, never in the evidence.
function redact(f: Fields): Fields {
  const out = { ...f };
  for (const k of ['ComponentVerifyTicket', 'AuthorizationCode', 'PreAuthCode']) if (k in out) out[k] = '[redacted]';
  return out;
}
