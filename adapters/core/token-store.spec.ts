import { describe, expect, it } from '@jest/globals';
import { InMemoryTokenStore, SingleFlight, TokenCache } from './token-store.js';

describe('InMemoryTokenStore', () => {
  it('returns a value until its expiry, then nothing', async () => {
    let now = new Date('2024-05-01T00:00:00Z');
    const store = new InMemoryTokenStore(() => now);
    await store.set('wechat:wx1', 'token-a', new Date('2024-05-01T02:00:00Z'));
    expect(await store.get('wechat:wx1')).toEqual({ value: 'token-a', expiresAt: new Date('2024-05-01T02:00:00Z') });
    now = new Date('2024-05-01T01:59:59.999Z');
    expect((await store.get('wechat:wx1'))?.value).toBe('token-a');
    now = new Date('2024-05-01T02:00:00Z');
    expect(await store.get('wechat:wx1')).toBeNull();
    // Expired entries are gone for good, even if the clock went back.
    now = new Date('2024-05-01T00:00:00Z');
    expect(await store.get('wechat:wx1')).toBeNull();
  });

  it('keeps a value without expiry forever and deletes on request', async () => {
    const store = new InMemoryTokenStore(() => new Date('2999-01-01T00:00:00Z'));
    await store.set('baidu:refresh', 'refresh-1', null);
    expect(await store.get('baidu:refresh')).toEqual({ value: 'refresh-1', expiresAt: null });
    await store.delete('baidu:refresh');
    expect(await store.get('baidu:refresh')).toBeNull();
  });

  it('keeps keys apart and overwrites on set (a rotated refresh token replaces the old one)', async () => {
    const store = new InMemoryTokenStore();
    await store.set('a', '1', null);
    await store.set('b', '2', null);
    await store.set('a', '3', null);
    expect([(await store.get('a'))?.value, (await store.get('b'))?.value]).toEqual(['3', '2']);
    expect(await store.get('missing')).toBeNull();
  });
});

/** A promise whose settlement the test controls. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('gives concurrent callers of one key the same promise and runs the work once', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => (runs++, gate.promise);
    const calls = Array.from({ length: 5 }, () => flight.run('token:wx1', work));
    expect(new Set(calls).size).toBe(1);
    gate.resolve('fresh');
    expect(await Promise.all(calls)).toEqual(Array(5).fill('fresh'));
    expect(runs).toBe(1);
  });

  it('runs different keys independently', async () => {
    const flight = new SingleFlight();
    const [a, b] = [flight.run('a', async () => 'A'), flight.run('b', async () => 'B')];
    expect(a).not.toBe(b);
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
  });

  it('runs again after a success has settled', async () => {
    const flight = new SingleFlight();
    let runs = 0;
    await flight.run('k', async () => ++runs);
    expect(await flight.run('k', async () => ++runs)).toBe(2);
  });

  it('shares a failure with every waiter, then clears so the next call retries', async () => {
    const flight = new SingleFlight();
    const gate = deferred<string>();
    const first = flight.run('k', () => gate.promise);
    const second = flight.run('k', async () => 'never');
    gate.reject(new Error('token endpoint down'));
    await expect(first).rejects.toThrow('token endpoint down');
    await expect(second).rejects.toThrow('token endpoint down');
    await expect(flight.run('k', async () => 'recovered')).resolves.toBe('recovered');
  });
});

describe('TokenCache', () => {
  it('reuses a token until the margin before expiry, renews once under concurrency, and never hands out a refused token', async () => {
    let now = 0;
    const clock = () => new Date(now);
    const store = new InMemoryTokenStore(clock);
    const cache = new TokenCache(store, clock, 60_000);
    let issued = 0;
    const renew = async () => {
      const token = `t${++issued}`;
      await store.set('k', token, cache.expiry(120, 7200));
      return token;
    };
    expect(await Promise.all([cache.renewOnce('k', undefined, renew), cache.renewOnce('k', undefined, renew)])).toEqual(['t1', 't1']);
    now = 59_000;
    expect(await cache.renewOnce('k', undefined, renew)).toBe('t1');
    now = 60_000; // within the last minute: renewed ahead of expiry
    expect(await cache.renewOnce('k', undefined, renew)).toBe('t2');
    expect(await cache.renewOnce('k', 't2', renew)).toBe('t3');
    expect(cache.expiry(undefined, 10).getTime()).toBe(now + 10_000);
  });
});

describe('TokenCache in memory', () => {
  /** An InMemoryTokenStore that counts its reads, standing for the shared store every read of which is a round trip. */
  function countingStore(clock: () => Date) {
    const store = new InMemoryTokenStore(clock);
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (key: string) => (reads++, get(key));
    return { store, reads: () => reads };
  }

  it('reads the store once per token until the margin before its expiry, then again', async () => {
    let now = 0;
    const clock = () => new Date(now);
    const { store, reads } = countingStore(clock);
    const cache = new TokenCache(store, clock, 60_000);
    await store.set('k', 'stored', new Date(120_000));
    const never = () => Promise.reject(new Error('no renewal expected'));
    expect(await cache.renewOnce('k', undefined, never)).toBe('stored');
    now = 59_000;
    expect(await cache.renewOnce('k', undefined, never)).toBe('stored');
    expect(reads()).toBe(1);
    now = 60_000;
    expect(await cache.renewOnce('k', undefined, async () => (await store.set('k', 'renewed', new Date(now + 120_000)), 'renewed'))).toBe('renewed');
    expect(reads()).toBeGreaterThan(1);
    const afterRenewal = reads();
    // The renewed token is read back once (with its expiry), then kept.
    expect(await cache.renewOnce('k', undefined, never)).toBe('renewed');
    expect(await cache.renewOnce('k', undefined, never)).toBe('renewed');
    expect(reads()).toBe(afterRenewal + 1);
  });

  it('goes to the store for a refused token and takes what another process renewed there', async () => {
    const clock = () => new Date(0);
    const { store, reads } = countingStore(clock);
    const cache = new TokenCache(store, clock, 60_000);
    await store.set('k', 'old', new Date(3_600_000));
    const never = () => Promise.reject(new Error('no renewal expected'));
    expect(await cache.renewOnce('k', undefined, never)).toBe('old');
    // Another process renewed it; the kept token goes on being used until the host refuses it.
    await store.set('k', 'theirs', new Date(3_600_000));
    expect(await cache.renewOnce('k', undefined, never)).toBe('old');
    expect(await cache.renewOnce('k', 'old', never)).toBe('theirs');
    expect(await cache.renewOnce('k', undefined, never)).toBe('theirs');
    expect(reads()).toBe(2);
  });
});

describe('TokenCache with a locking store', () => {
  it('renews under the store lock and reads the store again inside it (another process renewed first)', async () => {
    const store = new InMemoryTokenStore();
    const cacheA = new TokenCache(store, () => new Date());
    const cacheB = new TokenCache(store, () => new Date());
    const gate = deferred<void>();
    let renewals = 0;
    const renew = (value: string) => async () => {
      renewals++;
      await gate.promise;
      await store.set('k', value, null);
      return value;
    };
    // Two caches stand for two processes: their SingleFlights do not see each other, the lock does.
    const first = cacheA.renewOnce('k', undefined, renew('from-a'));
    const second = cacheB.renewOnce('k', undefined, renew('from-b'));
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual(['from-a', 'from-a']);
    expect(renewals).toBe(1);
  });

  it('lets the next holder in when a renewal fails', async () => {
    const store = new InMemoryTokenStore();
    const cache = new TokenCache(store, () => new Date());
    await expect(cache.renewOnce('k', undefined, () => Promise.reject(new Error('host down')))).rejects.toThrow('host down');
    await expect(cache.renewOnce('k', undefined, async () => (await store.set('k', 'ok', null), 'ok'))).resolves.toBe('ok');
  });
});
