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
  /** SUBMIT_PACKAGE_OVER_LIMIT_ERROR in the official Java SDK's SmartAppErrorCode enum. */
  auditQuota: 69013,
} as const;

/**
 * Codes the OpenAPI gateway answers itself, as `{error_code, error_msg}` (official Go client
 * OpenAPIError, checked before errno): Baidu's open-API codes, access-token errors 110/111 among them.
 */
export const GATEWAY_CODES: ReadonlySet<number> = new Set([1, 2, 3, 4, 6, 17, 18, 100, 110, 111]);

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
  47009: '用户未登录，请重新登录',
  69013: '送审额度已超出当前周期限制',
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

/** The envelope a failure is answered in: the gateway's for its own codes, `{errno, msg}` for the rest. */
export function errnoEnvelope(errno: number, detail?: string): Record<string, unknown> {
  if (GATEWAY_CODES.has(errno)) return { error_code: errno, error_msg: MESSAGES[errno] ?? detail ?? 'error' };
  return { errno, msg: detail ?? MESSAGES[errno] ?? 'error' };
}

/** failNext codes: numbers are business errnos, words are OAuth errors. */
export function injectedFailure(code: string): SandboxNativeError | SandboxOAuthError {
  return /^-?\d+$/.test(code) ? new SandboxNativeError(Number(code), 'injected failure') : new SandboxOAuthError(code, 'injected failure');
}
