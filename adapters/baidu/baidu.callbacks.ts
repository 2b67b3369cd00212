import { createHash } from 'node:crypto';
import { CallbackRejectedError, type CallbackSecrets, type HostEvent, type ParsedCallback, type RawCallback } from '../core/index.js';
import { checkBaiduCallbackSecrets } from './baidu.credentials.js';
import { baiduSignature, BaiduCryptoError, decryptMessage, signatureMatches } from './baidu.crypto.js';
import { scalarText } from '../core/index.js';

type Message = Record<string, unknown>;

const reject = (reason: CallbackRejectedError['reason'], detail: string) => new CallbackRejectedError('BAIDU', reason, detail);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function parseObject(text: string): Message | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Message) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies and decrypts a push to either receiver URL (alipay-baidu-bytedance.md B4): tickets and
 * authorization changes (授权事件接收URL), package audit results (消息与事件接收URL). Both use the
 * JSON envelope {Nonce, TimeStamp, Encrypt, MsgSignature}; the ciphertext ends with our TP app id.
 */
export function parseBaiduCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
  const problems = checkBaiduCallbackSecrets(secrets);
  if (problems.length > 0) throw new Error(`Baidu callback secrets unusable: ${problems.join('; ')}`);
  const { tpAppId, token, encodingAesKey } = secrets;

  if (raw.method.toUpperCase() !== 'POST') throw reject('envelope', 'pushes are POSTed');
  const env = parseObject(raw.body);
  const [nonce, timeStamp, encrypt, signature] = ['Nonce', 'TimeStamp', 'Encrypt', 'MsgSignature'].map((k) => str(env?.[k]));
  if (!env || !encrypt) throw reject('envelope', 'body is not a JSON envelope with Encrypt');
  if (!nonce || !timeStamp || !signature) throw reject('signature', 'Nonce, TimeStamp and MsgSignature are required');
  if (!signatureMatches(baiduSignature(token, timeStamp, nonce, encrypt), signature)) throw reject('signature', 'MsgSignature does not match');

  let plain: { message: string; appId: string };
  try {
    plain = decryptMessage(encodingAesKey, encrypt);
  } catch (err) {
    if (err instanceof BaiduCryptoError) throw reject('decrypt', err.message);
    throw err;
  }
  if (plain.appId !== tpAppId) throw reject('app_id', 'payload is addressed to another platform');
  const msg = parseObject(plain.message);
  if (!msg) throw reject('envelope', 'decrypted payload is not a JSON object');
  // Audit and authorization events also name the TP in clear (B1 §10, B4); both must agree.
  const named = str(msg.tpAppId);
  if (named !== null && named !== tpAppId) throw reject('app_id', 'tpAppId in the payload is another platform');

  return {
    host: 'BAIDU',
    dedupeKey: `baidu:${createHash('sha256').update(plain.message).digest('hex')}`,
    events: [eventOf(msg)],
    payload: redact(msg),
    reply: { status: 200, contentType: 'text/plain', body: 'success' },
  };
}

const CHINA_OFFSET_MS = 8 * 3600_000;

// eventTime is "yyyy-MM-dd HH:mm:ss" in China time; the ticket's CreateTime is unix seconds (B1, B4).
function timeOf(msg: Message): Date {
  const seconds = Number(msg.CreateTime);
  if (Number.isFinite(seconds) && seconds > 0) return new Date(seconds * 1000);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(scalarText(msg.eventTime));
  if (!m) return new Date(0);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - CHINA_OFFSET_MS);
}

function eventOf(msg: Message): HostEvent {
  const at = timeOf(msg);
  if (scalarText(msg.MsgType).toLowerCase() === 'ticket') return { type: 'TICKET', ticket: str(msg.Ticket) ?? '', at };
  const hostAppId = str(msg.appId) ?? '';
  const event = str(msg.event) ?? str(msg.Event) ?? 'unknown';
  const ids: Record<string, string> = {};
  if (str(msg.packageId)) ids.packageId = str(msg.packageId)!;
  switch (event) {
    case 'PACKAGE_AUDIT_PASS':
      return { type: 'REVIEW_APPROVED', hostAppId, version: str(msg.packageVersion), reason: null, screenshots: [], ids, at };
    case 'PACKAGE_AUDIT_FAIL':
      return { type: 'REVIEW_REJECTED', hostAppId, version: str(msg.packageVersion), reason: str(msg.reason), screenshots: [], ids, at };
    case 'AUTHORIZED':
    case 'UPDATE_AUTHORIZED':
      return { type: event === 'AUTHORIZED' ? 'AUTHORIZED' : 'AUTHORIZATION_UPDATED', hostAppId, authorizationCode: str(msg.authorizationCode), at };
    case 'UNAUTHORIZED':
      return { type: 'UNAUTHORIZED', hostAppId, at };
    default:
      break;
  }
  // third/info.md 基本信息审核通知: APP_{NAME,ICON,DESC,CATEGORY}_AUDIT_{PASS,FAIL}, reason on failure.
  const basic = /^APP_(NAME|ICON|DESC|CATEGORY)_AUDIT_(PASS|FAIL)$/.exec(event);
  if (basic) {
    const field = ({ NAME: 'name', ICON: 'icon', DESC: 'description', CATEGORY: 'category' } as const)[basic[1] as 'NAME' | 'ICON' | 'DESC' | 'CATEGORY'];
    const approved = basic[2] === 'PASS';
    return {
      type: approved ? 'BASIC_INFO_APPROVED' : 'BASIC_INFO_REJECTED',
      hostAppId,
      field,
      value: null,
      reason: approved ? null : str(msg.reason),
      ids,
      at,
    };
  }
  return { type: 'OTHER', nativeType: event, hostAppId: hostAppId || null, at };
}

// The ticket and the authorization code are credentials: kept in the event, never in the evidence.
function redact(msg: Message): Message {
  const out = { ...msg };
  for (const k of ['Ticket', 'authorizationCode']) if (k in out) out[k] = '[redacted]';
  return out;
}
