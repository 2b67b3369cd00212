import { HostError } from './host-error.js';
import type { HostId } from './host-id.js';

/** How much of an unreadable answer is kept: enough for an HTML error page's title and first lines. */
export const EVIDENCE_MAX_CHARS = 2_000;

// Field names whose values are credentials wherever they appear (token answers, echoed requests).
const SECRET_NAME = String.raw`[A-Za-z_]*(?:token|ticket|secret|password|appsecret)[A-Za-z_]*`;
const JSON_SECRET = new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi');
const PAIR_SECRET = new RegExp(String.raw`\b(${SECRET_NAME}|sign)=[^&\s"'<]*`, 'gi');
const XML_SECRET = new RegExp(String.raw`<(${SECRET_NAME})>[\s\S]*?</\1>`, 'gi');

/**
 * A host's raw answer as it may be kept in an error: the text as received, with the values of
 * secret-looking fields (`*token*`, `*ticket*`, `*secret*`, `sign=`) replaced by `[redacted]`,
 * cut to EVIDENCE_MAX_CHARS with the full length noted.
 */
export function answerEvidence(raw: string): string {
  const redacted = raw.replace(JSON_SECRET, '$1"[redacted]"').replace(PAIR_SECRET, '$1=[redacted]').replace(XML_SECRET, '<$1>[redacted]</$1>');
  if (redacted.length <= EVIDENCE_MAX_CHARS) return redacted;
  return `${redacted.slice(0, EVIDENCE_MAX_CHARS)}… [${redacted.length} characters in all]`;
}

export interface UnexpectedAnswerInit {
  host: HostId;
  operation: string;
  /** What was wrong, in words (`answer is not JSON`, `token answer lacks access_token`). */
  detail: string;
  /** The answer's text as received; kept (redacted, cut) as evidence. */
  raw?: string | null;
  requestId?: string | null;
  /** The host's code when the answer had one but the rest was unreadable. */
  nativeCode?: string | null;
}

/**
 * An answer in none of the host's documented shapes (not JSON, HTML from a proxy, both envelopes
 * absent, a required field missing). Not retryable: retrying cannot make the shape right, and a
 * success must never be guessed from it; an operator reads the evidence.
 */
export function unexpectedAnswer(init: UnexpectedAnswerInit): HostError {
  return new HostError({
    host: init.host,
    kind: 'unexpected_answer',
    retryable: false,
    retryAfterMs: null,
    nativeCode: init.nativeCode ?? null,
    nativeMessage: init.detail,
    requestId: init.requestId ?? null,
    operation: init.operation,
    evidence: init.raw === undefined || init.raw === null ? null : answerEvidence(init.raw),
  });
}
