import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES, createHttpTransport, InMemoryTokenStore, type AdapterOptions } from '../core/index.js';
import { wechatAdapterFactory } from './wechat.factory.js';
import { WECHAT_PRODUCTION_BASE_URL } from './wechat.profile.js';

const options = (over: Partial<AdapterOptions> = {}): AdapterOptions => ({
  baseUrl: 'http://127.0.0.1:9',
  http: createHttpTransport(),
  tokenStore: new InMemoryTokenStore(),
  ...over,
});

describe('wechatAdapterFactory', () => {
  it('accepts http(s) base URLs and builds an adapter with the documented capabilities', () => {
    expect(() => wechatAdapterFactory.validateOptions(options())).not.toThrow();
    expect(() => wechatAdapterFactory.validateOptions(options({ baseUrl: WECHAT_PRODUCTION_BASE_URL }))).not.toThrow();
    const adapter = wechatAdapterFactory.create(options());
    expect(adapter.hostId).toBe('WECHAT');
    expect(adapter.capabilities.grayRelease).toEqual({ allowedPercentages: null, min: 1, max: 100, mustIncrease: true, cancellable: true });
    expect(adapter.capabilities.artifactKinds).toEqual(['TEMPLATE']);
  });

  it('refuses unusable options at boot, naming each problem', () => {
    expect(() => wechatAdapterFactory.validateOptions(options({ baseUrl: 'ftp://127.0.0.1' }))).toThrow(/http\(s\)/);
    expect(() => wechatAdapterFactory.validateOptions(options({ baseUrl: 'not a url' }))).toThrow(/not a URL/);
    expect(() => wechatAdapterFactory.validateOptions(options({ baseUrl: 'http://127.0.0.1/?access_token=x' }))).toThrow(/query/);
    expect(() => wechatAdapterFactory.validateOptions(options({ timeoutMs: 0, tokenStore: undefined as never }))).toThrow(/tokenStore is required; timeoutMs/);
  });

  it('checks credentials field by field', () => {
    expect(wechatAdapterFactory.checkCredentials({})).toHaveLength(5);
  });

  it('publishes a profile with sourced limits, the five audit statuses and its assumptions', () => {
    const p = wechatAdapterFactory.profile;
    expect(p.limits.every((l) => l.source.startsWith('shared/hosts/wechat.md'))).toBe(true);
    expect(p.statusMapping.map((s) => s.normalized)).toEqual(['APPROVED', 'REJECTED', 'IN_REVIEW', 'WITHDRAWN', 'IN_REVIEW']);
    expect(p.assumptions.length).toBeGreaterThanOrEqual(5);
    expect(CANONICAL_CATEGORIES.length).toBeGreaterThan(0);
  });
});
