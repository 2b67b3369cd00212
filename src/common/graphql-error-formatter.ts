import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { GatewayError, type ErrorCode } from './gateway-error.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

// Maps every error once: our codes pass through with their details; GraphQL's own validation
// errors keep Apollo's code; anything else is an internal error whose details stay in the log.
export function createErrorFormatter(exposeDetails: boolean, logUnexpected: (err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof GatewayError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: {
          code: original.code,
          status: HTTP_STATUS[original.code],
          ...(original.violations.length ? { violations: original.violations } : {}),
        },
      };
    }
    const code = formatted.extensions?.code;
    if (
      !original ||
      code === 'GRAPHQL_VALIDATION_FAILED' ||
      code === 'GRAPHQL_PARSE_FAILED' ||
      code === 'BAD_USER_INPUT' ||
      code === 'BAD_REQUEST' ||
      code === 'PERSISTED_QUERY_NOT_FOUND'
    ) {
      // Errors raised by graphql-js itself (unknown field, wrong argument type): safe to show.
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: code === 'BAD_REQUEST' ? 'BAD_USER_INPUT' : (code ?? 'BAD_USER_INPUT') },
      };
    }
    logUnexpected(original);
    return {
      message: exposeDetails && original instanceof Error ? original.message : 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
