import { describe, expect, it } from '@jest/globals';
import { HOST_ERROR_KINDS } from './host-error.js';
import { answerEvidence, EVIDENCE_MAX_CHARS, unexpectedAnswer } from './unexpected-answer.js';

describe('unexpectedAnswer', () => {
  it('is a kind of its own, never retried, with the raw answer kept as evidence', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    const e = unexpectedAnswer({ host: 'BAIDU', operation: 'readListing', detail: 'answer is not JSON', raw: html, requestId: 'r1' });
    expect(HOST_ERROR_KINDS).toContain('unexpected_answer');
    expect(e.toJSON()).toEqual({
      host: 'BAIDU',
      kind: 'unexpected_answer',
      nativeCode: null,
      nativeMessage: 'answer is not JSON',
      retryable: false,
      retryAfterMs: null,
      requestId: 'r1',
      operation: 'readListing',
      evidence: html,
    });
  });

  it('redacts secret-looking fields in JSON, query pairs and XML, and cuts long answers', () => {
    const raw = '{"access_token":"45.abc","expires_in":3600,"component_verify_ticket":"ticket@@@x","msg":"sign=Zm9v&app_auth_token=2023BB&x=1"}';
    expect(answerEvidence(raw)).toBe(
      '{"access_token":"[redacted]","expires_in":3600,"component_verify_ticket":"[redacted]","msg":"sign=[redacted]&app_auth_token=[redacted]&x=1"}',
    );
    expect(answerEvidence('<xml><ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>')).toBe(
      '<xml><ComponentVerifyTicket>[redacted]</ComponentVerifyTicket></xml>',
    );
    const long = 'x'.repeat(EVIDENCE_MAX_CHARS + 500);
    const cut = answerEvidence(long);
    expect(cut.startsWith('x'.repeat(EVIDENCE_MAX_CHARS))).toBe(true);
    expect(cut.endsWith(`[${EVIDENCE_MAX_CHARS + 500} characters in all]`)).toBe(true);
  });

  it('keeps no evidence when there was no answer text', () => {
    expect(unexpectedAnswer({ host: 'WECHAT', operation: 'probe', detail: 'no body' }).evidence).toBeNull();
  });
});
