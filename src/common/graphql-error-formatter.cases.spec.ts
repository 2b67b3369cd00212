import { describe, expect, it, jest } from '@jest/globals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, GatewayError } from './gateway-error.js';
import { createErrorFormatter } from './graphql-error-formatter.js';

const at = { path: ['miniProgram'], locations: [{ line: 1, column: 3 }] };
const INTERNAL = 'relation "mini_programs" does not exist';

/** What Apollo hands the formatter for an error thrown in a resolver: the formatted error and the GraphQLError around the original. */
function thrownInResolver(original: unknown, extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1'] }) {
  const message = original instanceof Error ? original.message : String(original);
  const formatted: GraphQLFormattedError = { message, ...at, extensions };
  const error = new GraphQLError(message, { path: at.path, originalError: original instanceof Error ? original : undefined });
  // graphql-js keeps non-Error throws as originalError too (wrapped); mimic the raw value for the formatter.
  if (!(original instanceof Error)) Object.defineProperty(error, 'originalError', { value: original });
  return { formatted, error };
}

function setup(exposeDetails: boolean) {
  const logged: unknown[] = [];
  // Faults only: client errors have their own quiet log line.
  const log = jest.fn((err: unknown) => void logged.push(err));
  const format = createErrorFormatter({ exposeDetails, suggestions: exposeDetails, logClientError: () => undefined, logFault: (err) => log(err) });
  return { format, log, logged };
}

describe('GraphQL error formatter', () => {
  it.each([
    ['BAD_USER_INPUT', 400],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
  ] as const)('passes a %s GatewayError through with HTTP status %i', (code, status) => {
    for (const exposeDetails of [false, true]) {
      const { format, log } = setup(exposeDetails);
      const { formatted, error } = thrownInResolver(new GatewayError(code, `${code} happened`), { code: 'INTERNAL_SERVER_ERROR' });
      expect(format(formatted, error)).toEqual({ message: `${code} happened`, ...at, extensions: { code, status } });
      expect(log).not.toHaveBeenCalled();
    }
  });

  it('covers every error code the API has, each with its HTTP status', () => {
    expect([...ERROR_CODES].sort()).toEqual([
      'BAD_USER_INPUT',
      'CONFLICT',
      'DEADLINE_EXCEEDED',
      'FORBIDDEN',
      'HEADERS_TOO_LARGE',
      'NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
      'QUERY_TOO_COMPLEX',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
      'UNAUTHENTICATED',
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });

  it('lists the violations of bad input, and adds no empty list to other errors', () => {
    const { format } = setup(false);
    const violations = [{ field: 'name', rule: 'maxLength', message: 'name must be at most 60 characters' }];
    const bad = thrownInResolver(GatewayError.badInput(violations));
    expect(format(bad.formatted, bad.error)).toEqual({
      message: 'Invalid input: name: name must be at most 60 characters',
      ...at,
      extensions: { code: 'BAD_USER_INPUT', status: 400, violations },
    });
    const missing = thrownInResolver(GatewayError.notFound('Mini-program', 'x'));
    expect(format(missing.formatted, missing.error).extensions).toEqual({ code: 'NOT_FOUND', status: 404 });
  });

  it('takes a GatewayError handed over bare, not wrapped in a GraphQLError', () => {
    const { format } = setup(false);
    const formatted: GraphQLFormattedError = { message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    expect(format(formatted, GatewayError.conflict('stale revision'))).toEqual({ message: 'stale revision', extensions: { code: 'CONFLICT', status: 409 } });
  });

  it.each(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND'])(
    'shows a request error graphql-js or Apollo raised (%s) as it is, with its code',
    (code) => {
      const { format, log } = setup(false);
      const original = new Error('Cannot query field "nope" on type "Query".');
      const { formatted, error } = thrownInResolver(original, { code, stacktrace: ['at graphql.js:1'] });
      expect(format(formatted, error)).toEqual({ message: original.message, ...at, extensions: { code, status: 400 } });
      expect(log).not.toHaveBeenCalled();
    },
  );

  it('reports a BAD_REQUEST (a variable of the wrong type) as BAD_USER_INPUT', () => {
    const { format } = setup(false);
    const { formatted, error } = thrownInResolver(new Error('Variable "$first" got invalid value "x"'), { code: 'BAD_REQUEST' });
    expect(format(formatted, error)).toEqual({
      message: 'Variable "$first" got invalid value "x"',
      ...at,
      extensions: { code: 'BAD_USER_INPUT', status: 400 },
    });
  });

  it("hides an error that carries neither a code nor an original error (graphql-js execution faults): it is ours, not the caller's", () => {
    const { format } = setup(false);
    const formatted: GraphQLFormattedError = { message: 'Cannot return null for non-nullable field Query.x.', locations: at.locations };
    expect(format(formatted, new GraphQLError('Cannot return null for non-nullable field Query.x.'))).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  describe('an internal error', () => {
    it('says only "Internal server error" outside development, and logs the original', () => {
      const { format, logged } = setup(false);
      const original = new Error(INTERNAL);
      const { formatted, error } = thrownInResolver(original);
      const answer = format(formatted, error);
      expect(answer).toEqual({ message: 'Internal server error', ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(answer)).not.toMatch(/mini_programs|relation|secret\.ts|stacktrace/);
      expect(logged).toEqual([original]);
    });

    it('shows the original message in development, still without the stack', () => {
      const { format, logged } = setup(true);
      const original = new Error(INTERNAL);
      const { formatted, error } = thrownInResolver(original);
      expect(format(formatted, error)).toEqual({ message: INTERNAL, ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(logged).toEqual([original]);
    });

    it('hides a thrown non-Error value even in development', () => {
      for (const exposeDetails of [false, true]) {
        const { format, logged } = setup(exposeDetails);
        const { formatted, error } = thrownInResolver('password=hunter2', { code: 'INTERNAL_SERVER_ERROR' });
        expect(format(formatted, error)).toEqual({ message: 'Internal server error', ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        expect(logged).toEqual(['password=hunter2']);
      }
    });

    it('is internal whatever code Apollo guessed for it', () => {
      const { format } = setup(false);
      for (const code of [undefined, 'INTERNAL_SERVER_ERROR', 'SOMETHING_ELSE']) {
        const { formatted, error } = thrownInResolver(new Error(INTERNAL), code ? { code } : {});
        expect(format(formatted, error)).toEqual({ message: 'Internal server error', ...at, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      }
    });
  });
});
