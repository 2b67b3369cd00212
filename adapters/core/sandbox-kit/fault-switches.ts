import type { RawAnswerSpec, SandboxFaults } from '../sandbox.js';

const DEFAULT_HANG_MS = 30_000;

/**
 * The switchable failures every sandbox offers (SandboxFaults); the sandbox's server consults
 * them before routing each call. Host specifics stay in the sandbox: what a path is, and what
 * expiring tokens means there (`onExpireTokens`).
 */
export class SandboxFaultSwitches implements SandboxFaults {
  serverErrorRate = 0;
  timeoutRate = 0;
  resetAfterActRate = 0;
  hangMs = DEFAULT_HANG_MS;
  duplicatePushes = false;
  pushDelayMs = 0;
  reorderPushes = false;
  private failures: Array<{ path?: string | RegExp; nativeCode: string; remaining: number }> = [];
  private rawAnswers: Array<{ spec: RawAnswerSpec; remaining: number }> = [];

  constructor(private readonly onExpireTokens: () => void = () => undefined) {}

  failNext(spec: { path?: string | RegExp; nativeCode: string; times?: number }): void {
    this.failures.push({ path: spec.path, nativeCode: spec.nativeCode, remaining: spec.times ?? 1 });
  }

  /**
   * The native code armed for this call, used up as it is taken. A failure matches when its
   * path matches any of `names` (the HTTP path, or a gateway method where one path serves all).
   */
  takeFailure(...names: string[]): string | null {
    const matches = (p: string | RegExp) => names.some((n) => (typeof p === 'string' ? p === n : p.test(n)));
    const hit = this.failures.find((f) => f.path === undefined || matches(f.path));
    if (!hit) return null;
    hit.remaining--;
    this.failures = this.failures.filter((f) => f.remaining > 0);
    return hit.nativeCode;
  }

  answerNext(spec: RawAnswerSpec): void {
    this.rawAnswers.push({ spec, remaining: spec.times ?? 1 });
  }

  /** The raw answer armed for this call (matched like `takeFailure`), used up as it is taken. */
  takeRawAnswer(...names: string[]): { status: number; contentType: string; body: string } | null {
    const matches = (p: string | RegExp) => names.some((n) => (typeof p === 'string' ? p === n : p.test(n)));
    const hit = this.rawAnswers.find((a) => a.spec.path === undefined || matches(a.spec.path));
    if (!hit) return null;
    hit.remaining--;
    this.rawAnswers = this.rawAnswers.filter((a) => a.remaining > 0);
    return { status: hit.spec.status ?? 200, contentType: hit.spec.contentType ?? 'text/html; charset=utf-8', body: hit.spec.body };
  }

  expireTokens(): void {
    this.onExpireTokens();
  }

  /** A call this fault should hang, drawn at the configured rate. */
  shouldHang(): boolean {
    return this.timeoutRate > 0 && Math.random() < this.timeoutRate;
  }

  /** A call that is carried out and then left unanswered (connection reset), drawn at the configured rate. */
  shouldResetAfterAct(): boolean {
    return this.resetAfterActRate > 0 && Math.random() < this.resetAfterActRate;
  }

  /** A call this fault should answer with HTTP 503, drawn at the configured rate. */
  shouldFailWith503(): boolean {
    return this.serverErrorRate > 0 && Math.random() < this.serverErrorRate;
  }

  reset(): void {
    Object.assign(this, {
      serverErrorRate: 0,
      timeoutRate: 0,
      resetAfterActRate: 0,
      hangMs: DEFAULT_HANG_MS,
      duplicatePushes: false,
      pushDelayMs: 0,
      reorderPushes: false,
    });
    this.failures = [];
    this.rawAnswers = [];
  }
}
