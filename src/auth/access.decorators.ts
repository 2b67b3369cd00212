import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Principal } from './principal.js';
import { Scope } from './scopes.js';

export const ACCESS_RULE = 'gateway:access';

/**
 * Who may call a resolver: an organization key holding `scope`, and/or the operator key, and a
 * partner key (holding `scope` too) only where `partner` says 'allowed': partners are refused
 * from everything that does not opt in.
 */
export interface AccessRule {
  scope: Scope | null;
  operator: 'allowed' | 'only' | 'refused';
  partner?: 'allowed';
}

/** An organization key with this scope (the operator key is refused: it belongs to no organization). */
export const RequireScope = (scope: Scope) => SetMetadata(ACCESS_RULE, { scope, operator: 'refused' } satisfies AccessRule);

/** The operator key, or an organization key with this scope. */
export const RequireOperatorOrScope = (scope: Scope) => SetMetadata(ACCESS_RULE, { scope, operator: 'allowed' } satisfies AccessRule);

/** The operator key only. */
export const RequireOperator = () => SetMetadata(ACCESS_RULE, { scope: null, operator: 'only' } satisfies AccessRule);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const req = GqlExecutionContext.create(context).getContext<{ req: { principal?: Principal } }>().req;
  if (!req.principal) throw new Error('resolver has no access rule');
  return req.principal;
});

/** Any valid key (operator, organization or partner), whatever its scopes. */
export const RequireAnyKey = () => SetMetadata(ACCESS_RULE, { scope: null, operator: 'allowed', partner: 'allowed' } satisfies AccessRule);

/** The feed: a partner key or an organization key, either with FEED_READ (the operator key is refused: it reads no feed). */
export const RequireFeedRead = () => SetMetadata(ACCESS_RULE, { scope: Scope.FEED_READ, operator: 'refused', partner: 'allowed' } satisfies AccessRule);

/** The sentence every query and mutation description carries for its access rule (checked by a spec). */
export function describeAccess(rule: AccessRule): string {
  if (rule.operator === 'only') return 'Needs the operator key.';
  if (rule.scope === null) return 'Needs any valid key.';
  const scopeName = Object.entries(Scope).find(([, value]) => value === rule.scope)?.[0] ?? rule.scope;
  if (rule.partner === 'allowed') return `Needs a partner key or an organization key with ${scopeName}.`;
  return rule.operator === 'allowed' ? `Needs the operator key or an organization key with ${scopeName}.` : `Needs an organization key with ${scopeName}.`;
}
