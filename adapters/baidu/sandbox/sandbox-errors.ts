// The sandbox's own copy of the native codes it answers with (alipay-baidu-bytedance.md B3). The
// package-API codes are not documented (B3 UNCONFIRMED); these match the readings the profile lists.
export const SANDBOX_ERRNO = {
  unsupportedMethod: 3,
  tokenInvalid: 110,
  tokenExpired: 111,
  params: 40001,
  noAuthorization: 50032,
  wrongState: 40045,
  noApprovedPackage: 40032,
  auditQuota: 47009,
} as const;

const MESSAGES: Record<number, string> = {
  1: 'Unknown error',
  2: 'Service temporarily unavailable',
  3: 'Unsupported openapi method',
  18: 'Open api qps request limit reached',
  110: 'Access token invalid or no longer valid',
  111: 'Access token expired',
  30007: 'no permission',
  40001: 'request params illegal',
  40028: 'no subject info',
  40032: 'no online or audit-passed package',
  40045: 'app state does not allow this operation',
  47005: 'icon change limit reached',
  47009: 'audit quota used up',
  50032: 'no authorization relation',
};

/** A failure the sandbox answers as `{errno, msg}` (business) with HTTP 200. */
export class SandboxNativeError extends Error {
  constructor(
    readonly errno: number,
    readonly detail?: string,
  ) {
    super(`errno ${errno}`);
  }
}

/** A failure of the OAuth endpoint, answered as `{error, error_description}` with HTTP 400. */
export class SandboxOAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(error);
  }
}

export function errnoEnvelope(errno: number, detail?: string): { errno: number; msg: string } {
  return { errno, msg: detail ?? MESSAGES[errno] ?? 'error' };
}

/** failNext codes: numbers are business errnos, words are OAuth errors. */
export function injectedFailure(code: string): SandboxNativeError | SandboxOAuthError {
  return /^-?\d+$/.test(code) ? new SandboxNativeError(Number(code), 'injected failure') : new SandboxOAuthError(code, 'injected failure');
}
