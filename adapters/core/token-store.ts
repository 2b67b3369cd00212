/**
 * Where adapters keep host tokens (access tokens, rotated single-use refresh tokens).
 * Injected so the gateway can persist them (encrypted, shared by all instances) while tests use
 * memory. Keys are built by the adapter from host + app id; values are opaque strings.
 */
export interface TokenStore {
  get(key: string): Promise<{ value: string; expiresAt: Date | null } | null>;
  set(key: string, value: string, expiresAt: Date | null): Promise<void>;
  delete(key: string): Promise<void>;
}

export class InMemoryTokenStore implements TokenStore {
  private readonly entries = new Map<string, { value: string; expiresAt: Date | null }>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async get(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt && entry.expiresAt.getTime() <= this.now().getTime()) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  async set(key: string, value: string, expiresAt: Date | null) {
    this.entries.set(key, { value, expiresAt });
  }

  async delete(key: string) {
    this.entries.delete(key);
  }
}

/**
 * Runs one refresh per key at a time: concurrent callers share the same promise, so a burst of
 * calls after expiry causes a single token request.
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
