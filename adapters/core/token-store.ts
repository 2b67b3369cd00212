/**
 * Where adapters keep host tokens (access tokens, rotated single-use refresh tokens).
 * Injected so the gateway can persist them (encrypted, shared by all instances) while tests use
 * memory. Keys are built by the adapter from host + app id; values are opaque strings.
 */
export interface TokenStore {
  get(key: string): Promise<{ value: string; expiresAt: Date | null } | null>;
  set(key: string, value: string, expiresAt: Date | null): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: runs `work` while this key is locked for every user of the store (several gateway
   * processes share one PostgreSQL store). `TokenCache` renews a token under it and reads the store
   * again inside it, so a single-use refresh token is spent by exactly one process at a time.
   * Stores without it are used by one process only, where `SingleFlight` already suffices.
   */
  withLock?<T>(key: string, work: () => Promise<T>): Promise<T>;
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

  /** A per-key mutex: callers of one key run one after the other (as the shared stores do across processes). */
  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }

  private readonly locks = new Map<string, Promise<void>>();
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

/** How many tokens a TokenCache keeps in memory (the oldest read is dropped beyond). */
const MEMO_LIMIT = 10_000;

/**
 * Host access tokens kept in a TokenStore and renewed ahead of expiry: a token is reused until
 * `marginMs` before it expires, one renewal per key runs at a time, and a token the host has
 * just refused is never handed out again. A token read from the store is also kept in memory
 * until that margin, so a call does not read the store again; a refused token, one past the
 * margin, and every read under the renewal lock go to the store (another process may have renewed
 * it there), and a renewal drops the kept token.
 */
export class TokenCache {
  private readonly flights = new SingleFlight();
  private readonly memo = new Map<string, { value: string; expiresAt: Date | null }>();

  constructor(
    private readonly store: TokenStore,
    private readonly now: () => Date,
    private readonly marginMs = 5 * 60_000,
  ) {}

  /** The stored token unless it is `refused` or expires within the margin; else what `renew` gets (and stores). */
  async renewOnce(key: string, refused: string | undefined, renew: () => Promise<string>): Promise<string> {
    const kept = this.memo.get(key);
    if (kept && kept.value !== refused && this.fresh(kept)) return kept.value;
    const cached = await this.usable(key, refused);
    if (cached) return cached;
    // Under the store's lock (when it has one) the store is read again: another process may have
    // renewed meanwhile, and its token (and rotated refresh token) must be used, not spent again.
    const locked = async () => {
      const stored = await this.usable(key, refused);
      if (stored) return stored;
      this.memo.delete(key);
      const renewed = await renew();
      // Kept again once read back from the store, with the expiry the renewal stored.
      this.memo.delete(key);
      return renewed;
    };
    return this.flights.run(key, () => (this.store.withLock ? this.store.withLock(key, locked) : locked()));
  }

  /** When a token issued now expires: `expiresIn` seconds as the host said, or `fallbackSeconds` when it did not. */
  expiry(expiresIn: unknown, fallbackSeconds: number): Date {
    const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : fallbackSeconds;
    return new Date(this.now().getTime() + seconds * 1000);
  }

  private fresh(entry: { expiresAt: Date | null }): boolean {
    return !entry.expiresAt || entry.expiresAt.getTime() - this.marginMs > this.now().getTime();
  }

  private async usable(key: string, refused?: string): Promise<string | null> {
    const entry = await this.store.get(key);
    this.memo.delete(key);
    if (!entry || entry.value === refused || !this.fresh(entry)) return null;
    if (this.memo.size >= MEMO_LIMIT) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, { value: entry.value, expiresAt: entry.expiresAt });
    return entry.value;
  }
}
