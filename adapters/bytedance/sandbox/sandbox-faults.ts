import type { SandboxFaults } from '../../core/index.js';

const DEFAULT_HANG_MS = 30_000;

/** Switchable failures (STYLE 8.12); the server consults them before routing each call. */
export class BytedanceSandboxFaults implements SandboxFaults {
  serverErrorRate = 0;
  timeoutRate = 0;
  hangMs = DEFAULT_HANG_MS;
  duplicatePushes = false;
  pushDelayMs = 0;
  reorderPushes = false;
  private failures: Array<{ path?: string | RegExp; nativeCode: string; remaining: number }> = [];

  constructor(private readonly onExpireTokens: () => void) {}

  failNext(spec: { path?: string | RegExp; nativeCode: string; times?: number }): void {
    this.failures.push({ path: spec.path, nativeCode: spec.nativeCode, remaining: spec.times ?? 1 });
  }

  /** The native code armed for this path, if any (used up as it is taken). */
  takeFailure(path: string): string | null {
    const hit = this.failures.find((f) => f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
    if (!hit) return null;
    hit.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return hit.nativeCode;
  }

  expireTokens(): void {
    this.onExpireTokens();
  }

  reset(): void {
    Object.assign(this, { serverErrorRate: 0, timeoutRate: 0, hangMs: DEFAULT_HANG_MS, duplicatePushes: false, pushDelayMs: 0, reorderPushes: false });
    this.failures = [];
  }
}
