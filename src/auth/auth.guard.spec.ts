import { describe, expect, it, jest } from '@jest/globals';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { GatewayError } from '../common/gateway-error.js';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_RULE, CurrentPrincipal, RequireAnyKey, RequireFeedRead, RequireOperator, RequireOperatorOrScope, RequireScope } from './access.decorators.js';
import type { ApiKeyService } from './api-key.service.js';
import { AuthGuard } from './auth.guard.js';
import { RequestAuthenticator } from './request-authenticator.js';
import type { Principal } from './principal.js';
import { Scope } from './scopes.js';

// One resolver per kind of access rule, plus one that forgot its rule.
class Resolvers {
  @RequireScope(Scope.CATALOG_READ) scoped() {}
  @RequireOperatorOrScope(Scope.ADMIN) operatorOrAdmin() {}
  @RequireOperator() operatorOnly() {}
  @RequireAnyKey() anyKey() {}
  @RequireFeedRead() feed() {}
  noRule() {}
}

@RequireOperator()
class OperatorResolvers {
  inherited() {}
  @RequireAnyKey() ownRule() {}
}

const OPERATOR_KEY = 'operator-key-0123456789abcdef';
const orgKey = (scopes: string[]): Principal => ({ kind: 'apiKey', keyId: `key-${scopes.join('+') || 'none'}`, organizationId: 'org-1', scopes });
const KEYS: Record<string, Principal> = {
  [OPERATOR_KEY]: { kind: 'operator' },
  'key-catalog-read': orgKey([Scope.CATALOG_READ]),
  'key-catalog-write': orgKey([Scope.CATALOG_WRITE]),
  'key-admin': orgKey([Scope.ADMIN]),
  'key-publish': orgKey([Scope.PUBLISH, Scope.FEED_READ]),
  'key-none': orgKey([]),
  'key-feed': orgKey([Scope.FEED_READ]),
  'mpp-partner': { kind: 'partner', keyId: 'partner-key-1', partnerId: 'partner-1', scopes: [Scope.FEED_READ] },
  'mpp-partner-no-scope': { kind: 'partner', keyId: 'partner-key-2', partnerId: 'partner-1', scopes: [] },
};

type Req = { headers: Record<string, string | undefined>; principal?: Principal };

function setup() {
  const resolve = jest.fn(async (plain: string) => KEYS[plain] ?? null);
  const guard = new AuthGuard(new Reflector(), new RequestAuthenticator({ resolve } as unknown as ApiKeyService));
  const context = (cls: new () => object, method: string, req: Req, type = 'graphql') => {
    const handler = (cls.prototype as Record<string, () => void>)[method];
    const host = new ExecutionContextHost([{}, {}, { req }, {}], cls as never, handler);
    host.setType(type);
    return host;
  };
  const outcome = async (cls: new () => object, method: string, req: Req): Promise<string> => {
    try {
      expect(await guard.canActivate(context(cls, method, req))).toBe(true);
      return 'allowed';
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      return `${err.code}: ${err.message}`;
    }
  };
  const as = (key: string | null, cls: new () => object, method: string) =>
    outcome(cls, method, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
  return { guard, resolve, context, outcome, as };
}

const NO_RULE = 'FORBIDDEN: This operation declares no access rule';
const NOT_OPERATOR = 'FORBIDDEN: The operator key belongs to no organization; use an organization API key';
const ONLY_OPERATOR = 'FORBIDDEN: Only the operator key may do this';
const lacks = (scope: Scope) => `FORBIDDEN: This API key lacks the scope ${scope}`;
const FEED_ONLY = 'FORBIDDEN: A partner key reads only the feed (listings, changes) and viewer';

describe('AuthGuard: every rule kind against every kind of caller', () => {
  // Rows: callers; columns: scoped (catalog:read, no operator), operator or admin, operator only, any key, feed (partner or feed:read).
  type Row = [string, string, string, string, string];
  const MATRIX: Array<[string, string | null, Row]> = [
    ['the operator', OPERATOR_KEY, [NOT_OPERATOR, 'allowed', 'allowed', 'allowed', NOT_OPERATOR]],
    ['a catalog:read key (implies feed:read)', 'key-catalog-read', ['allowed', lacks(Scope.ADMIN), ONLY_OPERATOR, 'allowed', 'allowed']],
    ['a catalog:write key (implies catalog:read and feed:read)', 'key-catalog-write', ['allowed', lacks(Scope.ADMIN), ONLY_OPERATOR, 'allowed', 'allowed']],
    ['an admin key (implies every scope)', 'key-admin', ['allowed', 'allowed', ONLY_OPERATOR, 'allowed', 'allowed']],
    ['a key with other scopes only', 'key-publish', [lacks(Scope.CATALOG_READ), lacks(Scope.ADMIN), ONLY_OPERATOR, 'allowed', 'allowed']],
    ['a key with no scope', 'key-none', [lacks(Scope.CATALOG_READ), lacks(Scope.ADMIN), ONLY_OPERATOR, 'allowed', lacks(Scope.FEED_READ)]],
    ['an organization feed:read key', 'key-feed', [lacks(Scope.CATALOG_READ), lacks(Scope.ADMIN), ONLY_OPERATOR, 'allowed', 'allowed']],
    ['a partner key', 'mpp-partner', [FEED_ONLY, FEED_ONLY, ONLY_OPERATOR, 'allowed', 'allowed']],
    ['a partner key without feed:read', 'mpp-partner-no-scope', [FEED_ONLY, FEED_ONLY, ONLY_OPERATOR, 'allowed', lacks(Scope.FEED_READ)]],
    ['an unknown or revoked key', 'mpg_unknown', Array(5).fill('UNAUTHENTICATED: Unknown or revoked API key') as Row],
    ['no key at all', null, Array(5).fill('UNAUTHENTICATED: Missing API key: send Authorization: Bearer <key>') as Row],
  ];

  it.each(MATRIX)('answers %s as the rules say', async (_who, key, expected) => {
    const { as } = setup();
    const got = [];
    for (const method of ['scoped', 'operatorOrAdmin', 'operatorOnly', 'anyKey', 'feed']) got.push(await as(key, Resolvers, method));
    expect(got).toEqual(expected);
  });

  it('fails closed: a resolver without a rule is refused to every caller, before any key is looked up', async () => {
    const { as, resolve } = setup();
    for (const key of [null, 'mpg_unknown', ...Object.keys(KEYS)]) expect(await as(key, Resolvers, 'noRule')).toBe(NO_RULE);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('takes a rule set on the resolver class, and lets a method rule override it', async () => {
    const { as } = setup();
    expect(await as('key-admin', OperatorResolvers, 'inherited')).toBe(ONLY_OPERATOR);
    expect(await as(OPERATOR_KEY, OperatorResolvers, 'inherited')).toBe('allowed');
    expect(await as('key-none', OperatorResolvers, 'ownRule')).toBe('allowed');
  });
});

describe('AuthGuard: reading the key', () => {
  it.each([
    ['Bearer key-admin', 'allowed'],
    ['bearer key-admin', 'allowed'],
    ['BEARER   key-admin', 'allowed'],
    // Surrounding white space is trimmed; inside, only spaces separate the scheme from the key.
    ['Bearer key-admin ', 'allowed'],
    ['', 'UNAUTHENTICATED: Missing API key: send Authorization: Bearer <key>'],
    ['Bearer\tkey-admin', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['Bearer', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['Bearer ', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['Basic key-admin', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['key-admin', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['XBearer key-admin', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['Bearer key-admin extra', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
    ['Bearer key-\u00e9', 'UNAUTHENTICATED: Malformed Authorization header: expected "Bearer <key>" with the key in printable ASCII'],
  ])('reads %j as %s', async (authorization, expected) => {
    const { outcome } = setup();
    expect(await outcome(Resolvers, 'operatorOrAdmin', { headers: { authorization } })).toBe(expected);
  });

  it('looks up exactly the key that follows Bearer', async () => {
    const { as, resolve } = setup();
    await as('key-none', Resolvers, 'anyKey');
    expect(resolve.mock.calls).toEqual([['key-none']]);
  });

  it('resolves the key once per request and keeps the caller on the request', async () => {
    const { guard, context, resolve } = setup();
    const req: Req = { headers: { authorization: 'Bearer key-admin' } };
    await guard.canActivate(context(Resolvers, 'anyKey', req));
    await guard.canActivate(context(Resolvers, 'scoped', req));
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(req.principal).toEqual(KEYS['key-admin']);
  });

  it('judges a caller already on the request without looking the key up again', async () => {
    const { outcome, resolve } = setup();
    expect(await outcome(Resolvers, 'operatorOnly', { headers: {}, principal: { kind: 'operator' } })).toBe('allowed');
    expect(await outcome(Resolvers, 'operatorOnly', { headers: { authorization: `Bearer ${OPERATOR_KEY}` }, principal: orgKey([Scope.ADMIN]) })).toBe(
      ONLY_OPERATOR,
    );
    expect(resolve).not.toHaveBeenCalled();
  });

  it('leaves plain HTTP routes (health) to their own handling', async () => {
    const { guard, context, resolve } = setup();
    expect(await guard.canActivate(context(Resolvers, 'noRule', { headers: {} }, 'http'))).toBe(true);
    expect(resolve).not.toHaveBeenCalled();
  });
});

describe('access rule decorators', () => {
  it('store the rule each one names', () => {
    const ruleOf = (method: string) => Reflect.getMetadata(ACCESS_RULE, (Resolvers.prototype as unknown as Record<string, object>)[method]) as unknown;
    expect(ACCESS_RULE).toBe('gateway:access');
    expect(ruleOf('scoped')).toEqual({ scope: 'catalog:read', operator: 'refused' });
    expect(ruleOf('operatorOrAdmin')).toEqual({ scope: 'admin', operator: 'allowed' });
    expect(ruleOf('operatorOnly')).toEqual({ scope: null, operator: 'only' });
    expect(ruleOf('anyKey')).toEqual({ scope: null, operator: 'allowed', partner: 'allowed' });
    expect(ruleOf('feed')).toEqual({ scope: 'feed:read', operator: 'refused', partner: 'allowed' });
    expect(ruleOf('noRule')).toBeUndefined();
  });

  it('hand the caller the guard put on the request, and refuse to run without one', () => {
    class WithPrincipal {
      viewer(@CurrentPrincipal() _principal: Principal) {}
    }
    const [entry] = Object.values(
      Reflect.getMetadata(ROUTE_ARGS_METADATA, WithPrincipal, 'viewer') as Record<string, { factory: (data: unknown, ctx: unknown) => unknown }>,
    );
    const ctx = (req: Req) => {
      const host = new ExecutionContextHost([{}, {}, { req }, {}]);
      host.setType('graphql');
      return host;
    };
    const principal = orgKey([Scope.ADMIN]);
    expect(entry.factory(undefined, ctx({ headers: {}, principal }))).toBe(principal);
    expect(() => entry.factory(undefined, ctx({ headers: {} }))).toThrow('resolver has no access rule');
  });
});
