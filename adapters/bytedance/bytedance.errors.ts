import { HostError, HttpNetworkError, HttpTimeoutError, unexpectedAnswer, type HostErrorKind } from '../core/index.js';

interface CodeRule {
  kind: HostErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
  meaning: string;
}

const rule = (kind: HostErrorKind, retryable: boolean, meaning: string, retryAfterMs?: number): CodeRule => ({ kind, retryable, meaning, retryAfterMs });

// Every code of alipay-baidu-bytedance.md C1 (token calls) and C3 (lifecycle calls).
export const BYTEDANCE_ERROR_TABLE: Readonly<Record<string, CodeRule>> = {
  '40001': rule('invalid', false, 'parameter error'),
  '40002': rule('invalid', false, 'missing parameter'),
  '40003': rule('auth', false, 'third-party app not found'),
  '40004': rule('auth', false, 'authorized app not found'),
  // Token codes: the client refreshes and retries once, so reaching the caller means the new token failed too.
  '40009': rule('auth', true, 'component token expired'),
  '40010': rule('auth', false, 'component token wrong'),
  '40020': rule('auth', true, 'authorizer access token wrong or expired'),
  '28001008': rule('auth', true, 'access token expired'),
  '40021': rule('auth', false, 'refresh token wrong or expired: the merchant must authorize again'),
  '40029': rule('invalid', false, 'template id not found'),
  '40036': rule('auth', false, 'permission not granted by the app'),
  '40037': rule('auth', true, 'invalid ticket: the next pushed ticket fixes it'),
  '40038': rule('auth', false, 'invalid component secret'),
  '40040': rule('invalid', false, 'bad grant_type'),
  '40045': rule('unavailable', true, 'token generation failed', 5_000),
  '28001018': rule('auth', false, 'capability or permission not granted'),
  '10003': rule('auth', false, 'no permission'),
  '10100': rule('invalid', false, 'AppID error'),
  '10104': rule('rejected', false, 'subject banned'),
  '10105': rule('conflict', true, 'subject information under review'),
  '10106': rule('rejected', false, 'subject information rejected'),
  '10107': rule('rejected', false, 'app banned'),
  '10108': rule('rejected', false, "the platform's bound development app cannot be audited or released"),
  '10109': rule('rejected', false, 'name reset after long inactivity: rename first'),
  '11300': rule('unavailable', true, 'audit submit failed', 10_000),
  '11301': rule('rate_limited', true, 'audit submitted too often', 10_000),
  '11302': rule('conflict', false, 'no test version (or no failed version to resubmit)'),
  '11303': rule('conflict', false, 'a version is already under audit'),
  '11305': rule('rejected', false, 'subject certification incomplete'),
  '11400': rule('unavailable', true, 'release failed', 10_000),
  '11401': rule('conflict', false, 'recently taken down: audit again first'),
  '11402': rule('conflict', false, 'no audit version to release'),
  '11403': rule('conflict', false, 'the version is still under audit'),
  '11500': rule('unavailable', true, 'rollback failed', 10_000),
  '11501': rule('rate_limited', true, 'rollback too frequent', 10 * 60_000),
  '11600': rule('unavailable', true, 'revoke failed', 10_000),
  '11601': rule('conflict', false, 'audit already revoked'),
  '11602': rule('conflict', false, 'audit is being processed and cannot be revoked'),
  '11603': rule('conflict', false, 'audit already finished'),
};

// C3: on rollback 10003 means "record not found" (nothing to roll back to), not a permission problem.
const OPERATION_OVERRIDES: Readonly<Record<string, Readonly<Record<string, CodeRule>>>> = {
  rollback: { '10003': rule('conflict', false, 'no earlier version to roll back to') },
};

// Unknown codes: not retried blindly; the native code and message stay in the error as evidence.
const UNKNOWN: CodeRule = rule('invalid', false, 'unknown code');

export function bytedanceRuleFor(code: number | string, operation?: string): CodeRule {
  const key = String(code);
  return (operation ? OPERATION_OVERRIDES[operation]?.[key] : undefined) ?? BYTEDANCE_ERROR_TABLE[key] ?? UNKNOWN;
}

/** An envelope with `err_no != 0`; `log_id` becomes the request id. */
export function errorFromErrNo(errNo: number, errMsg: string, logId: string | null, operation: string): HostError {
  const r = bytedanceRuleFor(errNo, operation);
  return new HostError({
    host: 'BYTEDANCE',
    kind: r.kind,
    retryable: r.retryable,
    retryAfterMs: r.retryAfterMs ?? null,
    nativeCode: String(errNo),
    nativeMessage: errMsg,
    requestId: logId,
    operation,
  });
}

export function errorFromHttpStatus(status: number, body: string, logId: string | null, operation: string): HostError {
  const server = status >= 500;
  return new HostError({
    host: 'BYTEDANCE',
    kind: server ? 'unavailable' : status === 429 ? 'rate_limited' : status === 401 || status === 403 ? 'auth' : 'invalid',
    retryable: server || status === 429,
    retryAfterMs: server || status === 429 ? 5_000 : null,
    nativeCode: `HTTP ${status}`,
    nativeMessage: body.slice(0, 200),
    requestId: logId,
    operation,
  });
}

/** Timeouts and network failures: the host did not answer, so the call may be tried again. */
export function errorFromTransport(err: unknown, operation: string): HostError {
  // The core transport may report an AbortSignal timeout as a network error; read its message too.
  const timeout = err instanceof HttpTimeoutError || (err instanceof HttpNetworkError && /aborted due to timeout/i.test(err.message));
  if (!timeout && !(err instanceof HttpNetworkError)) throw err;
  return new HostError({
    host: 'BYTEDANCE',
    kind: 'unavailable',
    retryable: true,
    retryAfterMs: 5_000,
    nativeCode: timeout ? 'TIMEOUT' : 'NETWORK',
    nativeMessage: (err as Error).message,
    operation,
  });
}

/** Codes after which the client refreshes the token and retries the call once (C1, C3). */
export const TOKEN_INVALID_CODES: ReadonlySet<string> = new Set(['28001008', '40020', '40009']);

/** An answer in neither documented envelope (not JSON, HTML from a proxy, fields missing): never retried, the text kept. */
export function malformedAnswer(detail: string, operation: string, raw: string | null, logId: string | null = null): HostError {
  return unexpectedAnswer({ host: 'BYTEDANCE', operation, detail, raw, requestId: logId });
}
