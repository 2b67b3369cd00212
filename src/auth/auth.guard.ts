import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GatewayError } from '../common/gateway-error.js';
import { ACCESS_RULE, type AccessRule } from './access.decorators.js';
import type { Principal } from './principal.js';
import { RequestAuthenticator, type AuthenticatedRequest } from './request-authenticator.js';
import { grants } from './scopes.js';

// Global guard for GraphQL resolvers: every resolver must declare an access rule; the bearer key
// is resolved once per request and kept on the request.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    // Fail closed: a query or mutation that forgot its rule is refused, never open.
    if (!rule) throw new GatewayError('FORBIDDEN', 'This operation declares no access rule');
    const req = GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
    this.authorize(req.principal ?? (await this.authenticator.principalOf(req)), rule);
    return true;
  }

  private authorize(principal: Principal, rule: AccessRule): void {
    if (principal.kind === 'operator') {
      if (rule.operator === 'refused') throw new GatewayError('FORBIDDEN', 'The operator key belongs to no organization; use an organization API key');
      return;
    }
    if (rule.operator === 'only') throw new GatewayError('FORBIDDEN', 'Only the operator key may do this');
    if (principal.kind === 'partner' && rule.partner !== 'allowed') {
      throw new GatewayError('FORBIDDEN', 'A partner key reads only the feed (listings, changes) and viewer');
    }
    if (rule.scope && !grants(principal.scopes, rule.scope)) {
      throw new GatewayError('FORBIDDEN', `This API key lacks the scope ${rule.scope}`);
    }
  }
}
