import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GatewayError } from '../common/gateway-error.js';
import { ACCESS_RULE, type AccessRule } from './access.decorators.js';
import { ApiKeyService } from './api-key.service.js';
import type { Principal } from './principal.js';
import { grants } from './scopes.js';

// Global guard for GraphQL resolvers: every resolver must declare an access rule; the bearer key
// is resolved once per request and kept on the request.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    // Fail closed: a query or mutation that forgot its rule is refused, never open.
    if (!rule) throw new GatewayError('FORBIDDEN', 'This operation declares no access rule');
    const req = GqlExecutionContext.create(context).getContext<{ req: { headers: Record<string, string | undefined>; principal?: Principal } }>().req;
    req.principal ??= await this.authenticate(req.headers.authorization);
    this.authorize(req.principal, rule);
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new GatewayError('UNAUTHENTICATED', 'Missing API key: send Authorization: Bearer <key>');
    const principal = await this.apiKeys.resolve(match[1]);
    if (!principal) throw new GatewayError('UNAUTHENTICATED', 'Unknown or revoked API key');
    return principal;
  }

  private authorize(principal: Principal, rule: AccessRule): void {
    if (principal.kind === 'operator') {
      if (rule.operator === 'refused') throw new GatewayError('FORBIDDEN', 'The operator key belongs to no organization; use an organization API key');
      return;
    }
    if (rule.operator === 'only') throw new GatewayError('FORBIDDEN', 'Only the operator key may do this');
    if (rule.scope && !grants(principal.scopes, rule.scope)) {
      throw new GatewayError('FORBIDDEN', `This API key lacks the scope ${rule.scope}`);
    }
  }
}
