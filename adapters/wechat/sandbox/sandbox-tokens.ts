import { randomAlnum } from './sandbox-crypto.js';
import { SandboxNativeError } from './sandbox-errors.js';

const TOKEN_TTL_S = 7200; // wechat.md §1.3
const TICKET_TTL_MS = 12 * 3600_000;

interface Issued {
  kind: 'component' | 'authorizer';
  appId: string | null;
  expiresAt: number;
}

/** Access tokens and verify tickets the sandbox issued, with their lifetimes. */
export class SandboxTokens {
  private readonly tokens = new Map<string, Issued>();
  private readonly tickets = new Map<string, number>();
  /** Token requests answered with a token, by kind (tests count them). */
  readonly issuedCount = { component: 0, authorizer: 0 };

  constructor(private readonly now: () => number) {}

  issue(kind: Issued['kind'], appId: string | null): { token: string; expiresIn: number } {
    const token = `${kind === 'component' ? 'c' : 'a'}69_${randomAlnum(40)}`;
    this.tokens.set(token, { kind, appId, expiresAt: this.now() + TOKEN_TTL_S * 1000 });
    this.issuedCount[kind]++;
    return { token, expiresIn: TOKEN_TTL_S };
  }

  /** The app id an authorizer token acts for (null for a component token), or the native error. */
  check(token: string | undefined, kind: Issued['kind']): string | null {
    if (!token) throw new SandboxNativeError(41001);
    const issued = this.tokens.get(token);
    if (!issued) throw new SandboxNativeError(40001);
    if (issued.expiresAt <= this.now()) throw new SandboxNativeError(42001);
    // §3 48001: the wrong kind of token for this API.
    if (issued.kind !== kind) throw new SandboxNativeError(48001);
    return issued.appId;
  }

  /** Every token issued so far stops working, as after its expiry. */
  expireAll(): void {
    const past = this.now() - 1;
    for (const issued of this.tokens.values()) issued.expiresAt = Math.min(issued.expiresAt, past);
  }

  newTicket(): string {
    const ticket = `ticket@@@${randomAlnum(60)}`;
    this.tickets.set(ticket, this.now());
    return ticket;
  }

  checkTicket(ticket: unknown): void {
    const at = typeof ticket === 'string' ? this.tickets.get(ticket) : undefined;
    if (at === undefined) throw new SandboxNativeError(61006);
    if (this.now() - at > TICKET_TTL_MS) throw new SandboxNativeError(61005);
  }
}
