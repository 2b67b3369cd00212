import { randomAlnum } from './sandbox-crypto.js';
import { SandboxNativeError } from './sandbox-errors.js';

const TWO_HOURS_S = 7200;
const GRACE_MS = 5 * 60_000;

interface Issued {
  kind: 'component' | 'authorizer';
  appId: string | null;
  expiresAt: number;
}

/** Tickets and access tokens of the sandbox platform, with the lifetimes of alipay-baidu-bytedance.md C1. */
export class SandboxTokens {
  private readonly issued = new Map<string, Issued>();
  private componentOrder: string[] = [];
  private tickets: string[] = [];

  constructor(private readonly clock: () => number) {}

  /** A new pushed ticket; the previous one stays accepted (pushes may cross a token request). */
  newTicket(): string {
    const t = `ticket@@@${randomAlnum(40)}`;
    this.tickets = [t, ...this.tickets].slice(0, 2);
    return t;
  }

  checkTicket(ticket: unknown): void {
    if (typeof ticket !== 'string' || !this.tickets.includes(ticket)) throw new SandboxNativeError(40037);
  }

  /** C1 V2: a re-fetch leaves the previous token valid for 5 more minutes; only the latest two live. */
  issueComponent(): { token: string; expiresIn: number } {
    const now = this.clock();
    const [previous, ...older] = this.componentOrder;
    for (const t of older) this.issued.delete(t);
    const prev = previous ? this.issued.get(previous) : undefined;
    if (prev) prev.expiresAt = Math.min(prev.expiresAt, now + GRACE_MS);
    const token = `ctoken.${randomAlnum(40)}`;
    this.issued.set(token, { kind: 'component', appId: null, expiresAt: now + TWO_HOURS_S * 1000 });
    this.componentOrder = [token, ...(previous ? [previous] : [])];
    return { token, expiresIn: TWO_HOURS_S };
  }

  /** C1: a refresh clears the app's old access tokens. */
  issueAuthorizer(appId: string): { token: string; expiresIn: number } {
    for (const [t, i] of this.issued) if (i.kind === 'authorizer' && i.appId === appId) this.issued.delete(t);
    const token = `isvact.${randomAlnum(48)}`;
    this.issued.set(token, { kind: 'authorizer', appId, expiresAt: this.clock() + TWO_HOURS_S * 1000 });
    return { token, expiresIn: TWO_HOURS_S };
  }

  /** The app id behind a valid token of this kind (null for component tokens); 28001008 otherwise. */
  check(token: string | undefined, kind: Issued['kind']): string | null {
    const i = token ? this.issued.get(token) : undefined;
    if (!i || i.kind !== kind || i.expiresAt <= this.clock()) throw new SandboxNativeError(28001008);
    return i.appId;
  }

  /** Every token issued so far stops working (the expireTokens fault). */
  expireAll(): void {
    for (const i of this.issued.values()) i.expiresAt = 0;
  }
}
