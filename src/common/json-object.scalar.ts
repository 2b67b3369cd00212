import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** Nesting and size limits of a JSON object argument: far above any template's ext JSON. */
export const JSON_MAX_DEPTH = 20;
export const JSON_MAX_NODES = 10_000;

function refuse(message: string): never {
  throw new GraphQLError(message);
}

// Counts depth and nodes without recursion, so a hostile value cannot overflow the stack.
function checkShape(value: unknown): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (++nodes > JSON_MAX_NODES) refuse(`JSONObject has more than ${JSON_MAX_NODES} values`);
    if (typeof v !== 'object' || v === null) continue;
    if (depth > JSON_MAX_DEPTH) refuse(`JSONObject nests deeper than ${JSON_MAX_DEPTH} levels`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
}

function parseLiteral(ast: ValueNode, depth: number): unknown {
  if (depth > JSON_MAX_DEPTH) refuse(`JSONObject nests deeper than ${JSON_MAX_DEPTH} levels`);
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, parseLiteral(f.value, depth + 1)]));
    case Kind.LIST:
      return ast.values.map((v) => parseLiteral(v, depth + 1));
    case Kind.NULL:
      return null;
    default:
      return refuse(`JSONObject cannot represent ${ast.kind}`);
  }
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('JSONObject must be an object');
  return value as Record<string, unknown>;
}

function ensureObject(value: unknown): Record<string, unknown> {
  checkShape(asObject(value));
  return value as Record<string, unknown>;
}

/** A JSON object (e.g. a template's ext JSON). */
export const JSONObjectScalar = new GraphQLScalarType({
  name: 'JSONObject',
  description: `A JSON object (not an array, string or number), e.g. \`{"theme": "light"}\`, nested at most ${JSON_MAX_DEPTH} levels deep, with at most ${JSON_MAX_NODES} values.`,
  serialize: asObject,
  parseValue: ensureObject,
  parseLiteral: (ast) => ensureObject(parseLiteral(ast, 1)),
});
