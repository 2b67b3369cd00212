import type { Principal } from './principal.js';

/** What a key (an organization's or a partner's) resolves to. */
export type KeyPrincipal = Exclude<Principal, { kind: 'operator' }>;

interface Entry {
  principal: KeyPrincipal;
  expiresAt: number;
}

/**
 * Resolved API keys by hash, so a request needs no key lookup in the database. Entries live
 * `ttlMs` at most; a revocation removes the key's entries (`forgetKey`), a lost notification
 * connection removes all (`clear`). A lookup that was running while either happened may have
 * read the key before it changed, so `set` only keeps a result whose lookup started in the
 * current generation.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private current = 0;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Pass the value read before a lookup to `set` after it. */
  get generation(): number {
    return this.current;
  }

  get(hash: string): KeyPrincipal | null {
    const entry = this.entries.get(hash);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(hash);
      return null;
    }
    return entry.principal;
  }

  set(hash: string, principal: KeyPrincipal, generation: number): void {
    if (generation !== this.current) return;
    if (!this.entries.has(hash) && this.entries.size >= this.maxEntries) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, { principal, expiresAt: this.now() + this.ttlMs });
  }

  forgetKey(keyId: string): void {
    this.current++;
    for (const [hash, entry] of this.entries) if (entry.principal.keyId === keyId) this.entries.delete(hash);
  }

  /** Drops every key of a disabled partner. */
  forgetPartner(partnerId: string): void {
    this.current++;
    for (const [hash, entry] of this.entries) if (entry.principal.kind === 'partner' && entry.principal.partnerId === partnerId) this.entries.delete(hash);
  }

  clear(): void {
    this.current++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
