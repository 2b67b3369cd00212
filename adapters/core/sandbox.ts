import type { BasicInfoSandboxControl } from './basic-info-desk.js';
import type { CallbackSecrets, RawCallback } from './callbacks.js';
import type { HostId } from './host-id.js';

/**
 * The contract every host sandbox implements: a loopback HTTP server that speaks the host's
 * documented protocol, keeps its state machine and can be steered by tests and the demo.
 * Sandboxes verify what they receive (signatures, tokens) with their own code, written from the
 * documented rule; they never import the adapter's.
 */
export interface HostSandbox {
  readonly hostId: HostId;
  /** Listens on 127.0.0.1 (port 0 unless given) and resolves to the base URL adapters use. */
  start(port?: number): Promise<string>;
  stop(): Promise<void>;
  readonly baseUrl: string;

  /** Platform-level secrets an adapter needs to verify and decrypt this sandbox's pushes. */
  readonly callbackSecrets: CallbackSecrets;

  /**
   * Registers a merchant mini-program authorized to the sandbox's ISV platform and returns the
   * credentials object the host's adapter takes (typed per host).
   */
  createApp(options?: { name?: string }): Promise<SandboxApp>;

  /** How reviews of this app end from now on (default: approve after `delayMs` 0). */
  setReviewPolicy(hostAppId: string, policy: ReviewPolicy): void;

  /** Ends a review held by policy `hold` now, sending the push like the host would. */
  decideReview(hostAppId: string, outcome: ReviewDecision): Promise<void>;

  /** Where pushes (review results, tickets) are POSTed; null stops pushing. */
  setCallbackUrl(url: string | null): void;

  readonly faults: SandboxFaults;

  /** Every call received, in order, so tests can count them. */
  readonly calls: readonly RecordedCall[];
  clearCalls(): void;

  /** The sandbox's own view of what is live (to compare with the adapter's `readListing`). */
  live(hostAppId: string): SandboxLiveState;

  /**
   * A review-result push for `hostAppId` that the host never sent: `badSignature` is signed
   * with the wrong key or token, `wrongAppId` is well signed but addressed to another platform.
   */
  forgePush(hostAppId: string, kind: 'badSignature' | 'wrongAppId'): RawCallback;

  /** Basic info as the host keeps it: reviews of name/icon/... changes, quotas, the live values. */
  readonly basicInfo: BasicInfoSandboxControl;
}

export interface SandboxApp {
  hostAppId: string;
  credentials: unknown;
}

export type ReviewDecision = { decision: 'approve' } | { decision: 'reject'; reason: string; screenshots?: string[] } | { decision: 'delay'; reason: string };

export type ReviewPolicy =
  | (ReviewDecision & { afterMs?: number })
  /** Stay in review until `decideReview` is called. */
  | { decision: 'hold' };

export interface SandboxFaults {
  /** The next `times` (default 1) calls whose path matches answer with this native error. */
  failNext(spec: { path?: string | RegExp; nativeCode: string; times?: number }): void;
  /**
   * The next `times` (default 1) calls whose path matches get this raw answer instead of the
   * host's (an HTML page from a proxy, text that is not JSON, a shape the host never sends).
   * Status defaults to 200, content type to `text/html; charset=utf-8`.
   */
  answerNext(spec: RawAnswerSpec): void;
  /** Share of calls (0..1) answered with HTTP 503. */
  serverErrorRate: number;
  /** Share of calls (0..1) that hang for `hangMs` before answering. */
  timeoutRate: number;
  hangMs: number;
  /** Share of calls (0..1) carried out by the host whose answer is then lost (the connection is reset). */
  resetAfterActRate: number;
  /** Every access token issued so far stops working now (as after its expiry). */
  expireTokens(): void;
  /** Each push is sent twice. */
  duplicatePushes: boolean;
  /** Pushes wait this long before being sent; pending pushes are sent newest first when > 0 and `reorderPushes`. */
  pushDelayMs: number;
  reorderPushes: boolean;
  /** Back to no faults. */
  reset(): void;
}

export interface RawAnswerSpec {
  path?: string | RegExp;
  status?: number;
  contentType?: string;
  body: string;
  times?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Native code the sandbox answered with (`0`, `10000`, `85009` ...). */
  answeredCode: string;
  at: Date;
}

export interface SandboxLiveState {
  liveVersion: string | null;
  grayVersion: string | null;
  grayPercentage: number | null;
  /** Version currently in review, if any. */
  inReview: string | null;
}
