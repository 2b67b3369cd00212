import { createHash, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { CallbackRejectedError, type CallbackSecrets, type HostEvent, type ParsedCallback, type RawCallback } from '../core/index.js';
import { checkBytedanceCallbackSecrets } from './bytedance.credentials.js';
import { bytedanceSignature, BytedanceCryptoError, decryptMessage } from './bytedance.crypto.js';
import { normalizeAuditStatus } from './bytedance.rules.js';
import { scalarText } from '../core/index.js';

type Obj = Record<string, unknown>;
const ENVELOPE_FIELDS = ['Nonce', 'TimeStamp', 'Encrypt', 'MsgSignature'] as const;
const xml = new XMLParser({ parseTagValue: false, trimValues: true, processEntities: false, ignoreDeclaration: true });
const reject = (reason: CallbackRejectedError['reason'], detail: string) => new CallbackRejectedError('BYTEDANCE', reason, detail);

/** C4: JSON `{Nonce, TimeStamp, Encrypt, MsgSignature}`; the SDK also takes the same fields as XML. */
function readEnvelope(body: string): Record<(typeof ENVELOPE_FIELDS)[number], string> | null {
  let doc: unknown;
  try {
    doc = body.trimStart().startsWith('<') ? (xml.parse(body) as Obj).xml : JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null) return null;
  const d = doc as Obj;
  const out: Partial<Record<(typeof ENVELOPE_FIELDS)[number], string>> = {};
  for (const f of ENVELOPE_FIELDS) {
    const v = d[f];
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    out[f] = String(v);
  }
  return out as Record<(typeof ENVELOPE_FIELDS)[number], string>;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

// Event times are "yyyy-MM-dd HH:mm:ss" in the samples (DY-blog, DY-skit), read as China time (UTC+8, assumed).
export function parseEventTime(v: unknown, fallback: Date): Date {
  if (typeof v === 'number') return new Date(v > 1e12 ? v : v * 1000);
  if (typeof v !== 'string') return fallback;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v.trim());
  if (m) return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  if (/^\d+$/.test(v)) return parseEventTime(Number(v), fallback);
  const parsed = Date.parse(v);
  return Number.isNaN(parsed) ? fallback : new Date(parsed);
}

const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim());

function auditEvents(msg: Obj, at: Date): HostEvent[] {
  const appId = scalarText(msg.AppId);
  const results = Array.isArray(msg.AuditResults) ? (msg.AuditResults as unknown[]) : [];
  return results.map((r): HostEvent => {
    const res = (typeof r === 'object' && r !== null ? r : {}) as Obj;
    const hostName = scalarText(res.hostName);
    // C4 UNCONFIRMED: AuditResults[].status read with the versions API meaning (1 passed, 2 rejected).
    const mapped = typeof res.status === 'number' ? normalizeAuditStatus(res.status) : null;
    const details = (Array.isArray(res.auditDetail) ? res.auditDetail : []) as Obj[];
    if (mapped?.status === 'APPROVED')
      return { type: 'REVIEW_APPROVED', hostAppId: appId, version: null, reason: null, screenshots: [], ids: { hostName }, at };
    if (mapped?.status === 'REJECTED') {
      const reasons = [...strings(res.reason), ...details.flatMap((d) => strings(d?.reason))];
      const files = details.flatMap((d) => strings(d?.detailFile));
      return {
        type: 'REVIEW_REJECTED',
        hostAppId: appId,
        version: null,
        reason: [...new Set(reasons)].join('; ') || null,
        screenshots: [...new Set(files)],
        ids: { hostName },
        at,
      };
    }
    return { type: 'OTHER', nativeType: `PACKAGE_AUDIT status ${String(res.status)}`, hostAppId: appId || null, at };
  });
}

function eventsOf(msg: Obj, now: Date): HostEvent[] {
  // C1: tickets carry MsgType "Ticket" and a CreateTime; other events carry Event and EventTime.
  if (msg.MsgType === 'Ticket' && typeof msg.Ticket === 'string') return [{ type: 'TICKET', ticket: msg.Ticket, at: parseEventTime(msg.CreateTime, now) }];
  const at = parseEventTime(msg.EventTime, now);
  const appId = typeof msg.AppId === 'string' ? msg.AppId : '';
  switch (msg.Event) {
    case 'PACKAGE_AUDIT':
      return auditEvents(msg, at);
    case 'AUTHORIZED':
    case 'UPDATE_AUTHORIZED':
      return [
        {
          type: msg.Event === 'AUTHORIZED' ? 'AUTHORIZED' : 'AUTHORIZATION_UPDATED',
          hostAppId: appId,
          authorizationCode: typeof msg.AuthorizationCode === 'string' ? msg.AuthorizationCode : null,
          at,
        },
      ];
    case 'UNAUTHORIZED':
      return [{ type: 'UNAUTHORIZED', hostAppId: appId, at }];
    default:
      return [{ type: 'OTHER', nativeType: scalarText(msg.Event ?? msg.MsgType ?? 'unknown'), hostAppId: appId || null, at }];
  }
}

/**
 * Verifies (MsgSignature over token, TimeStamp, Nonce, Encrypt) and decrypts a Douyin push (C4), checks
 * it is addressed to our component app id, and maps it. The reply is exactly `success`.
 */
export function parseBytedanceCallback(raw: RawCallback, secrets: CallbackSecrets, now: Date = new Date()): ParsedCallback {
  const problems = checkBytedanceCallbackSecrets(secrets);
  if (problems.length > 0) throw new Error(`Douyin callback secrets unusable: ${problems.join('; ')}`);
  const { componentAppId, token, encodingAesKey } = secrets;
  if (raw.method.toUpperCase() !== 'POST') throw reject('envelope', 'pushes are POSTed');
  const env = readEnvelope(raw.body);
  if (!env) throw reject('envelope', 'body is not a {Nonce, TimeStamp, Encrypt, MsgSignature} envelope');
  if (!sameHex(bytedanceSignature(token, env.TimeStamp, env.Nonce, env.Encrypt), env.MsgSignature)) throw reject('signature', 'MsgSignature does not match');

  let decrypted: { message: string; appId: string };
  try {
    decrypted = decryptMessage(encodingAesKey, env.Encrypt);
  } catch (err) {
    if (err instanceof BytedanceCryptoError) throw reject('decrypt', err.message);
    throw err;
  }
  if (decrypted.appId !== componentAppId) throw reject('app_id', 'payload is addressed to another third-party app');
  let msg: Obj;
  try {
    const parsed: unknown = JSON.parse(decrypted.message);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    msg = parsed as Obj;
  } catch {
    throw reject('envelope', 'decrypted payload is not a JSON object');
  }
  if (typeof msg.TpAppId === 'string' && msg.TpAppId !== componentAppId) throw reject('app_id', 'TpAppId is another third-party app');

  return {
    host: 'BYTEDANCE',
    // The host re-encrypts a retried push (new Nonce), so the key comes from the decrypted content.
    dedupeKey: createHash('sha256').update(decrypted.message).digest('hex'),
    events: eventsOf(msg, now),
    payload: msg,
    reply: { status: 200, contentType: 'text/plain', body: 'success' },
  };
}
