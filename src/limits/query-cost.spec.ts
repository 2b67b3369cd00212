import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { checkCost } from './query-cost.js';

const schema = buildSchema(`
  type Item { id: ID! name: String! }
  type ItemEdge { cursor: String! node: Item! }
  type ItemConnection { edges: [ItemEdge!]! }
  type Query { items(first: Int = 20, after: String): ItemConnection! }
`);
const doc = () =>
  parse(`query($first: Int = 100, $after: String, $withName: Boolean! = false) {
    items(first: $first, after: $after) { edges { cursor node { id name @include(if: $withName) } } } }`);

describe('checkCost, counted once per document and cost-changing variables', () => {
  it('gives the same cost as counting afresh, whatever the cursor, and another for another page size or @include', () => {
    const document = doc();
    const first = checkCost(schema, document, { first: 5, after: 'a' }, undefined, 1000);
    expect(first).toEqual(checkCost(schema, doc(), { first: 5, after: 'a' }, undefined, 1000));
    expect(checkCost(schema, document, { first: 5, after: 'b' }, undefined, 1000)).toEqual(first);
    const bigger = checkCost(schema, document, { first: 50, after: 'b' }, undefined, 1000);
    expect(bigger.cost).toBeGreaterThan(first.cost);
    expect(checkCost(schema, document, { first: 50, withName: true }, undefined, 1000).cost).toBeGreaterThan(bigger.cost);
    // The limit is applied to the cost each time, not remembered with it.
    expect(checkCost(schema, document, { first: 50 }, undefined, bigger.cost - 1).error?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('does not remember a cost counted with variables that do not fit, so the same key counts again once they do', () => {
    const document = doc();
    expect(checkCost(schema, document, { first: 'many' }, undefined, 50)).toEqual({ cost: 0, error: null });
    // No numeric variable either way: the variable's default (100 rows) is counted, and refused.
    expect(checkCost(schema, document, {}, undefined, 50).error?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
