import { describe, expect, it } from '@jest/globals';
import { checkBytedanceCallbackSecrets, checkBytedanceCredentials } from './bytedance.credentials.js';

const good = {
  componentAppId: 'tt0123456789abcdef',
  componentAppSecret: 's'.repeat(40),
  componentTicket: 'ticket@@@abc',
  authorizerAppId: 'ttfedcba9876543210',
  authorizerRefreshToken: 'isvrft.abcdef',
};

describe('checkBytedanceCredentials', () => {
  it('accepts a complete credentials object', () => {
    expect(checkBytedanceCredentials(good)).toEqual([]);
  });

  it('names every missing or malformed field', () => {
    expect(checkBytedanceCredentials({ ...good, componentAppId: 'wx123456789012', componentTicket: '', authorizerRefreshToken: 3 })).toEqual([
      'componentAppId must look like a Douyin app id (tt...)',
      'componentTicket must be a non-empty string',
      'authorizerRefreshToken must be a non-empty string',
    ]);
    expect(checkBytedanceCredentials(null)).toEqual(['credentials must be an object']);
  });
});

describe('checkBytedanceCallbackSecrets', () => {
  it('wants a tt app id, a token and a 43-character key', () => {
    expect(checkBytedanceCallbackSecrets({ componentAppId: good.componentAppId, token: 'tok', encodingAesKey: 'a'.repeat(43) })).toEqual([]);
    expect(checkBytedanceCallbackSecrets({ componentAppId: 'x', token: '', encodingAesKey: 'short' })).toHaveLength(3);
  });
});
