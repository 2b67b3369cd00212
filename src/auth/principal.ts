import { GatewayError } from '../common/gateway-error.js';

/**
 * Who is calling: the operator (GATEWAY_ADMIN_KEY), one organization's API key, or one partner
 * platform's key. A partner belongs to no organization and reads only the feed (syndicated
 * listings across organizations); the guard refuses it everywhere else.
 */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'apiKey'; keyId: string; organizationId: string; scopes: readonly string[] }
  | { kind: 'partner'; keyId: string; partnerId: string; scopes: readonly string[] };

export type OrganizationPrincipal = Extract<Principal, { kind: 'apiKey' }>;
export type PartnerPrincipal = Extract<Principal, { kind: 'partner' }>;

/**
 * The organization whose rows the caller may see: its own for an organization key, null (all)
 * for the operator. A partner key has no organization and must never reach code that asks: it
 * is refused here rather than read as "all" (the guard refuses it before, this is the backstop).
 */
export function organizationOf(principal: Principal): string | null {
  if (principal.kind === 'partner') throw new GatewayError('FORBIDDEN', 'A partner key reads only the feed (listings, changes) and viewer');
  return principal.kind === 'apiKey' ? principal.organizationId : null;
}
