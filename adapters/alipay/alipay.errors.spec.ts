import { describe, expect, it } from '@jest/globals';
import { HttpTimeoutError } from '../core/index.js';
import { errorFromAlipay, errorFromHttpStatus, errorFromTransport, redact } from './alipay.errors.js';

const err = (code: string, subCode: string | null, subMsg = '') => errorFromAlipay({ code, msg: 'm', subCode, subMsg }, 'upload', 'trace-1');
const kindOf = (code: string, subCode: string | null, subMsg = '') => {
  const e = err(code, subCode, subMsg);
  return `${e.kind}${e.retryable ? '+retry' : ''}`;
};

describe('errorFromAlipay (shared/hosts A3)', () => {
  it('maps the top-level codes', () => {
    expect(kindOf('20000', 'isp.unknow-error')).toBe('unavailable+retry');
    expect(kindOf('20000', 'aop.unknow-error')).toBe('unavailable+retry');
    for (const sub of [
      'aop.invalid-auth-token',
      'aop.auth-token-time-out',
      'aop.invalid-app-auth-token',
      'aop.invalid-app-auth-token-no-api',
      'aop.app-auth-token-time-out',
      'aop.no-product-reg-by-partner',
    ])
      expect(kindOf('20001', sub)).toBe('auth');
    expect(kindOf('40001', 'isv.missing-signature')).toBe('invalid');
    expect(kindOf('40002', 'isv.invalid-signature')).toBe('invalid');
    expect(kindOf('40002', 'isv.invalid-timestamp')).toBe('invalid');
    expect(kindOf('40006', 'isv.insufficient-isv-permissions')).toBe('auth');
    expect(kindOf('40006', 'isv.app-api-punished')).toBe('rejected');
    expect(kindOf('40004', 'SOMETHING_NEW')).toBe('invalid');
    expect(kindOf('99999', null)).toBe('invalid');
  });

  it('maps the mini-program sub_codes of 40004', () => {
    expect(kindOf('40004', 'VERSION_HAS_EXISTED')).toBe('conflict');
    expect(kindOf('40004', 'CAN_NOT_SUBMIT_WITH_AUDIT_GRAY')).toBe('conflict');
    expect(kindOf('40004', 'MINI_VERSION_NAME_DUPLICATE')).toBe('conflict');
    expect(kindOf('40004', 'GRAY_STRATEGY_IS_INVALID')).toBe('invalid');
    expect(kindOf('40004', 'GRAY_STRATEGY_IS_BLANK')).toBe('invalid');
    expect(kindOf('40004', 'VERSION_EXCEEDED_LENGTH')).toBe('invalid');
    expect(kindOf('40004', 'APP_VERSION_IS_BLANK')).toBe('conflict+retry');
    expect(kindOf('40004', 'MINI_APP_PACKAGE_INFO_NOT_EXIST')).toBe('conflict+retry');
    expect(kindOf('40004', 'CODE_TEMPLATE_NOT_SAFE')).toBe('conflict+retry');
    expect(kindOf('40004', 'TEMPLATE_MINIAPP_NOT_ALLOWED')).toBe('auth');
    expect(kindOf('40004', 'MINI_APP_DESC_SENSITIVE')).toBe('rejected');
    expect(kindOf('40004', 'RISK_DECISION_CHECK_FAIL')).toBe('rejected');
    expect(kindOf('40004', 'SERVICE_TEL_AND_MAIL_BOTH_BLANK')).toBe('invalid');
    expect(kindOf('40004', 'unknown-sub-code', 'MINI_APP_INFO_AUDIT_CONTAINS name')).toBe('conflict+retry');
    expect(kindOf('40004', 'unknown-sub-code', 'other')).toBe('invalid');
  });

  it('keeps code/sub_code, messages and the trace id as evidence', () => {
    expect(err('40004', 'VERSION_HAS_EXISTED', '版本已存在').toJSON()).toEqual({
      evidence: null,
      host: 'ALIPAY',
      kind: 'conflict',
      nativeCode: '40004/VERSION_HAS_EXISTED',
      nativeMessage: 'm: 版本已存在',
      retryable: false,
      retryAfterMs: null,
      requestId: 'trace-1',
      operation: 'upload',
    });
    expect(err('20000', null).nativeCode).toBe('20000');
    expect(err('20000', 'isp.unknow-error').retryAfterMs).toBe(3_000);
  });

  it('redacts the app_auth_token the gateway quotes in an invalid-signature sub_msg', () => {
    const quoted = '验签出错，网关生成的验签字符串为：app_auth_token=202401BBsecret&app_id=2021&sign_type=RSA2';
    expect(redact(quoted)).toBe('验签出错，网关生成的验签字符串为：app_auth_token=[redacted]&app_id=2021&sign_type=RSA2');
    expect(err('40002', 'isv.invalid-signature', quoted).nativeMessage).not.toContain('202401BBsecret');
  });
});

describe('HTTP and transport failures', () => {
  it('maps 5xx and timeouts to retryable unavailable, 429 to rate_limited, other statuses to invalid', () => {
    expect(errorFromHttpStatus(503, 'probe', null)).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: 'HTTP 503' });
    expect(errorFromHttpStatus(429, 'probe', null)).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(errorFromHttpStatus(404, 'probe', null)).toMatchObject({ kind: 'invalid', retryable: false });
    expect(errorFromTransport(new HttpTimeoutError('http://127.0.0.1:1/gateway.do', 300), 'probe')).toMatchObject({ kind: 'unavailable', retryable: true });
  });
});
