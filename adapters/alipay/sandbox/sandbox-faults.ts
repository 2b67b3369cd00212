import type { SandboxFaults } from '../../core/index.js';

const DEFAULT_HANG_MS = 30_000;

/** Switchable failures (STYLE 8.12); consulted before each gateway call is routed. */
export class AlipaySandboxFaults implements SandboxFaults {
  serverErrorRate = 0;
  timeoutRate = 0;
  hangMs = DEFAULT_HANG_MS;
  duplicatePushes = false;
  pushDelayMs = 0;
  reorderPushes = false;
  private failures: Array<{ path?: string | RegExp; nativeCode: string; remaining: number }> = [];

  /**
   * Every call goes to `/gateway.do`, so `path` is matched against the HTTP path and against the
   * gateway method (`alipay.open.mini.version.audit.apply`); either matching arms the failure.
   */
  failNext(spec: { path?: string | RegExp; nativeCode: string; times?: number }): void {
    this.failures.push({ path: spec.path, nativeCode: spec.nativeCode, remaining: spec.times ?? 1 });
  }

  takeFailure(path: string, method: string): string | null {
    const matches = (p: string | RegExp) => [path, method].some((s) => (typeof p === 'string' ? p === s : p.test(s)));
    const hit = this.failures.find((f) => f.remaining > 0 && (f.path === undefined || matches(f.path)));
    if (!hit) return null;
    hit.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return hit.nativeCode;
  }

  /**
   * Alipay has no bearer token: calls are signed, and the merchant's app_auth_token is long-lived
   * (A5, `expires_in` obsolete). There is nothing to expire, so this invalidates nothing; the
   * harness declares `tokenRequestPath: null`. A revoked authorisation is
   * `AlipaySandbox.revokeAuthorization` instead.
   */
  expireTokens(): void {
    // Intentionally nothing: see above.
  }

  reset(): void {
    Object.assign(this, { serverErrorRate: 0, timeoutRate: 0, hangMs: DEFAULT_HANG_MS, duplicatePushes: false, pushDelayMs: 0, reorderPushes: false });
    this.failures = [];
  }
}
