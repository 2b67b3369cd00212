import { createHash } from 'node:crypto';
import { CallbackRejectedError, type CallbackSecrets, type HostEvent, type ParsedCallback, type RawCallback } from '../core/index.js';
import { checkAlipayCallbackSecrets } from './alipay.credentials.js';
import { verifyNotifySign, type AlipayParams } from './alipay.signature.js';

// A4.1 message methods.
export const MSG_AUDIT_PASSED = 'alipay.open.mini.version.audit.passed';
export const MSG_AUDIT_REJECTED = 'alipay.open.mini.version.audit.rejected';
export const MSG_AUTH_CANCELLED = 'alipay.open.auth.appauth.cancelled';
export const NOTIFY_APP_AUTH = 'open_app_auth_notify';
// A4.1: the plain reply that stops retries (msgapi: UNCONFIRMED, standard for Alipay notifies).
const REPLY = { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' };
// Tokens ride in some biz_contents (appauth.cancelled, open_app_auth_notify): never kept as evidence.
const SECRET_KEYS = /token|secret|private/i;

/** Form fields of the push; values are decoded once, as A4.2 verifies them. */
export function pushParams(raw: RawCallback): AlipayParams {
  const source = raw.body.trim() !== '' ? raw.body : new URLSearchParams(raw.query).toString();
  return Object.fromEntries(new URLSearchParams(source));
}

function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redacted(v)]));
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function eventsOf(kind: string, biz: Record<string, unknown>, at: Date): HostEvent[] {
  if (kind === MSG_AUDIT_PASSED || kind === MSG_AUDIT_REJECTED) {
    const hostAppId = str(biz.mini_app_id);
    if (!hostAppId) throw new CallbackRejectedError('ALIPAY', 'envelope', `${kind} without mini_app_id`);
    // A4.1: extra rejection fields (base_audit_record.audit_images ...) are UNCONFIRMED; read them when present.
    const records = [biz.base_audit_record, biz.promote_audit_record].filter((r): r is { audit_images?: unknown } => typeof r === 'object' && r !== null);
    const screenshots = records.flatMap((r) => (Array.isArray(r.audit_images) ? r.audit_images.filter((x): x is string => typeof x === 'string') : []));
    const ids: Record<string, string> = {};
    if (str(biz.bundle_id)) ids.bundleId = str(biz.bundle_id)!;
    return [
      {
        type: kind === MSG_AUDIT_PASSED ? 'REVIEW_APPROVED' : 'REVIEW_REJECTED',
        hostAppId,
        version: str(biz.mini_app_version),
        reason: kind === MSG_AUDIT_REJECTED ? (str(biz.audit_reason) ?? str(biz.base_audit_reason) ?? str(biz.promote_audit_reason)) : null,
        screenshots,
        ids,
        at,
      },
    ];
  }
  if (kind === MSG_AUTH_CANCELLED) {
    const hostAppId = str(biz.auth_app_id);
    if (!hostAppId) throw new CallbackRejectedError('ALIPAY', 'envelope', `${kind} without auth_app_id`);
    return [{ type: 'UNAUTHORIZED', hostAppId, at }];
  }
  if (kind === NOTIFY_APP_AUTH) {
    const detail = (biz.detail ?? {}) as Record<string, unknown>;
    const hostAppId = str(detail.auth_app_id);
    if (hostAppId) return [{ type: 'AUTHORIZED', hostAppId, authorizationCode: str(detail.app_auth_code), at }];
  }
  return [{ type: 'OTHER', nativeType: kind, hostAppId: str(biz.mini_app_id) ?? str(biz.auth_app_id), at }];
}

/** Verifies (A4.2) and normalizes one form-posted msgapi push or notify (A4.1). */
export function parseAlipayCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
  const problems = checkAlipayCallbackSecrets(secrets);
  if (problems.length > 0) throw new Error(`Alipay callback secrets: ${problems.join('; ')}`);
  const params = pushParams(raw);
  if (!params.sign) throw new CallbackRejectedError('ALIPAY', 'signature', 'push has no sign');
  if (!verifyNotifySign(params, secrets.alipayPublicKey))
    throw new CallbackRejectedError('ALIPAY', 'signature', 'sign does not verify with the Alipay public key');
  if (params.app_id !== secrets.appId) throw new CallbackRejectedError('ALIPAY', 'app_id', 'push is addressed to another app');

  // A4.1: message-service pushes carry msg_method, classic notifies notify_type.
  const kind = params.msg_method || params.notify_type;
  if (!kind) throw new CallbackRejectedError('ALIPAY', 'envelope', 'push has neither msg_method nor notify_type');
  let biz: Record<string, unknown> = {};
  if (params.biz_content) {
    try {
      biz = JSON.parse(params.biz_content) as Record<string, unknown>;
    } catch {
      throw new CallbackRejectedError('ALIPAY', 'envelope', 'biz_content is not JSON');
    }
  }
  const ms = Number(params.utc_timestamp);
  const at = Number.isFinite(ms) && ms > 0 ? new Date(ms) : params.notify_time ? new Date(`${params.notify_time.replace(' ', 'T')}+08:00`) : new Date();
  // A4.1: retries keep the same notify_id.
  const dedupeKey = params.notify_id ? `alipay:${params.notify_id}` : `alipay:sha256:${createHash('sha256').update(raw.body).digest('hex')}`;
  const { sign: _sign, ...rest } = params;
  return {
    host: 'ALIPAY',
    dedupeKey,
    events: eventsOf(kind, biz, at),
    payload: redacted({ ...rest, biz_content: biz }),
    reply: { ...REPLY },
  };
}
