import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function parseLiteral(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, parseLiteral(f.value)]));
    case Kind.LIST:
      return ast.values.map(parseLiteral);
    case Kind.NULL:
      return null;
    default:
      throw new TypeError(`JSONObject cannot represent ${ast.kind}`);
  }
}

function ensureObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('JSONObject must be an object');
  return value as Record<string, unknown>;
}

/** A JSON object (e.g. a template's ext JSON). */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object (not an array, string or number), e.g. `{"theme": "light"}`.',
  serialize: ensureObject,
  parseValue: ensureObject,
  parseLiteral: (ast) => ensureObject(parseLiteral(ast)),
});
