import { GraphQLError, parseValue } from 'graphql';
import { JSON_MAX_DEPTH, JSON_MAX_NODES, JSONObjectScalar } from './json-object.scalar.js';

function nested(levels: number): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  let cur = top;
  for (let i = 1; i < levels; i++) cur = cur.a = {};
  return top;
}

describe('JSONObject scalar', () => {
  it('takes objects up to the depth limit, from variables and from literals', () => {
    expect(JSONObjectScalar.parseValue(nested(JSON_MAX_DEPTH))).toEqual(nested(JSON_MAX_DEPTH));
    expect(JSONObjectScalar.parseLiteral(parseValue('{ theme: "light", pages: [{ path: "a", n: 1.5 }], on: true, none: null }'))).toEqual({
      theme: 'light',
      pages: [{ path: 'a', n: 1.5 }],
      on: true,
      none: null,
    });
  });

  it('refuses deeper or larger values with a GraphQL error, without walking them recursively', () => {
    expect(() => JSONObjectScalar.parseValue(nested(100_000))).toThrow(new GraphQLError(`JSONObject nests deeper than ${JSON_MAX_DEPTH} levels`));
    expect(() => JSONObjectScalar.parseValue({ list: Array.from({ length: JSON_MAX_NODES }, (_, i) => i) })).toThrow(/more than 10000 values/);
    const deepLiteral = parseValue('{a:'.repeat(JSON_MAX_DEPTH + 1) + '1' + '}'.repeat(JSON_MAX_DEPTH + 1));
    expect(() => JSONObjectScalar.parseLiteral(deepLiteral)).toThrow(/nests deeper than 20 levels/);
  });

  it('refuses what is not an object', () => {
    for (const bad of [null, 'text', 3, [1]]) expect(() => JSONObjectScalar.parseValue(bad)).toThrow('JSONObject must be an object');
  });
});
