import { buildSchema, parse, execute } from 'graphql';
const schema = buildSchema(`scalar DateTime
type MiniProgram { id: ID! slug: String! name: String! category: String! revision: Int! createdAt: DateTime! }
type Edge { cursor: String! node: MiniProgram! }
type PageInfo { endCursor: String hasNextPage: Boolean! }
type Conn { edges: [Edge!]! pageInfo: PageInfo! }
type Query { miniPrograms(first: Int = 20, after: String): Conn! }`);
schema.getType('DateTime').serialize = (v) => v.toISOString();
const rows = Array.from({ length: 20 }, (_, i) => ({ cursor: 'WyIyMDI2LTEyLTAxVDA1OjAwOjAwLjEyM1oiLCI3ZDBmNmYwZS01OWE0LTRjOGUtOWI1My0yYjFmNGEzZjJhMTEiXQ', node: { id: '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11', slug: 'app-' + i, name: 'App ' + i, category: 'tools.utility', revision: 1, createdAt: new Date() } }));
const root = { miniPrograms: async () => ({ edges: rows, pageInfo: { endCursor: 'x', hasNextPage: true } }) };
const doc = parse('{ miniPrograms(first: 20) { edges { cursor node { id slug name category revision createdAt } } pageInfo { endCursor hasNextPage } } }');
for (let r = 0; r < 3; r++) { const n = 20000; const t = performance.now(); for (let i = 0; i < n; i++) { const res = await execute({ schema, document: doc, rootValue: root }); JSON.stringify(res); } console.log('graphql-js execute + stringify', ((performance.now() - t) / n * 1000).toFixed(0), 'µs'); }
