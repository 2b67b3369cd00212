import { describe, expect, it } from '@jest/globals';
import { HttpNetworkError, HttpTimeoutError } from '../core/index.js';
import { BAIDU_PACKAGE_CODES, errorFromErrno, errorFromHttpStatus, errorFromOAuth, errorFromTransport } from './baidu.errors.js';

const kindOf = (errno: number | string) => {
  const e = errorFromErrno(errno, 'msg', 'op');
  return `${e.kind}${e.retryable ? '+retry' : ''}`;
};

describe('Baidu error mapping (B3)', () => {
  it.each([
    [40001, 'invalid'],
    [50032, 'auth'],
    [30007, 'auth'],
    [47005, 'quota+retry'],
    [47006, 'quota+retry'],
    [47007, 'quota+retry'],
    [40032, 'conflict'],
    [40045, 'conflict'],
    [40028, 'rejected'],
    [110, 'auth+retry'],
    [111, 'auth+retry'],
    [2, 'unavailable+retry'],
    [18, 'rate_limited+retry'],
    [BAIDU_PACKAGE_CODES.auditQuotaExhausted, 'quota+retry'],
    [99999, 'invalid'],
  ])('errno %s -> %s', (errno, expected) => {
    expect(kindOf(errno)).toBe(expected);
  });

  it('keeps the native code, message, request id and operation', () => {
    const e = errorFromErrno(40045, 'app state wrong', 'release', 'req-1');
    expect(e.toJSON()).toMatchObject({ host: 'BAIDU', nativeCode: '40045', nativeMessage: 'app state wrong', requestId: 'req-1', operation: 'release' });
  });

  it('maps OAuth errors to auth; a refused TP token and slow_down may be retried', () => {
    expect(errorFromOAuth('invalid_grant', 'refresh token used', 'op')).toMatchObject({ kind: 'auth', retryable: false, nativeCode: 'invalid_grant' });
    expect(errorFromOAuth('expired_token', '', 'op')).toMatchObject({ kind: 'auth', retryable: true });
    expect(errorFromOAuth('slow_down', '', 'op')).toMatchObject({ kind: 'rate_limited', retryable: true });
  });

  it('maps HTTP 5xx to retryable unavailable and 4xx without a body code to invalid', () => {
    expect(errorFromHttpStatus(503, 'down', 'op')).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    expect(errorFromHttpStatus(404, 'nope', 'op')).toMatchObject({ kind: 'invalid', retryable: false });
    expect(errorFromHttpStatus(429, '', 'op')).toMatchObject({ kind: 'rate_limited', retryable: true });
  });

  it('maps timeouts and network failures to retryable unavailable, without the query string', () => {
    const url = 'http://127.0.0.1:1/public/2.0/smartapp/auth/tp/token?client_id=k&ticket=SECRET-TICKET';
    const timeout = errorFromTransport(new HttpTimeoutError(url, 100), 'op');
    expect(timeout).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'TIMEOUT' });
    const network = errorFromTransport(new HttpNetworkError(url, new Error('ECONNREFUSED')), 'op');
    expect(network).toMatchObject({ nativeCode: 'NETWORK' });
    expect(JSON.stringify(network) + network.message + JSON.stringify(timeout) + timeout.message).not.toContain('SECRET-TICKET');
  });

  it('lets programming errors through', () => {
    expect(() => errorFromTransport(new TypeError('bug'), 'op')).toThrow(TypeError);
  });
});
