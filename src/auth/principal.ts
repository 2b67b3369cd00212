/** Who is calling: the operator (GATEWAY_ADMIN_KEY) or one organization's API key. */
export type Principal = { kind: 'operator' } | { kind: 'apiKey'; keyId: string; organizationId: string; scopes: readonly string[] };

export function organizationOf(principal: Principal): string | null {
  return principal.kind === 'apiKey' ? principal.organizationId : null;
}
