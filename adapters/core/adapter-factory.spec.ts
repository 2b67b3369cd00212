import { describe, expect, it } from '@jest/globals';
import { adapterOptionProblems, defineHostAdapterFactory } from './adapter-factory.js';
import type { AdapterOptions, HostAdapter, HostProfile } from './host-adapter.js';
import type { HttpTransport } from './http.js';
import { InMemoryTokenStore } from './token-store.js';

const http: HttpTransport = () => Promise.reject(new Error('unused'));
const good: AdapterOptions = { baseUrl: 'https://api.host.test', http, tokenStore: new InMemoryTokenStore() };
const profile: HostProfile = { displayName: 'Test host', limits: [], statusMapping: [], quirks: [], assumptions: [] };

describe('adapterOptionProblems', () => {
  it('accepts usable options', () => {
    expect(adapterOptionProblems(good, true)).toEqual([]);
  });

  it('names every unusable option', () => {
    const bad = { baseUrl: 'ftp://u:p@host.test/x?y=1', http: undefined, tokenStore: undefined, timeoutMs: -1 } as unknown as AdapterOptions;
    expect(adapterOptionProblems(bad, true)).toEqual([
      'baseUrl must be http(s)',
      'baseUrl must not carry a query, fragment or credentials',
      'http transport is required',
      'tokenStore is required',
      'timeoutMs must be a positive number',
    ]);
    expect(adapterOptionProblems({ ...good, baseUrl: 'nope' }, false)).toEqual(['baseUrl is not a URL: "nope"']);
  });

  it('does not ask for a token store from a host without tokens', () => {
    expect(adapterOptionProblems({ ...good, tokenStore: undefined } as unknown as AdapterOptions, false)).toEqual([]);
  });
});

describe('defineHostAdapterFactory', () => {
  const built: AdapterOptions[] = [];
  const factory = defineHostAdapterFactory<unknown>({
    hostId: 'WECHAT',
    label: 'Test',
    profile,
    needsTokenStore: true,
    build: (options) => (built.push(options), { hostId: 'WECHAT' } as HostAdapter<unknown>),
    checkCredentials: () => ['appId is missing'],
  });

  it('checks options before building, with one line naming the host', () => {
    expect(() => factory.create({ ...good, baseUrl: 'x' })).toThrow('Test adapter options: baseUrl is not a URL: "x"');
    expect(built).toHaveLength(0);
    expect(factory.create(good).hostId).toBe('WECHAT');
    expect(built).toEqual([good]);
    expect(factory.checkCredentials({})).toEqual(['appId is missing']);
    expect(factory.profile).toBe(profile);
  });
});
