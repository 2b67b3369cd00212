import { describe, expect, it } from '@jest/globals';
import { HttpNetworkError, HttpTimeoutError } from '../core/index.js';
import { errorFromErrNo, errorFromHttpStatus, errorFromTransport } from './bytedance.errors.js';
import { RECORDED_ERRORS as R } from './fixtures/native-errors.js';

const fromBody = (b: { err_no: number; err_msg: string; log_id: string }, op: string) => errorFromErrNo(b.err_no, b.err_msg, b.log_id, op);

describe('errorFromErrNo', () => {
  it('maps a too-frequent submit to rate_limited after 10 s, with log_id as request id', () => {
    expect(fromBody(R.tooFrequent, 'submitForReview').toJSON()).toEqual({
      host: 'BYTEDANCE',
      kind: 'rate_limited',
      retryable: true,
      retryAfterMs: 10_000,
      nativeCode: '11301',
      nativeMessage: R.tooFrequent.err_msg,
      requestId: R.tooFrequent.log_id,
      evidence: null,
      operation: 'submitForReview',
    });
  });

  it('maps a rollback too soon to rate_limited after 10 minutes', () => {
    expect(fromBody(R.rollbackTooFrequent, 'rollback')).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 600_000 });
  });

  it('maps a version already under audit to a permanent conflict', () => {
    expect(fromBody(R.underAudit, 'submitForReview')).toMatchObject({ kind: 'conflict', retryable: false, retryAfterMs: null });
  });

  it('reads 10003 by operation: no permission on audit, no record on rollback', () => {
    expect(fromBody(R.notFound, 'submitForReview')).toMatchObject({ kind: 'auth', retryable: false });
    expect(fromBody(R.notFound, 'rollback')).toMatchObject({ kind: 'conflict', retryable: false });
  });

  it('keeps an expired token retryable (the client refreshes on it) and unknown codes permanent', () => {
    expect(fromBody(R.tokenExpired, 'readListing')).toMatchObject({ kind: 'auth', retryable: true });
    expect(fromBody(R.unknown, 'upload')).toMatchObject({ kind: 'invalid', retryable: false, nativeCode: '99999' });
  });
});

describe('errorFromHttpStatus / errorFromTransport', () => {
  it('treats 5xx and timeouts as retryable unavailability', () => {
    expect(errorFromHttpStatus(503, 'Service Unavailable', null, 'release')).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    expect(errorFromTransport(new HttpTimeoutError('http://127.0.0.1:1/api', 300), 'release')).toMatchObject({ kind: 'unavailable', nativeCode: 'TIMEOUT' });
    expect(errorFromTransport(new HttpNetworkError('http://127.0.0.1:1/api', new Error('ECONNREFUSED')), 'release')).toMatchObject({ nativeCode: 'NETWORK' });
  });

  it('rethrows anything that is not a transport failure', () => {
    expect(() => errorFromTransport(new TypeError('bug'), 'release')).toThrow(TypeError);
  });
});
