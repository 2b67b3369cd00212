import { describe, expect, it } from '@jest/globals';
import { HostError, HttpNetworkError, HttpTimeoutError } from '../core/index.js';
import { errorFromErrcode, errorFromHttpStatus, errorFromTransport, parseRequestId } from './wechat.errors.js';

// Recorded-style native bodies (shape from wechat.md §0).
const now = new Date('2024-05-10T10:00:00Z'); // 18:00 in China

describe('WeChat native errors', () => {
  it('parses the rid: suffix and the older hint: form', () => {
    expect(parseRequestId('already submit a version under auditing rid: 64dc7e85-258c9211-2604fd01')).toBe('64dc7e85-258c9211-2604fd01');
    expect(parseRequestId('invalid credential hint: [abCD123]')).toBe('abCD123');
    expect(parseRequestId('ok')).toBeNull();
  });

  it.each([
    [85009, 'conflict', false],
    [85019, 'conflict', false],
    [87011, 'conflict', false],
    [85085, 'quota', true],
    [87013, 'quota', true],
    [89405, 'quota', true],
    [45011, 'rate_limited', true],
    [9402202, 'rate_limited', true],
    [61005, 'auth', true],
    [61007, 'auth', false],
    [48001, 'auth', false],
    [-1, 'unavailable', true],
    [89401, 'unavailable', true],
    [85013, 'invalid', false],
    [44002, 'invalid', false],
    [86007, 'rejected', false],
    [123456, 'invalid', false],
  ])('%d -> %s (retryable %s)', (code, kind, retryable) => {
    const err = errorFromErrcode(code, `msg rid: 1-2-3`, 'submitForReview', now);
    expect(err).toBeInstanceOf(HostError);
    expect([err.kind, err.retryable, err.nativeCode, err.requestId]).toEqual([kind, retryable, String(code), '1-2-3']);
  });

  it('waits for the next China midnight on daily quotas and the next month on the audit quota', () => {
    expect(errorFromErrcode(45009, 'quota', 'upload', now).retryAfterMs).toBe(6 * 3600_000);
    expect(errorFromErrcode(85085, 'quota', 'upload', now).retryAfterMs).toBe(Date.UTC(2024, 4, 31, 16) - now.getTime());
    expect(errorFromErrcode(45011, 'minute', 'upload', now).retryAfterMs).toBe(60_000);
  });

  it('maps HTTP 5xx, timeouts and network failures to unavailable', () => {
    expect(errorFromHttpStatus(503, 'busy', 'upload')).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    expect(errorFromHttpStatus(404, 'nope', 'upload')).toMatchObject({ kind: 'invalid', retryable: false });
    expect(errorFromTransport(new HttpTimeoutError('http://127.0.0.1:1/wxa/commit', 50), 'upload')).toMatchObject({
      kind: 'unavailable',
      nativeCode: 'TIMEOUT',
    });
    expect(errorFromTransport(new HttpNetworkError('http://127.0.0.1:1/x', new Error('refused')), 'upload')).toMatchObject({
      kind: 'unavailable',
      nativeCode: 'NETWORK',
    });
    expect(() => errorFromTransport(new TypeError('bug'), 'upload')).toThrow(TypeError);
  });
});
