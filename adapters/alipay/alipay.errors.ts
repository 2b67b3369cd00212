import { HostError, HttpNetworkError, HttpTimeoutError, unexpectedAnswer, type HostErrorKind } from '../core/index.js';

interface CodeRule {
  kind: HostErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
}

const invalid: CodeRule = { kind: 'invalid', retryable: false };
const conflict: CodeRule = { kind: 'conflict', retryable: false };
const auth: CodeRule = { kind: 'auth', retryable: false };
const rejected: CodeRule = { kind: 'rejected', retryable: false };
// A2.1: the build takes a while; poll every 3-5 s, so a "not built yet" refusal is worth a retry.
const notBuiltYet: CodeRule = { kind: 'conflict', retryable: true, retryAfterMs: 5_000 };

/** Top-level `code` -> rule, used when the sub_code has no rule of its own (shared/hosts A3). */
export const ALIPAY_CODE_RULES: Readonly<Record<string, CodeRule>> = {
  '20000': { kind: 'unavailable', retryable: true, retryAfterMs: 3_000 }, // isp/aop.unknow-error: retry
  '20001': auth, // app_auth_token invalid, expired or not authorised for this API
  '40001': invalid, // missing required arguments
  '40002': invalid, // invalid arguments, including isv.invalid-signature
  '40003': auth, // UNCONFIRMED: invalid-auth-relations, missing-signature-config (configuration)
  '40004': invalid, // business failure whose sub_code has no rule below
  '40006': auth, // insufficient ISV / user permissions
};

/** `sub_code` -> rule; every sub_code shared/hosts A3 names. */
export const ALIPAY_SUB_CODE_RULES: Readonly<Record<string, CodeRule>> = {
  'isv.app-api-punished': rejected, // 40006: the app is punished, not a missing grant
  'isv.invalid-signature': invalid,
  'isv.invalid-timestamp': invalid,
  VERSION_HAS_EXISTED: conflict,
  VERSION_EXCEEDED_LENGTH: invalid,
  APP_VERSION_IS_BLANK: notBuiltYet, // also "version not built yet" (FAQ); we always send app_version
  TEMPLATE_ID_IS_BLANK: invalid,
  TEMPLATE_MINIAPP_NOT_ALLOWED: auth, // the app_auth_token belongs to the template app
  APP_TYPE_ERROR: invalid,
  CODE_TEMPLATE_DELETED: invalid,
  CODE_TEMPLATE_NOT_SAFE: { kind: 'conflict', retryable: true, retryAfterMs: 60_000 }, // security scan still running
  INVALID_EXT_JSON: invalid,
  APP_INFO_NOT_EXIST: invalid,
  APPLICATION_TYPE_NOT_MINIAPP: invalid,
  MINI_APP_PACKAGE_INFO_NOT_EXIST: notBuiltYet,
  CAN_NOT_SUBMIT_WITH_AUDIT_GRAY: conflict,
  VERSION_DESC_IS_BLANK: invalid,
  APP_NAME_IS_BLANK: invalid,
  ENGLISH_NAME_IS_BLANK: invalid,
  INVALID_MINI_APP_NAME_LENGTH: invalid,
  INVALID_MINI_APP_NAME: invalid,
  MINI_VERSION_NAME_DUPLICATE: conflict,
  MINI_APP_NAME_SENSITIVE: rejected,
  MINI_APP_SLOGAN_SENSITIVE: rejected,
  MINI_APP_DESC_SENSITIVE: rejected,
  MINI_APP_EN_NAME_SENSITIVE: rejected,
  MINI_APP_MEMO_SENSITIVE: rejected,
  MINI_APP_SERVICE_MAIL_SENSITIVE: rejected,
  RISK_DECISION_CHECK_FAIL: rejected,
  INVALID_MINI_APP_SERVICE_TEL: invalid,
  SERVICE_TEL_AND_MAIL_BOTH_BLANK: invalid,
  REGION_TYPE_IS_BLANK: invalid,
  REGION_TYPE_IS_INVALID: invalid,
  CATEGORY_NUM_IS_INVALID: invalid,
  INVALID_CATEGORY: invalid,
  INVALID_LOGO: invalid,
  INVALID_LOGO_EXT: invalid,
  INVALID_LICENSE_PIC_EXT: invalid,
  GRAY_STRATEGY_IS_BLANK: invalid,
  GRAY_STRATEGY_IS_INVALID: invalid,
};

// A3: a base-info change still under review comes back as unknown-sub-code with this marker.
const INFO_UNDER_REVIEW: CodeRule = { kind: 'conflict', retryable: true, retryAfterMs: 10 * 60_000 };
const UNKNOWN: CodeRule = { kind: 'invalid', retryable: false };

export interface AlipayFailure {
  code: string;
  msg: string;
  subCode: string | null;
  subMsg: string | null;
}

// isv.invalid-signature quotes the gateway's sign string in sub_msg (A1.4 NODE comment), which
// would carry the merchant's app_auth_token: keep it out of errors.
export function redact(message: string): string {
  return message.replace(/(app_auth_token|auth_token|sign)=[^&\s]*/g, '$1=[redacted]');
}

export function ruleFor(f: AlipayFailure): CodeRule {
  if (f.subCode === 'unknown-sub-code' && (f.subMsg ?? '').includes('MINI_APP_INFO_AUDIT_CONTAINS')) return INFO_UNDER_REVIEW;
  if (f.subCode && ALIPAY_SUB_CODE_RULES[f.subCode]) return ALIPAY_SUB_CODE_RULES[f.subCode];
  // Every aop.* sub_code under 20000 and 20001 follows its top-level code.
  return ALIPAY_CODE_RULES[f.code] ?? UNKNOWN;
}

/** A failed gateway answer (`code` other than 10000) as a HostError; nativeCode is `<code>/<sub_code>`. */
export function errorFromAlipay(f: AlipayFailure, operation: string, requestId: string | null): HostError {
  const rule = ruleFor(f);
  return new HostError({
    host: 'ALIPAY',
    kind: rule.kind,
    retryable: rule.retryable,
    retryAfterMs: rule.retryAfterMs ?? null,
    nativeCode: f.subCode ? `${f.code}/${f.subCode}` : f.code,
    nativeMessage: redact([f.msg, f.subMsg].filter((m) => m).join(': ')),
    requestId,
    operation,
  });
}

export function errorFromHttpStatus(status: number, operation: string, requestId: string | null): HostError {
  const retryable = status >= 500 || status === 429;
  return new HostError({
    host: 'ALIPAY',
    kind: status === 429 ? 'rate_limited' : retryable ? 'unavailable' : 'invalid',
    retryable,
    retryAfterMs: retryable ? 3_000 : null,
    nativeCode: `HTTP ${status}`,
    nativeMessage: `gateway answered HTTP ${status}`,
    requestId,
    operation,
  });
}

export function errorFromTransport(err: unknown, operation: string): HostError {
  if (err instanceof HttpTimeoutError || err instanceof HttpNetworkError) {
    return new HostError({
      host: 'ALIPAY',
      kind: 'unavailable',
      retryable: true,
      retryAfterMs: 3_000,
      nativeCode: null,
      nativeMessage: err.message,
      operation,
    });
  }
  return new HostError({
    host: 'ALIPAY',
    kind: 'unavailable',
    retryable: true,
    nativeCode: null,
    nativeMessage: err instanceof Error ? err.message : String(err),
    operation,
  });
}

/** An answer in neither node (not JSON, HTML from a proxy, no method node nor error_response): never retried, the text kept. */
export function badAnswer(message: string, operation: string, raw: string | null, requestId: string | null = null): HostError {
  return unexpectedAnswer({ host: 'ALIPAY', operation, detail: message, raw, requestId });
}

/** An answer whose signature does not verify: auth, not retried (the configured Alipay public key is wrong). */
export function unverifiedAnswer(message: string, operation: string, requestId: string | null): HostError {
  return new HostError({ host: 'ALIPAY', kind: 'auth', retryable: false, nativeCode: null, nativeMessage: message, requestId, operation });
}
