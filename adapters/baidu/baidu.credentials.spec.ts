import { describe, expect, it } from '@jest/globals';
import { checkBaiduCallbackSecrets, checkBaiduCredentials } from './baidu.credentials.js';

const valid = { tpClientId: 'tpKey123', ticket: 'ticket-1', appId: '16118475', refreshToken: '46.abc' };

describe('Baidu credentials', () => {
  it('accepts a complete set', () => {
    expect(checkBaiduCredentials(valid)).toEqual([]);
  });

  it('names every missing or malformed field', () => {
    expect(checkBaiduCredentials({ ...valid, ticket: '', appId: 'wx123', refreshToken: 'a b' })).toEqual([
      'ticket must be a non-empty string',
      'appId must be a numeric Baidu app id',
      'refreshToken must not contain spaces',
    ]);
    expect(checkBaiduCredentials(null)).toEqual(['credentials must be an object']);
    expect(checkBaiduCredentials({})).toHaveLength(4);
  });

  it('checks callback secrets, including the 43-character EncodingAESKey', () => {
    const secrets = { tpAppId: '90000001', token: 't', encodingAesKey: 'a'.repeat(43) };
    expect(checkBaiduCallbackSecrets(secrets)).toEqual([]);
    expect(checkBaiduCallbackSecrets({ ...secrets, encodingAesKey: 'a'.repeat(42), tpAppId: '' })).toEqual([
      'tpAppId must be a non-empty string',
      'encodingAesKey must be 43 letters or digits',
    ]);
  });
});
