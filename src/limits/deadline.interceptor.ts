import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { OperationTypeNode, type GraphQLResolveInfo } from 'graphql';
import { throwError, timeout, type Observable } from 'rxjs';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';

/** A request with its deadline (epoch ms), stamped when its GraphQL operation starts. */
export interface RequestWithDeadline {
  deadline?: number;
}

/**
 * The request deadline, applied to every resolver (field resolvers included): none starts after
 * it, and a query resolver still running at it is abandoned with DEADLINE_EXCEEDED (its SQL is
 * cut by statement_timeout). A mutation that has started is let finish, so its answer says what
 * was written.
 */
@Injectable()
export class DeadlineInterceptor implements NestInterceptor {
  constructor(private readonly config: GatewayConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const deadline = gql.getContext<{ req?: RequestWithDeadline }>().req?.deadline;
    if (deadline === undefined) return next.handle();
    const remaining = deadline - Date.now();
    const exceeded = () => GatewayError.deadlineExceeded(this.config.REQUEST_TIMEOUT_MS);
    if (remaining <= 0) return throwError(exceeded);
    if (gql.getInfo<GraphQLResolveInfo>().operation.operation === OperationTypeNode.MUTATION) return next.handle();
    return next.handle().pipe(timeout({ first: remaining, with: () => throwError(exceeded) }));
  }
}
