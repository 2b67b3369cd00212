import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { RequestAuthenticator, type AuthenticatedRequest } from '../auth/request-authenticator.js';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import type { RequestWithDeadline } from './deadline.interceptor.js';
import { checkCost, refusal } from './query-cost.js';
import { RequestRateLimiter } from './request-rate-limiter.js';

export interface LimitedContext {
  req: AuthenticatedRequest & RequestWithDeadline & { ip: string };
}

export function callerKey(principal: Principal): string {
  return principal.kind === 'operator' ? 'operator' : `key:${principal.keyId}`;
}

/**
 * Runs once per operation after it is parsed and validated and before any resolver: stamps the
 * request deadline, refuses an operation over the cost budget (no I/O), then counts it against
 * its caller's rate limit (the API key, or the client address when there is no valid key).
 */
@Injectable()
export class QueryLimitsPlugin implements ApolloServerPlugin<LimitedContext> {
  constructor(
    private readonly config: GatewayConfig,
    private readonly authenticator: RequestAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
  ) {}

  async requestDidStart({ contextValue }: GraphQLRequestContext<LimitedContext>): Promise<GraphQLRequestListener<LimitedContext>> {
    // Operations not carried by an HTTP request (none today) have no request to stamp or count.
    const req = contextValue.req as LimitedContext['req'] | undefined;
    if (req) req.deadline ??= Date.now() + this.config.REQUEST_TIMEOUT_MS;
    return {
      didResolveOperation: async (ctx) => {
        // No operation (several and no operationName): execution refuses it before any resolver.
        if (!ctx.operation) return;
        const { error } = checkCost(ctx.schema, ctx.document, ctx.request.variables, ctx.request.operationName, this.config.QUERY_MAX_COST);
        if (error) throw refusal(error);
        if (req) await this.countAgainstRateLimit(req);
      },
    };
  }

  private async countAgainstRateLimit(req: LimitedContext['req']): Promise<void> {
    const caller = await this.authenticator.principalOf(req).then(callerKey, () => `ip:${req.ip}`);
    try {
      await this.rateLimiter.consume(caller);
    } catch (err) {
      if (err instanceof GatewayError && err.code === 'RATE_LIMITED') throw refusal(err, [['retry-after', String(err.details.retryAfterSeconds)]]);
      throw err;
    }
  }
}
