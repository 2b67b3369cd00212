import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { GatewayError } from './gateway-error.js';
import { createErrorFormatter } from './graphql-error-formatter.js';

function setup(options: { exposeDetails?: boolean; suggestions?: boolean } = {}) {
  const clientErrors: Array<[string, string]> = [];
  const faults: Array<[unknown, string]> = [];
  const format = createErrorFormatter({
    exposeDetails: options.exposeDetails ?? false,
    suggestions: options.suggestions ?? false,
    logClientError: (code, message) => clientErrors.push([code, message]),
    logFault: (err, code) => faults.push([err, code]),
  });
  return { format, clientErrors, faults };
}

const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['f'], originalError: original });

describe('GraphQL error formatter', () => {
  it('passes a GatewayError through with its status and details, logged as a client error', () => {
    const { format, clientErrors, faults } = setup();
    const err = GatewayError.rateLimited(7);
    expect(format({ message: err.message, path: ['f'] }, resolverError(err))).toEqual({
      message: 'Too many requests: retry in 7 s',
      path: ['f'],
      locations: undefined,
      extensions: { code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 7 },
    });
    expect(clientErrors).toEqual([['RATE_LIMITED', 'Too many requests: retry in 7 s']]);
    expect(faults).toEqual([]);
  });

  it('says a database that is down or too slow is, without its words, and logs it as a fault', () => {
    const { format, faults } = setup({ exposeDetails: true });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(format({ message: refused.message }, resolverError(refused)).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    const slow = new QueryFailedError('SELECT 1', [], Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
    const formatted = format({ message: slow.message }, resolverError(slow));
    expect(formatted.extensions).toEqual({ code: 'DEADLINE_EXCEEDED', status: 504 });
    expect(formatted.message).not.toContain('canceling');
    expect(faults.map(([, code]) => code)).toEqual(['SERVICE_UNAVAILABLE', 'DEADLINE_EXCEEDED']);
  });

  it('hides the message of anything unexpected outside development', () => {
    const { format, faults } = setup();
    const err = new Error('invalid byte sequence for encoding "UTF8": 0x00');
    expect(format({ message: err.message }, resolverError(err))).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(faults).toEqual([[err, 'INTERNAL_SERVER_ERROR']]);
  });

  it('keeps graphql-js refusals as client errors, without "Did you mean" unless suggestions are on', () => {
    const message = 'Cannot query field "viewr" on type "Query". Did you mean "viewer"?';
    const validation = { message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(setup().format(validation, new GraphQLError(message)).message).toBe('Cannot query field "viewr" on type "Query".');
    expect(setup({ suggestions: true }).format(validation, new GraphQLError(message)).message).toBe(message);
    const ambiguous = { message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } };
    expect(setup().format(ambiguous, new GraphQLError(ambiguous.message)).extensions).toEqual({ code: 'BAD_USER_INPUT', status: 400 });
  });

  it('turns the parser stopping at the token limit into QUERY_TOO_COMPLEX', () => {
    const tokens = { message: 'Syntax Error: Document contains more that 2000 tokens. Parsing aborted.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
    expect(setup().format(tokens, new GraphQLError(tokens.message))).toEqual({
      message: 'This document has more than 2000 tokens (names, punctuation, values): send a smaller one',
      extensions: { code: 'QUERY_TOO_COMPLEX', status: 400 },
    });
  });
});
