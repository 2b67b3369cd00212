// Native codes the sandbox answers with, and their messages (alipay-baidu-bytedance.md C1, C3).
export const SANDBOX_MESSAGES: Readonly<Record<number, string>> = {
  40001: 'invalid parameter',
  40002: 'missing parameter',
  40003: 'third-party app not found',
  40004: 'authorized app not found',
  40009: 'component access token expired',
  40010: 'component access token wrong',
  40020: 'authorizer access token wrong or expired',
  40021: 'authorizer refresh token wrong or expired',
  40029: 'template not found',
  40036: 'permission not granted',
  40037: 'invalid component ticket',
  40038: 'invalid component app secret',
  40040: 'invalid grant_type',
  40045: 'token generation failed',
  28001008: 'access token expired, refresh it or authorize again',
  28001018: 'the app has not granted this capability',
  10003: 'no permission or record not found',
  10100: 'AppID error',
  10104: 'subject banned',
  10105: 'subject information under review',
  10106: 'subject information rejected',
  10107: 'app banned',
  10108: 'the bound development app cannot be audited or released',
  10109: 'name reset, rename the app first',
  11300: 'audit submit failed',
  11301: 'audit submitted too often, retry after 10 s',
  11302: 'no test version to submit',
  11303: 'a version is already under audit',
  11305: 'subject certification incomplete',
  11400: 'release failed',
  11401: 'recently taken down, audit again first',
  11402: 'no audit version to release',
  11403: 'the version is still under audit',
  11500: 'rollback failed',
  11501: 'rollback too frequent, retry after 10 min',
  11600: 'revoke failed',
  11601: 'audit already revoked',
  11602: 'audit is being processed and cannot be revoked',
  11603: 'audit already finished',
};

export class SandboxNativeError extends Error {
  constructor(readonly errNo: number) {
    super(SANDBOX_MESSAGES[errNo] ?? `error ${errNo}`);
    this.name = 'SandboxNativeError';
  }
}
