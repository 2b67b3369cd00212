import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { jitQueryPlugin } from './jit-query.plugin.js';

describe('jitQueryPlugin', () => {
  const calls = { items: 0, broken: 0, touch: 0 };
  const server = new ApolloServer({
    typeDefs: `type Item { id: ID! at: String } type Query { items(n: Int!): [Item!]! broken: String } type Mutation { touch: Int! }`,
    resolvers: {
      Query: {
        items: (_: unknown, { n }: { n: number }) => {
          calls.items++;
          return Array.from({ length: n }, (_, i) => ({ id: `i${i}`, at: i % 2 ? null : `t${i}` }));
        },
        broken: () => {
          calls.broken++;
          throw new GraphQLError('nope', { extensions: { code: 'NOT_FOUND' } });
        },
      },
      Mutation: { touch: () => ++calls.touch },
    },
    plugins: [jitQueryPlugin()],
    formatError: (formatted) => ({ message: formatted.message, extensions: { code: formatted.extensions?.code, formatted: true } }),
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => Object.assign(calls, { items: 0, broken: 0, touch: 0 }));

  const run = async (query: string, variables?: Record<string, unknown>) => {
    const res = await server.executeOperation({ query, variables });
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };

  it('answers a query with the same data, resolving it once, and again from the compiled query', async () => {
    for (let round = 0; round < 2; round++) {
      expect(await run('query($n: Int!) { items(n: $n) { id at } }', { n: 3 })).toEqual({
        data: {
          items: [
            { id: 'i0', at: 't0' },
            { id: 'i1', at: null },
            { id: 'i2', at: 't2' },
          ],
        },
      });
    }
    expect(calls.items).toBe(2);
  });

  it('leaves a query that fails to Apollo, so its errors are formatted as always', async () => {
    const result = await run('{ broken }');
    expect(result.data).toEqual({ broken: null });
    expect(result.errors).toEqual([{ message: 'nope', extensions: { code: 'NOT_FOUND', formatted: true } }]);
    // The compiled run saw the error and Apollo ran the query again: queries only read.
    expect(calls.broken).toBe(2);
  });

  it('leaves mutations to Apollo: run once', async () => {
    expect(await run('mutation { touch }')).toEqual({ data: { touch: 1 } });
    expect(calls.touch).toBe(1);
  });

  it('answers invalid variables as Apollo does', async () => {
    const result = await run('query($n: Int!) { items(n: $n) { id } }', { n: 'x' });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(calls.items).toBe(0);
  });
});
