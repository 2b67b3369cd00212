import { describe, expect, it } from '@jest/globals';
import { createHttpTransport, InMemoryTokenStore, type AdapterOptions } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import { baiduAdapterFactory } from './baidu.factory.js';
import { BAIDU_CAPABILITIES, BAIDU_PROFILE } from './baidu.profile.js';

const options = (over: Partial<AdapterOptions> = {}): AdapterOptions => ({
  baseUrl: 'http://127.0.0.1:9',
  http: createHttpTransport(),
  tokenStore: new InMemoryTokenStore(),
  ...over,
});

describe('baiduAdapterFactory', () => {
  it('builds an adapter with the documented capabilities', () => {
    const adapter = baiduAdapterFactory.create(options());
    expect(adapter).toBeInstanceOf(BaiduAdapter);
    expect(adapter.hostId).toBe('BAIDU');
    expect(adapter.capabilities).toEqual({
      grayRelease: null,
      rollback: true,
      withdrawReview: true,
      speedUpReview: false,
      analytics: true,
      reviewPushes: true,
      basicInfoSync: false,
      artifactKinds: ['TEMPLATE'],
    });
    expect(adapter.capabilities).toBe(BAIDU_CAPABILITIES);
  });

  it('refuses unusable options at boot, naming each problem', () => {
    expect(() => baiduAdapterFactory.validateOptions(options({ baseUrl: 'not a url' }))).toThrow(/baseUrl is not a URL/);
    expect(() => baiduAdapterFactory.validateOptions(options({ baseUrl: 'ftp://127.0.0.1' }))).toThrow(/http\(s\)/);
    expect(() => baiduAdapterFactory.validateOptions(options({ baseUrl: 'http://127.0.0.1/?access_token=x' }))).toThrow(/query/);
    expect(() => baiduAdapterFactory.create(options({ timeoutMs: 0, tokenStore: undefined as never }))).toThrow(/tokenStore is required; timeoutMs/);
  });

  it('checks credentials through checkBaiduCredentials', () => {
    expect(baiduAdapterFactory.checkCredentials({ tpClientId: 'k', ticket: 't', appId: '16118475', refreshToken: 'r' })).toEqual([]);
    expect(baiduAdapterFactory.checkCredentials({ tpClientId: 'k' })).toHaveLength(3);
  });

  it('has a profile that maps every documented package and upload status and sources every limit', () => {
    const natives = BAIDU_PROFILE.statusMapping.map((m) => m.native.split(' (')[0]);
    expect(natives).toEqual(['upload_status 1', 'upload_status 3', 'status 1', 'status 3', 'status 4', 'status 5', 'status 6', 'status 8']);
    for (const l of BAIDU_PROFILE.limits) expect(l.source.length).toBeGreaterThan(0);
    expect(BAIDU_PROFILE.assumptions.join('\n')).toMatch(/40045.*40032.*69013/);
  });
});
