import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { GatewayError } from '../common/gateway-error.js';

/**
 * Cost of one field: 1, plus what is selected inside it; a page field (one with a `first`
 * argument) pays for its selection once per row it may return. So
 * `miniPrograms(first: 100) { edges { node { versions(first: 100) { totalCount } } } }`
 * costs about 100 x 100: what it would make the database do.
 */
export function pageAwareEstimator({ args, childComplexity }: ComplexityEstimatorArgs): number {
  const first: unknown = args.first;
  const rows = typeof first === 'number' && Number.isFinite(first) ? Math.max(1, first) : 1;
  return 1 + rows * childComplexity;
}

/** A refusal raised before execution: Apollo answers it with this HTTP status and headers. */
export function refusal(error: GatewayError, headers: Array<[string, string]> = []): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { http: { status: error.status, headers: new Map(headers) } },
  });
}

export function tooComplex(message: string): GatewayError {
  return new GatewayError('QUERY_TOO_COMPLEX', message);
}

/**
 * The operation's cost, or a QUERY_TOO_COMPLEX error when it is over `maxCost` (or has so many
 * nodes through fragments that counting stops). Variables that do not fit their types are left
 * to execution, which refuses the whole operation before any resolver runs.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxCost: number,
): { cost: number; error: GatewayError | null } {
  const cost = costOf(schema, document, variables, operationName);
  if (cost === TOO_MANY_NODES) return { cost: Infinity, error: tooComplex('This operation has too many fields (counting each fragment where it is used)') };
  if (cost <= maxCost) return { cost, error: null };
  return {
    cost,
    error: tooComplex(
      `This operation costs ${cost}, more than the ${maxCost} allowed: ask for smaller pages (first) or fewer fields inside them (each field costs 1, a page field 1 + first x its selection)`,
    ),
  };
}

const TOO_MANY_NODES = 'tooManyNodes';
type Cost = number | typeof TOO_MANY_NODES;

// Costs already counted, per schema and parsed document (Apollo hands the same DocumentNode for
// the same query text), by the variables that can change a cost: numbers (a page's `first`) and
// booleans (@include, @skip). Cursors and other strings cannot, so paging through a feed with a
// new `after` each time reuses one entry. Bounded per document; nothing is held once the
// document is dropped from Apollo's cache.
const COSTS = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Cost>>>();
const MAX_COSTS_PER_DOCUMENT = 64;

function costOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): Cost {
  let documents = COSTS.get(schema);
  if (!documents) COSTS.set(schema, (documents = new WeakMap<DocumentNode, Map<string, Cost>>()));
  let costs = documents.get(document);
  if (!costs) documents.set(document, (costs = new Map<string, Cost>()));
  const key = costKey(variables, operationName);
  const known = costs.get(key);
  if (known !== undefined) return known;
  const cost = countCost(schema, document, variables, operationName);
  // Not kept when the variables did not fit (null): another request with the same key may fit.
  if (cost === null) return 0;
  if (costs.size < MAX_COSTS_PER_DOCUMENT) costs.set(key, cost);
  return cost;
}

function costKey(variables: Record<string, unknown> | undefined, operationName: string | undefined): string {
  let key = operationName ?? '';
  if (variables) {
    for (const name of Object.keys(variables).sort()) {
      const value = variables[name];
      if (typeof value === 'number' || typeof value === 'boolean') key += `\u0000${name}=${String(value)}`;
    }
  }
  return key;
}

function countCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): Cost | null {
  try {
    return getComplexity({ schema, query: document, variables, operationName, estimators: [pageAwareEstimator] });
  } catch (err) {
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) return TOO_MANY_NODES;
    // Variables that do not fit their types: execution refuses the operation before any resolver.
    return null;
  }
}

// graphql-armor reports with a "Syntax Error: " prefix; ours is a limit, so say that instead.
function reportAsTooComplex(context: ValidationContext | null, error: GraphQLError): void {
  const message = error.message.replace(/^Syntax Error: /, '');
  context?.reportError(new GraphQLError(message, { originalError: tooComplex(message) }));
}

/** Alias and depth limits as validation rules: they run with graphql-js's own, before execution. */
export function queryShapeRules(limits: { maxAliases: number; maxDepth: number }): ValidationRule[] {
  const callbacks = { propagateOnRejection: false, onReject: [reportAsTooComplex] };
  return [
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, ...callbacks }),
    maxDepthRule({ n: limits.maxDepth, exposeLimits: true, ignoreIntrospection: true, ...callbacks }),
  ];
}
