import { describe, expect, it } from '@jest/globals';
import { checkWechatCallbackSecrets, checkWechatCredentials } from './wechat.credentials.js';

describe('WeChat credentials', () => {
  const good = {
    componentAppId: 'wx0123456789abcdef',
    componentAppSecret: 's',
    componentVerifyTicket: 'ticket@@@x',
    authorizerAppId: 'wxfedcba9876543210',
    authorizerRefreshToken: 'refreshtoken@@@y',
  };

  it('accepts a complete set', () => {
    expect(checkWechatCredentials(good)).toEqual([]);
  });

  it('names every bad field', () => {
    expect(checkWechatCredentials({ ...good, componentAppId: 'abc', componentAppSecret: '', authorizerRefreshToken: 3 })).toEqual([
      'componentAppId must look like a WeChat appid (wx...)',
      'componentAppSecret must be a non-empty string',
      'authorizerRefreshToken must be a non-empty string',
    ]);
    expect(checkWechatCredentials(null)).toEqual(['credentials must be an object']);
  });

  it('checks push secrets', () => {
    expect(checkWechatCallbackSecrets({ componentAppId: good.componentAppId, token: 't', encodingAesKey: 'a'.repeat(43) })).toEqual([]);
    expect(checkWechatCallbackSecrets({ componentAppId: 'x', token: '', encodingAesKey: 'short' })).toHaveLength(3);
  });
});
