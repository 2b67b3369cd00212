import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { GatewayError, isClientError, type ErrorCode } from './gateway-error.js';
import { classifyDatabaseError } from './postgres-errors.js';

// Codes graphql-js and Apollo give to a request they refused before running it (syntax, unknown
// field, wrong variable type, ambiguous operation ...): the caller's fault, and safe to show.
const GRAPHQL_CLIENT_CODES: Record<string, string> = {
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
};

export interface ErrorFormatterOptions {
  /** Show the message of unexpected errors (development only). */
  exposeDetails: boolean;
  /** Keep graphql-js's "Did you mean ...?" hints; they name fields, so only where introspection is on. */
  suggestions: boolean;
  /** A client error (4xx): one quiet line, no stack. */
  logClientError: (code: string, message: string) => void;
  /** A real fault: logged with its stack (the logger's serializer drops SQL parameters). */
  logFault: (err: unknown, code: ErrorCode | 'INTERNAL_SERVER_ERROR') => void;
}

/** The error a resolver or plugin threw, under graphql-js's and Apollo's wrappers. */
export function unwrapError(error: unknown): unknown {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  // graphql-js wraps a thrown value it does not take for an Error (one from another realm, such
  // as Node's own network errors under jest) in NonErrorThrown; the value itself says more.
  if (original instanceof Error && original.name === 'NonErrorThrown' && 'thrownValue' in original) return original.thrownValue;
  return original;
}

// Maps every error once: our codes pass through with their details; GraphQL's own refusals
// keep their code; a database that is down or too slow says so; anything else is an internal
// error whose details stay in the log.
export function createErrorFormatter(options: ErrorFormatterOptions) {
  const hideSuggestions = (message: string) => (options.suggestions ? message : message.replace(/\s*Did you mean [^?]*\?/g, ''));
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapError(error);
    if (original instanceof GatewayError) {
      if (isClientError(original.code)) options.logClientError(original.code, original.message);
      else options.logFault(original, original.code);
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: {
          code: original.code,
          status: original.status,
          ...(original.violations.length ? { violations: original.violations } : {}),
          ...original.details,
        },
      };
    }
    const code = formatted.extensions?.code;
    const tokens = code === 'GRAPHQL_PARSE_FAILED' ? /Document contains more that? (\d+) tokens/.exec(formatted.message) : null;
    const overflow = code === 'GRAPHQL_PARSE_FAILED' && /Maximum call stack size exceeded/.test(formatted.message);
    if (tokens || overflow) {
      // graphql-js stopped parsing at the QUERY_MAX_TOKENS limit (or, as a last resort, the
      // document nested deeper than the parser's stack).
      const message = tokens
        ? `This document has more than ${tokens[1]} tokens (names, punctuation, values): send a smaller one`
        : 'This document nests too deeply to parse: send a flatter one';
      options.logClientError('QUERY_TOO_COMPLEX', message);
      return { message, extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 } };
    }
    if (typeof code === 'string' && code in GRAPHQL_CLIENT_CODES) {
      const message = hideSuggestions(formatted.message);
      options.logClientError(GRAPHQL_CLIENT_CODES[code], message);
      return {
        message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: GRAPHQL_CLIENT_CODES[code], status: 400 },
      };
    }
    const database = classifyDatabaseError(original);
    if (database) {
      const gatewayCode = database === 'timeout' ? 'DEADLINE_EXCEEDED' : 'SERVICE_UNAVAILABLE';
      options.logFault(original, gatewayCode);
      return {
        message:
          database === 'timeout'
            ? 'The request did not finish within its deadline: a database statement ran too long'
            : 'Temporarily unavailable: the gateway cannot reach its database; retry shortly',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: gatewayCode, status: gatewayCode === 'DEADLINE_EXCEEDED' ? 504 : 503 },
      };
    }
    options.logFault(original ?? error, 'INTERNAL_SERVER_ERROR');
    return {
      message: options.exposeDetails && original instanceof Error ? original.message : 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
