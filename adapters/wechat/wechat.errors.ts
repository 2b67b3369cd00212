import { HostError, HttpNetworkError, HttpTimeoutError, type HostErrorKind } from '../core/index.js';

interface CodeRule {
  kind: HostErrorKind;
  retryable: boolean;
  /** When to try again: a fixed delay, or the next daily/monthly reset (China time, wechat.md §4). */
  after?: number | 'nextDay' | 'nextMonth';
}

const auth = (retryable = false): CodeRule => ({ kind: 'auth', retryable });
const invalid: CodeRule = { kind: 'invalid', retryable: false };
const conflict: CodeRule = { kind: 'conflict', retryable: false };
const rejected: CodeRule = { kind: 'rejected', retryable: false };
const unavailable: CodeRule = { kind: 'unavailable', retryable: true, after: 5_000 };

// Every code wechat.md §1.4, §2, §2.1 and §3 lists for the token and lifecycle calls.
export const WECHAT_ERROR_TABLE: Readonly<Record<string, CodeRule>> = {
  '-1': unavailable, // system busy, retry later
  '89401': unavailable, // speed-up: system unstable
  // Tokens: the client refreshes once on these, so reaching the caller means the new token failed too.
  '40001': auth(true),
  '40014': auth(true),
  '42001': auth(true),
  '41001': auth(true),
  '40013': auth(),
  '40125': auth(),
  '41004': auth(),
  '41018': invalid,
  '48001': auth(),
  '61003': auth(),
  '61004': auth(),
  '61005': auth(true), // ticket expired: the next pushed ticket fixes it
  '61006': auth(),
  '61007': auth(),
  '61009': auth(),
  '61011': auth(),
  '61014': auth(),
  '61023': auth(),
  '86000': auth(),
  // Quotas (§4): daily ones reset at 00:00, the audit and speed-up quotas monthly.
  '45009': { kind: 'quota', retryable: true, after: 'nextDay' },
  '87013': { kind: 'quota', retryable: true, after: 'nextDay' }, // undocodeaudit 5/day, 10/month
  '85085': { kind: 'quota', retryable: true, after: 'nextMonth' },
  '89405': { kind: 'quota', retryable: true, after: 'nextMonth' },
  '85065': { kind: 'quota', retryable: false }, // template library full (200)
  '45011': { kind: 'rate_limited', retryable: true, after: 60_000 },
  '9402202': { kind: 'rate_limited', retryable: true, after: 5_000 }, // concurrent op, wait for the previous one
  // State conflicts: the host's state machine refuses the step now.
  '85009': conflict,
  '85019': conflict,
  '85020': conflict,
  '85052': conflict,
  '85058': conflict,
  '85079': conflict,
  '85080': conflict,
  '85082': conflict,
  '85086': conflict,
  '86001': conflict,
  '87011': conflict,
  '87012': conflict,
  '89402': conflict,
  '89404': conflict,
  '85021': conflict,
  '61039': { kind: 'conflict', retryable: true, after: 60_000 }, // privacy check still running after commit
  // Invalid requests or content.
  '40097': invalid,
  '43002': invalid,
  '44002': invalid,
  '47001': invalid,
  '85006': invalid,
  '85007': invalid,
  '85008': invalid,
  '85010': invalid,
  '85011': invalid,
  '85012': invalid,
  '85013': invalid,
  '85014': invalid,
  '85022': invalid,
  '85023': invalid,
  '85043': invalid,
  '85044': invalid,
  '85045': invalid,
  '85046': invalid,
  '85047': invalid,
  '85048': invalid,
  '85051': invalid,
  '85064': invalid,
  '85077': invalid,
  '85081': invalid,
  '85087': invalid,
  '85092': invalid,
  '85093': invalid,
  '85094': invalid,
  '85310': invalid,
  '85311': invalid,
  '85312': invalid,
  '80066': invalid,
  '80067': invalid,
  '80082': invalid,
  '9402203': invalid,
  '61040': invalid,
  '89403': invalid,
  '86002': invalid, // 86002: name/avatar/description not set yet
  // The host will not take this app's submission at all.
  '86007': rejected,
  '86009': rejected,
  '86010': rejected,
  '87006': rejected,
  '9400001': rejected,
};

const UNKNOWN: CodeRule = { kind: 'invalid', retryable: false };

/** The `rid:` request id WeChat appends to errmsg (older answers: `hint: [..]`), wechat.md §0. */
export function parseRequestId(errmsg: string): string | null {
  const rid = /rid:\s*([0-9a-zA-Z-]+)/.exec(errmsg);
  if (rid) return rid[1];
  const hint = /hint:\s*\[([^\]]+)\]/.exec(errmsg);
  return hint ? hint[1] : null;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

export function msUntil(after: CodeRule['after'], now: Date): number | null {
  if (after === undefined) return null;
  if (typeof after === 'number') return after;
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  const next =
    after === 'nextDay'
      ? Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1)
      : Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
  return next - CHINA_OFFSET_MS - now.getTime();
}

export function wechatRuleFor(code: number | string): CodeRule {
  return WECHAT_ERROR_TABLE[String(code)] ?? UNKNOWN;
}

export function errorFromErrcode(errcode: number, errmsg: string, operation: string, now: Date = new Date()): HostError {
  const rule = wechatRuleFor(errcode);
  return new HostError({
    host: 'WECHAT',
    kind: rule.kind,
    retryable: rule.retryable,
    retryAfterMs: msUntil(rule.after, now),
    nativeCode: String(errcode),
    nativeMessage: errmsg,
    requestId: parseRequestId(errmsg),
    operation,
  });
}

export function errorFromHttpStatus(status: number, body: string, operation: string): HostError {
  const server = status >= 500;
  return new HostError({
    host: 'WECHAT',
    kind: server ? 'unavailable' : status === 429 ? 'rate_limited' : 'invalid',
    retryable: server || status === 429,
    retryAfterMs: server ? 5_000 : null,
    nativeCode: `HTTP ${status}`,
    nativeMessage: body.slice(0, 200),
    operation,
  });
}

/** Timeouts and network failures: the host did not answer, so the call may be tried again. */
export function errorFromTransport(err: unknown, operation: string): HostError {
  // The core transport reports an AbortSignal timeout (DOMException code 23) as a network error; read its message too.
  const timeout = err instanceof HttpTimeoutError || (err instanceof HttpNetworkError && /aborted due to timeout/i.test(err.message));
  const network = err instanceof HttpNetworkError;
  if (!timeout && !network) throw err;
  return new HostError({
    host: 'WECHAT',
    kind: 'unavailable',
    retryable: true,
    retryAfterMs: 5_000,
    nativeCode: timeout ? 'TIMEOUT' : 'NETWORK',
    nativeMessage: (err as Error).message,
    operation,
  });
}

/** Token-invalid codes after which the client refreshes the token and retries once (wechat.md §3). */
export const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
