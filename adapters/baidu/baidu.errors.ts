import { HostError, HttpNetworkError, HttpTimeoutError, unexpectedAnswer, type HostErrorKind } from '../core/index.js';

interface CodeRule {
  kind: HostErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
}

const auth: CodeRule = { kind: 'auth', retryable: false };
const invalid: CodeRule = { kind: 'invalid', retryable: false };
const conflict: CodeRule = { kind: 'conflict', retryable: false };
const quota: CodeRule = { kind: 'quota', retryable: true };
const unavailable: CodeRule = { kind: 'unavailable', retryable: true, retryAfterMs: 5_000 };

/**
 * Codes of the package APIs. The official Java SDK's SmartAppErrorCode enum (baidu/smartapp-openapi-java
 * src/main/java/com/baidu/mapp/common/enums/SmartAppErrorCode.java) names 69001-69013 for packages,
 * 69013 being the audit quota; it has no "wrong state" code, so wrongState and noApprovedPackage stay
 * our readings of B3's info.md codes (assumptions in the profile; the sandbox keeps its own copy).
 */
export const BAIDU_PACKAGE_CODES = {
  /** Another package is under audit, or the package is not in a state for this step (B3 40045 "wrong app state", assumed). */
  wrongState: 40045,
  /** No audit-passed package to release, or no previous online package to roll back to (B3 40032, assumed). */
  noApprovedPackage: 40032,
  /** SUBMIT_PACKAGE_OVER_LIMIT_ERROR (69013, 送审额度已超出当前周期限制) in the Java SDK enum. */
  auditQuotaExhausted: 69013,
} as const;

/**
 * Business errno -> kind (B3). Codes 1, 2, 4, 6, 17, 18, 110, 111 are Baidu open-API common codes,
 * not in shared/hosts (UNCONFIRMED for the smart-program TP APIs).
 */
export const BAIDU_ERRNO_TABLE: Readonly<Record<string, CodeRule>> = {
  '1': unavailable, // unknown error
  '2': unavailable, // service temporarily unavailable
  '4': { kind: 'quota', retryable: true }, // open api request limit reached
  '17': { kind: 'quota', retryable: true }, // daily request limit reached
  '18': { kind: 'rate_limited', retryable: true, retryAfterMs: 1_000 }, // qps limit reached
  '6': auth, // no permission to access data
  // Access token invalid / expired: the client refreshes once, so reaching the caller means the fresh token failed too.
  '110': { kind: 'auth', retryable: true },
  '111': { kind: 'auth', retryable: true },
  '40001': invalid, // request params illegal
  '50032': auth, // no authorisation relation
  '30007': auth, // no permission
  '47005': quota, // icon change limit
  '47006': quota, // description change limit
  '47007': quota, // category change limit
  [String(BAIDU_PACKAGE_CODES.auditQuotaExhausted)]: quota,
  // Package codes of the official Java SDK enum (SmartAppErrorCode 69001-69013, 50029, 50031).
  '69001': conflict, // the app name must pass its audit before the package can be submitted
  '69002': conflict, // the service category must pass its audit first
  '69003': conflict, // name and category must pass their audits first
  '69004': invalid, // ext_json holds characters the host cannot parse
  '69005': invalid, // package does not exist
  '69006': invalid, // too many source templates
  '69007': invalid, // target template is offline
  '69008': invalid, // source template does not exist
  '69009': unavailable, // package upload service temporarily unavailable
  '69010': invalid, // template file could not be parsed
  '69011': unavailable, // audit service temporarily unavailable
  '69012': unavailable, // release service temporarily unavailable
  '50029': { kind: 'quota', retryable: true }, // call count limit exceeded
  '50031': { kind: 'conflict', retryable: true, retryAfterMs: 3_000 }, // processing, retry later
  '47009': auth, // user not logged in (Java SDK enum USER_NOT_LOGIN)
  '40032': conflict, // no online / approved package
  '40045': conflict, // wrong app state
  '47008': invalid, // illegal image source
  '50060': invalid, // more than 5 categories
  '50061': invalid,
  '50062': invalid,
  '50063': invalid, // category / qualification errors
  '40028': { kind: 'rejected', retryable: false }, // no subject info: the host will not take this app's steps
};

/** Access-token codes after which the client refreshes the app token and retries once. */
export const TOKEN_INVALID_ERRNOS: ReadonlySet<string> = new Set(['110', '111']);

/**
 * OAuth-style errors (`{error, error_description}`, B0/B3) are all auth problems. `expired_token`
 * at /rest/2.0/oauth/token means the TP token was refused: the client renews it and retries once.
 */
export const OAUTH_TOKEN_INVALID: ReadonlySet<string> = new Set(['expired_token', 'invalid_token']);

const UNKNOWN: CodeRule = invalid;

export function baiduRuleFor(errno: number | string): CodeRule {
  return BAIDU_ERRNO_TABLE[String(errno)] ?? UNKNOWN;
}

export function errorFromErrno(errno: number | string, msg: string, operation: string, requestId: string | null = null): HostError {
  const rule = baiduRuleFor(errno);
  return new HostError({
    host: 'BAIDU',
    kind: rule.kind,
    retryable: rule.retryable,
    retryAfterMs: rule.retryAfterMs ?? null,
    nativeCode: String(errno),
    nativeMessage: msg,
    requestId,
    operation,
  });
}

export function errorFromOAuth(error: string, description: string, operation: string, requestId: string | null = null): HostError {
  const retryable = OAUTH_TOKEN_INVALID.has(error) || error === 'slow_down';
  return new HostError({
    host: 'BAIDU',
    kind: error === 'slow_down' ? 'rate_limited' : 'auth',
    retryable,
    nativeCode: error,
    nativeMessage: description,
    requestId,
    operation,
  });
}

export function errorFromHttpStatus(status: number, body: string, operation: string): HostError {
  const server = status >= 500;
  return new HostError({
    host: 'BAIDU',
    kind: server ? 'unavailable' : status === 429 ? 'rate_limited' : status === 401 || status === 403 ? 'auth' : 'invalid',
    retryable: server || status === 429,
    retryAfterMs: server ? 5_000 : null,
    nativeCode: `HTTP ${status}`,
    nativeMessage: body.slice(0, 200),
    operation,
  });
}

/** Timeouts and network failures: the host did not answer, so the call may be tried again. */
export function errorFromTransport(err: unknown, operation: string): HostError {
  const timeout = err instanceof HttpTimeoutError;
  if (!timeout && !(err instanceof HttpNetworkError)) throw err;
  return new HostError({
    host: 'BAIDU',
    kind: 'unavailable',
    retryable: true,
    retryAfterMs: 5_000,
    nativeCode: timeout ? 'TIMEOUT' : 'NETWORK',
    nativeMessage: (err as Error).message,
    operation,
  });
}

/**
 * The OpenAPI gateway's `{error_code, error_msg}` (smartapp-openapi-go: OpenAPIError, checked before
 * errno). Its codes are Baidu's open-API codes, read with the errno table: 110/111 are access-token
 * errors the client renews on, 4/17/18 limits, 1/2 outages.
 */
export function errorFromOpenApi(code: string, msg: string, operation: string, requestId: string | null = null): HostError {
  return errorFromErrno(code, msg, operation, requestId);
}

/** A reply in none of the documented envelopes (not JSON, HTML, fields missing): never retried, the text kept. */
export function malformedAnswer(detail: string, operation: string, raw: string | null = null, requestId: string | null = null): HostError {
  return unexpectedAnswer({ host: 'BAIDU', operation, detail, raw, requestId });
}
