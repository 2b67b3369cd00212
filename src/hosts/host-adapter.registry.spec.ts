import { describe, expect, it } from '@jest/globals';
import { createHttpTransport, HOST_IDS, InMemoryTokenStore, type AdapterOptions, type HostId } from '../../adapters/core/index.js';
import { buildHostAdapters, HOST_ADAPTER_FACTORIES, HOST_REGISTRY, hostAdapterFactory } from './host-adapter.registry.js';

const options = (baseUrl = 'http://127.0.0.1:9'): AdapterOptions => ({
  baseUrl,
  http: createHttpTransport(),
  tokenStore: new InMemoryTokenStore(),
  timeoutMs: 1_000,
});
const registered = Object.keys(HOST_ADAPTER_FACTORIES) as HostId[];

describe('HOST_ADAPTER_FACTORIES', () => {
  it('lists a factory for every host id, in HOST_IDS order', () => {
    expect(registered).toEqual([...HOST_IDS]);
  });

  it('files each factory under its own host id, with a profile', () => {
    for (const id of registered) {
      const f = hostAdapterFactory(id);
      expect(f.hostId).toBe(id);
      expect(f.profile.displayName.trim()).not.toBe('');
      expect(f.profile.limits.length).toBeGreaterThan(0);
    }
  });
});

describe('HOST_REGISTRY', () => {
  it('gives every host a production base URL its factory accepts, and a sandbox of the same host', () => {
    for (const id of registered) {
      const { factory, productionBaseUrl } = HOST_REGISTRY[id];
      const createSandbox = () => HOST_REGISTRY[id].createSandbox();
      expect(() => factory.validateOptions(options(productionBaseUrl))).not.toThrow();
      expect(new URL(productionBaseUrl).protocol).toBe('https:');
      expect(createSandbox().hostId).toBe(id);
    }
  });
});

describe('buildHostAdapters', () => {
  it('builds an adapter for each host given options, and only those', () => {
    const [first] = registered;
    const adapters = buildHostAdapters({ [first]: options() });
    expect(Object.keys(adapters)).toEqual([first]);
    expect(adapters[first]?.hostId).toBe(first);
  });

  it('builds every registered host', () => {
    const adapters = buildHostAdapters(Object.fromEntries(registered.map((id) => [id, options()])));
    expect(Object.values(adapters).map((a) => a?.hostId)).toEqual(registered);
  });

  it('fails at boot with one message naming every host whose options are unusable', () => {
    const all = Object.fromEntries(registered.map((id) => [id, options('not a url')]));
    const error = (() => {
      try {
        buildHostAdapters(all);
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^Host adapter options are unusable:\n- /);
    for (const id of registered) expect(error?.message).toContain(`\n- ${id}: `);
  });

  it('refuses a host nobody registered instead of ignoring it', () => {
    expect(() => buildHostAdapters({ ['LINE' as HostId]: options() })).toThrow('LINE: no adapter is registered for this host');
  });

  it('refuses a negative deadline and a missing transport for every host', () => {
    for (const id of registered) {
      expect(() => buildHostAdapters({ [id]: { ...options(), timeoutMs: -1 } })).toThrow(`- ${id}: `);
      expect(() => buildHostAdapters({ [id]: { ...options(), http: undefined as never } })).toThrow(`- ${id}: `);
    }
  });
});
