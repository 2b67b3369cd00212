import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
} from 'graphql';
import type { Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { API_KEY_REVOKED } from '../auth/api-key.events.js';
import type { Principal } from '../auth/principal.js';
import { RequestAuthenticator, type AuthenticatedRequest } from '../auth/request-authenticator.js';
import { grants, Scope } from '../auth/scopes.js';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { NotificationListener } from '../events/notification-listener.js';
import { PARTNER_DISABLED } from '../partners/partner.events.js';
import { callerKey } from '../limits/query-limits.plugin.js';
import { checkCost, queryShapeRules } from '../limits/query-cost.js';
import { RequestRateLimiter } from '../limits/request-rate-limiter.js';

/** WebSocket close codes a refused or ended connection gets (graphql-ws uses the 4xxx range the same way). */
export const CLOSE = {
  BAD_REQUEST: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  RATE_LIMITED: 4429,
  SERVICE_UNAVAILABLE: 4503,
} as const;

interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
}

interface LiveConnection {
  socket: WebSocket;
  authorization: string;
  principal: Principal;
  req: AuthenticatedRequest & { ip: string };
}

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

// A close reason is at most 123 bytes.
const reason = (text: string) =>
  Buffer.from(text)
    .subarray(0, 123)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

/**
 * The graphql-ws side of the API: a connection is authenticated once, at connection_init, with
 * the same keys as HTTP (`{authorization: "Bearer <key>"}`), counted against the same rate limit,
 * and closed with a code and a reason when refused, or when its key is revoked later. Each
 * subscription goes through the same document limits (tokens, aliases, depth, cost) and counts
 * as one operation against the caller's rate limit; resolvers then see the principal exactly as
 * over HTTP (the AuthGuard checks scopes per field).
 */
@Injectable()
export class LiveConnections implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveConnections');
  private readonly connections = new Map<Context, LiveConnection>();
  private unlisten: Array<() => void> = [];

  constructor(
    private readonly config: GatewayConfig,
    private readonly authenticator: RequestAuthenticator,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly notifications: NotificationListener,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // A key revoked anywhere closes its connections here; after a notification gap every
    // connection's key is checked again (a revocation may have been missed).
    this.unlisten.push(
      this.notifications.listen(API_KEY_REVOKED, ({ keyId }) => this.closeWhere((p) => p.kind !== 'operator' && p.keyId === keyId, 'API key revoked')),
    );
    this.unlisten.push(
      this.notifications.listen(PARTNER_DISABLED, ({ partnerId }) =>
        this.closeWhere((p) => p.kind === 'partner' && p.partnerId === partnerId, 'Partner disabled'),
      ),
    );
    this.unlisten.push(this.notifications.onGap(() => void this.recheckAll()));
  }

  onModuleDestroy(): void {
    for (const stop of this.unlisten) stop();
  }

  get count(): number {
    return this.connections.size;
  }

  /** The `graphql-ws` options of the Apollo driver's subscriptions. */
  options(formatError: Formatter): GraphQLWsSubscriptionsConfig {
    const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));
    const options: ServerOptions<Record<string, unknown>, Extra> & { path: string } = {
      path: '/graphql',
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => this.connect(ctx),
      onClose: (ctx) => {
        this.connections.delete(ctx);
      },
      context: (ctx) => ({ req: this.connections.get(ctx)?.req }),
      onSubscribe: async (ctx, _id, payload) => this.subscribe(ctx, payload),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    };
    // Nest's type names a few of graphql-ws's options, but its GqlSubscriptionService hands all
    // of them to graphql-ws's useServer (context and onError included), after its own defaults.
    return options as unknown as GraphQLWsSubscriptionsConfig;
  }

  private async connect(ctx: Context<Record<string, unknown>, Extra>): Promise<boolean> {
    const { socket, request } = ctx.extra;
    const refuse = (code: number, message: string) => {
      socket.close(code, reason(message));
      return false;
    };
    const ip = request.socket.remoteAddress ?? 'unknown';
    const params = ctx.connectionParams ?? {};
    const raw = params.authorization ?? params.Authorization;
    if (raw !== undefined && typeof raw !== 'string')
      return refuse(CLOSE.BAD_REQUEST, 'connection_init payload: authorization must be a string "Bearer <key>"');
    const req: LiveConnection['req'] = { headers: { authorization: raw }, ip };
    let principal: Principal;
    try {
      principal = await this.authenticator.principalOf(req);
    } catch (err) {
      const refused = await this.countAgainstRateLimit(`ip:${ip}`);
      if (refused) return refuse(CLOSE.RATE_LIMITED, refused.message);
      if (err instanceof GatewayError && err.code === 'UNAUTHENTICATED') return refuse(CLOSE.UNAUTHENTICATED, err.message);
      this.logger.error(`authenticating a subscription connection failed: ${err instanceof Error ? err.message : String(err)}`);
      return refuse(CLOSE.SERVICE_UNAVAILABLE, 'The gateway cannot check keys right now; retry later');
    }
    const refused = await this.countAgainstRateLimit(callerKey(principal));
    if (refused) return refuse(CLOSE.RATE_LIMITED, refused.message);
    if (principal.kind === 'operator')
      return refuse(CLOSE.FORBIDDEN, 'The operator key reads no feed; use a partner key or an organization key with FEED_READ');
    if (!grants(principal.scopes, Scope.FEED_READ)) return refuse(CLOSE.FORBIDDEN, 'This API key lacks the scope FEED_READ');
    this.connections.set(ctx, { socket, authorization: raw as string, principal, req });
    return true;
  }

  private async subscribe(ctx: Context, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const conn = this.connections.get(ctx);
    if (!conn) return [asGraphQLError(new GatewayError('UNAUTHENTICATED', 'This connection is not authenticated'))];
    let document: DocumentNode;
    try {
      // The same token limit as HTTP; the error formatter turns its message into QUERY_TOO_COMPLEX.
      document = parse(payload.query, { maxTokens: this.config.QUERY_MAX_TOKENS });
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      return [new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
    }
    const schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    const errors = validate(schema, document, [
      ...specifiedRules,
      ...queryShapeRules({ maxAliases: this.config.QUERY_MAX_ALIASES, maxDepth: this.config.QUERY_MAX_DEPTH }),
    ]);
    // Coded as Apollo codes them over HTTP, so the one formatter answers both alike.
    if (errors.length > 0)
      return errors.map((e) => (e.originalError ? e : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })));
    const variables = payload.variables ?? undefined;
    // Variables that do not fit their types (an unknown input field, a bad enum value) are the
    // caller's error, coded BAD_USER_INPUT as Apollo codes them over HTTP; left to graphql-js's
    // subscribe they come back uncoded and read as an internal error.
    const operation = getOperationAST(document, payload.operationName);
    const coerced = operation ? getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}) : null;
    if (coerced?.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }));
    const { error } = checkCost(schema, document, variables, payload.operationName ?? undefined, this.config.QUERY_MAX_COST);
    if (error) return [asGraphQLError(error)];
    const subscriptions = Object.keys(ctx.subscriptions).length;
    if (subscriptions > this.config.SUBSCRIPTIONS_PER_CONNECTION) {
      return [
        asGraphQLError(
          new GatewayError('RATE_LIMITED', `At most ${this.config.SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection (SUBSCRIPTIONS_PER_CONNECTION)`),
        ),
      ];
    }
    const refused = await this.countAgainstRateLimit(callerKey(conn.principal));
    if (refused) return [asGraphQLError(refused)];
    return { schema, document, operationName: payload.operationName, variableValues: variables };
  }

  /** The RATE_LIMITED error when `caller` is over its limit, else null (the operation is counted). */
  private async countAgainstRateLimit(caller: string): Promise<GatewayError | null> {
    try {
      await this.rateLimiter.consume(caller);
      return null;
    } catch (err) {
      if (err instanceof GatewayError) return err;
      throw err;
    }
  }

  private closeWhere(matches: (principal: Principal) => boolean, why: string): void {
    for (const [ctx, conn] of this.connections) {
      if (matches(conn.principal)) {
        this.connections.delete(ctx);
        conn.socket.close(CLOSE.UNAUTHENTICATED, why);
      }
    }
  }

  private async recheckAll(): Promise<void> {
    for (const [ctx, conn] of [...this.connections]) {
      try {
        await this.authenticator.principalOf({ headers: { authorization: conn.authorization } });
      } catch (err) {
        if (err instanceof GatewayError && err.code === 'UNAUTHENTICATED') {
          this.connections.delete(ctx);
          conn.socket.close(CLOSE.UNAUTHENTICATED, reason(err.message));
        }
      }
    }
  }
}

function asGraphQLError(error: GatewayError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error });
}
