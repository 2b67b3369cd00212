import { ApiKeyCache, type KeyPrincipal } from './api-key.cache.js';

const principal = (keyId: string): KeyPrincipal => ({ kind: 'apiKey', keyId, organizationId: 'org-1', scopes: ['catalog:read'] });

describe('ApiKeyCache', () => {
  let now: number;
  const cache = (ttlMs = 1000, max = 100) => new ApiKeyCache(ttlMs, max, () => now);
  beforeEach(() => {
    now = 0;
  });

  it('returns a stored key until its time to live has passed', () => {
    const c = cache(1000);
    c.set('h1', principal('k1'), c.generation);
    now = 999;
    expect(c.get('h1')).toEqual(principal('k1'));
    now = 1000;
    expect(c.get('h1')).toBeNull();
    expect(c.size).toBe(0);
  });

  it('forgets every entry of a revoked key and nothing else', () => {
    const c = cache();
    c.set('h1', principal('k1'), c.generation);
    c.set('h2', principal('k2'), c.generation);
    c.forgetKey('k1');
    expect(c.get('h1')).toBeNull();
    expect(c.get('h2')).toEqual(principal('k2'));
  });

  it('forgets every key of a disabled partner, and no organization key or other partner', () => {
    const c = cache();
    const partnerKey = (keyId: string, partnerId: string): KeyPrincipal => ({ kind: 'partner', keyId, partnerId, scopes: ['feed:read'] });
    c.set('p1a', partnerKey('pk1', 'p1'), c.generation);
    c.set('p1b', partnerKey('pk2', 'p1'), c.generation);
    c.set('p2', partnerKey('pk3', 'p2'), c.generation);
    c.set('h1', principal('k1'), c.generation);
    const before = c.generation;
    c.forgetPartner('p1');
    expect([c.get('p1a'), c.get('p1b')]).toEqual([null, null]);
    expect(c.get('p2')).toEqual(partnerKey('pk3', 'p2'));
    expect(c.get('h1')).toEqual(principal('k1'));
    // A lookup that started before the disabling is not kept.
    c.set('p1a', partnerKey('pk1', 'p1'), before);
    expect(c.get('p1a')).toBeNull();
  });

  it('drops the result of a lookup that was running when a key was revoked', () => {
    const c = cache();
    const generation = c.generation; // lookup starts and reads the key as valid...
    c.forgetKey('k1'); // ...the revocation arrives meanwhile...
    c.set('h1', principal('k1'), generation); // ...and the stale answer is not kept.
    expect(c.get('h1')).toBeNull();
    c.set('h1', principal('k1'), c.generation);
    expect(c.get('h1')).toEqual(principal('k1'));
  });

  it('drops the result of a lookup that was running when everything was cleared', () => {
    const c = cache();
    c.set('h2', principal('k2'), c.generation);
    const generation = c.generation;
    c.clear();
    c.set('h1', principal('k1'), generation);
    expect(c.get('h1')).toBeNull();
    expect(c.get('h2')).toBeNull();
  });

  it('keeps at most its capacity, evicting the oldest entry', () => {
    const c = cache(1000, 2);
    c.set('h1', principal('k1'), c.generation);
    c.set('h2', principal('k2'), c.generation);
    c.set('h3', principal('k3'), c.generation);
    expect(c.size).toBe(2);
    expect(c.get('h1')).toBeNull();
    expect(c.get('h3')).toEqual(principal('k3'));
  });
});
