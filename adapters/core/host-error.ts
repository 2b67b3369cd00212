import type { HostId } from './host-id.js';

/**
 * What went wrong, as the gateway acts on it. `unexpected_answer`: the host (or something between
 * us and it, a proxy) answered in a shape none of its documented envelopes has (not JSON, HTML,
 * fields missing); never retried blindly, the raw text is kept in `evidence`.
 */
export const HOST_ERROR_KINDS = ['auth', 'quota', 'rate_limited', 'conflict', 'invalid', 'unavailable', 'rejected', 'unexpected_answer'] as const;
export type HostErrorKind = (typeof HOST_ERROR_KINDS)[number];

export interface HostErrorInit {
  host: HostId;
  kind: HostErrorKind;
  /** The host's own code, as a string (`"85009"`, `"40004/CAN_NOT_SUBMIT_WITH_AUDIT_GRAY"`). */
  nativeCode: string | null;
  /** The host's own message, verbatim. */
  nativeMessage: string;
  /** Whether the same call may succeed later without a change on our side. */
  retryable: boolean;
  /** Milliseconds to wait before trying again, when the host (or its documented rule) says so. */
  retryAfterMs?: number | null;
  /** The host's request id (`rid:` suffix, `log_id`, trace id) when the response carried one. */
  requestId?: string | null;
  /** The operation that failed (`upload`, `submitForReview`, ...). */
  operation?: string;
  /**
   * The host's raw answer when it could not be read (kind `unexpected_answer`): cut to a few
   * thousand characters, secret-looking fields redacted (see `answerEvidence`).
   */
  evidence?: string | null;
}

/**
 * The one error type an adapter throws for anything that went wrong at or with the host.
 * The gateway decides retry, backoff and failure from `kind`, `retryable` and `retryAfterMs`
 * alone; `nativeCode`/`nativeMessage`/`requestId` are kept as evidence.
 * Never carries credentials: build the message from the host's reply, not from the request.
 */
export class HostError extends Error {
  readonly host: HostId;
  readonly kind: HostErrorKind;
  readonly nativeCode: string | null;
  readonly nativeMessage: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly requestId: string | null;
  readonly operation: string | undefined;
  readonly evidence: string | null;

  constructor(init: HostErrorInit) {
    super(`${init.host} ${init.operation ?? 'call'} failed: ${init.kind} (${init.nativeCode ?? 'no code'}) ${init.nativeMessage}`);
    this.name = 'HostError';
    this.host = init.host;
    this.kind = init.kind;
    this.nativeCode = init.nativeCode;
    this.nativeMessage = init.nativeMessage;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.requestId = init.requestId ?? null;
    this.operation = init.operation;
    this.evidence = init.evidence ?? null;
  }

  toJSON(): Record<string, unknown> {
    return {
      host: this.host,
      kind: this.kind,
      nativeCode: this.nativeCode,
      nativeMessage: this.nativeMessage,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      operation: this.operation,
      evidence: this.evidence,
    };
  }
}

/** Thrown before any network call when a host lacks the capability asked for. */
export class UnsupportedCapabilityError extends Error {
  constructor(
    readonly host: HostId,
    readonly capability: string,
    detail?: string,
  ) {
    super(`${host} does not offer ${capability}${detail ? `: ${detail}` : ''}`);
    this.name = 'UnsupportedCapabilityError';
  }
}
