import { randomHex } from './sandbox-crypto.js';
import { SANDBOX_ERRNO, SandboxNativeError } from './sandbox-errors.js';

// B1: TP token 30 days, app token 1 hour, refresh token 10 years and single use.
export const TP_TOKEN_SECONDS = 2_592_000;
export const APP_TOKEN_SECONDS = 3_600;

interface Issued {
  kind: 'tp' | 'app';
  appId: string | null;
  expiresAt: number;
}

/** Tickets, access tokens and single-use refresh tokens, with the prefixes of the doc examples (B1). */
export class SandboxTokens {
  private readonly issued = new Map<string, Issued>();
  private readonly refresh = new Map<string, string>(); // live refresh token -> app id
  private readonly spent = new Set<string>();
  private tickets: string[] = [];

  constructor(private readonly now: () => number) {}

  /** A new ticket; the previous one stays valid so a push in flight does not break token requests. */
  newTicket(): string {
    const ticket = `ticket-${randomHex(32)}`;
    this.tickets = [ticket, ...this.tickets].slice(0, 2);
    return ticket;
  }

  ticketValid(ticket: string | undefined): boolean {
    return ticket !== undefined && this.tickets.includes(ticket);
  }

  issue(kind: 'tp' | 'app', appId: string | null): { token: string; expiresIn: number } {
    const seconds = kind === 'tp' ? TP_TOKEN_SECONDS : APP_TOKEN_SECONDS;
    const issuedAt = Math.floor(this.now() / 1000);
    const token = `${kind === 'tp' ? 42 : 45}.${randomHex(32)}.${seconds}.${issuedAt}.${randomHex(24)}`;
    this.issued.set(token, { kind, appId, expiresAt: this.now() + seconds * 1000 });
    return { token, expiresIn: seconds };
  }

  /** The app id an access token acts for (null for a TP token); 110 unknown, 111 expired. */
  check(token: string | undefined, kind: 'tp' | 'app'): string | null {
    const t = token ? this.issued.get(token) : undefined;
    if (!t || t.kind !== kind) throw new SandboxNativeError(SANDBOX_ERRNO.tokenInvalid);
    if (t.expiresAt <= this.now()) throw new SandboxNativeError(SANDBOX_ERRNO.tokenExpired);
    return t.appId;
  }

  newRefreshToken(appId: string): string {
    const token = `46.${randomHex(32)}.315360000.${Math.floor(this.now() / 1000)}.${randomHex(24)}`;
    this.refresh.set(token, appId);
    return token;
  }

  /** Spends a refresh token and returns its app id and the next one; a spent or unknown token gives null. */
  rotate(token: string | undefined): { appId: string; next: string } | null {
    const appId = token ? this.refresh.get(token) : undefined;
    if (!token || !appId) return null;
    this.refresh.delete(token);
    this.spent.add(token);
    return { appId, next: this.newRefreshToken(appId) };
  }

  wasSpent(token: string): boolean {
    return this.spent.has(token);
  }

  /** Every access token issued so far stops working (the expireTokens fault). */
  expireAll(): void {
    const past = this.now() - 1;
    for (const t of this.issued.values()) t.expiresAt = Math.min(t.expiresAt, past);
  }
}
