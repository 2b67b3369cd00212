import { GraphQLObjectType, GraphQLSchema } from 'graphql';

// Nest's code-first builder creates the root types itself and takes no description for them,
// so they get theirs here, both in the served schema (transformSchema) and in schema.graphql.
const ROOT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Query:
    'Reads. Every operation needs an API key sent as `Authorization: Bearer <key>` (UNAUTHENTICATED without a valid one); each field says which key and scope it needs (FORBIDDEN otherwise).',
  Mutation:
    'Writes. Every operation needs an API key sent as `Authorization: Bearer <key>`; each field says which key and scope it needs. A mutation that fails writes nothing.',
  Subscription: 'Live updates over graphql-ws. Every operation needs an API key; each field says which key and scope it needs.',
};

/** The schema with descriptions on its root types; everything else, resolvers included, is kept. */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const replaced = new Map<GraphQLObjectType, GraphQLObjectType>();
  const describe = (type: GraphQLObjectType | null | undefined): GraphQLObjectType | undefined => {
    if (!type) return undefined;
    const copy = new GraphQLObjectType({ ...type.toConfig(), description: ROOT_DESCRIPTIONS[type.name] ?? type.description });
    replaced.set(type, copy);
    return copy;
  };
  const query = describe(config.query);
  const mutation = describe(config.mutation);
  const subscription = describe(config.subscription);
  const types = config.types.map((t) => (t instanceof GraphQLObjectType ? (replaced.get(t) ?? t) : t));
  return new GraphQLSchema({ ...config, query, mutation, subscription, types });
}
