import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { OperationTypeNode } from 'graphql';
import { firstValueFrom, NEVER, of } from 'rxjs';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { DeadlineInterceptor } from './deadline.interceptor.js';

function graphqlContext(deadline: number | undefined, operation: OperationTypeNode) {
  const host = new ExecutionContextHost([{}, {}, { req: { deadline } }, { operation: { operation } }]);
  host.setType('graphql');
  return host;
}

describe('DeadlineInterceptor', () => {
  const config = Object.assign(new GatewayConfig(), { REQUEST_TIMEOUT_MS: 1234 });
  const interceptor = new DeadlineInterceptor(config);

  it('refuses to start a resolver once the deadline has passed', async () => {
    const call = interceptor.intercept(graphqlContext(Date.now() - 1, OperationTypeNode.QUERY), { handle: () => of('data') });
    const err = await firstValueFrom(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: 'The request did not finish within its 1234 ms deadline' });
  });

  it('abandons a query resolver still running at the deadline', async () => {
    const call = interceptor.intercept(graphqlContext(Date.now() + 20, OperationTypeNode.QUERY), { handle: () => NEVER });
    await expect(firstValueFrom(call)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('lets a query that finishes in time answer, and a started mutation run to its end', async () => {
    await expect(firstValueFrom(interceptor.intercept(graphqlContext(Date.now() + 60_000, OperationTypeNode.QUERY), { handle: () => of(7) }))).resolves.toBe(7);
    const mutation = interceptor.intercept(graphqlContext(Date.now() + 20, OperationTypeNode.MUTATION), { handle: () => NEVER });
    expect(mutation).toBe(NEVER);
  });

  it('leaves requests without a deadline and other transports alone', () => {
    const handled = of(1);
    expect(interceptor.intercept(graphqlContext(undefined, OperationTypeNode.QUERY), { handle: () => handled })).toBe(handled);
    const http = new ExecutionContextHost([{}, {}]);
    expect(interceptor.intercept(http, { handle: () => handled })).toBe(handled);
  });
});
