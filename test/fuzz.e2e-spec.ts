import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { createProgram, createVersion, newOrganization, ok, programInput, templateVersion } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Every query and mutation argument (and the arguments of the fields under them), driven with
// hostile strings and shapes. Whatever comes in, the answer is a 4xx-class GraphQL error or
// data: never INTERNAL_SERVER_ERROR, never PostgreSQL's own words, and the server keeps answering.

const RUNS_PER_FIELD = Number(process.env.FUZZ_RUNS ?? 30);

const POSTGRES_TEXT =
  /invalid input syntax|invalid byte sequence|unsupported Unicode|violates .*constraint|duplicate key|syntax error at|relation "|column "|out of range|QueryFailedError|SQLSTATE|ECONNREFUSED|Maximum call stack|postgres/i;

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\t\n ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\u202e\u0301',
  '😀🥐𝒳',
  "'; DROP TABLE mini_programs; --",
  '%_\\',
  '\\u0000',
  '{"a":',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'NaN',
  '-0',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  '------------------------------------',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  Buffer.from(JSON.stringify(['-100000-01-01T00:00:00.000Z', '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11'])).toString('base64url'),
  Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '------------------------------------'])).toString('base64url'),
  Buffer.from(JSON.stringify({ a: 1 })).toString('base64url'),
  'x'.repeat(5000),
  'é'.repeat(300),
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((units) => String.fromCharCode(...units)) },
);

const hostileInt = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// Any JSON at all: the wrong type for a field, deep nesting, hostile keys.
const wildValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileInt,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

// Nested far past every limit, built iteratively so the test itself does not overflow.
const deepValue = fc.integer({ min: 30, max: 800 }).map((levels) => {
  const top: Record<string, unknown> = {};
  let cur = top;
  for (let i = 0; i < levels; i++) cur = cur.a = {};
  return top;
});

function idArb(realIds: string[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realIds) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 2, arbitrary: hostileString });
}

function arbFor(type: GraphQLInputType, realIds: string[], depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (isNonNullType(type)) return fc.oneof({ weight: 12, arbitrary: arbFor(type.ofType, realIds, depth) }, { weight: 1, arbitrary: wildValue });
  if (isListType(type))
    return fc.oneof({ weight: 8, arbitrary: fc.array(arbFor(type.ofType, realIds, depth + 1), { maxLength: 6 }) }, { weight: 1, arbitrary: wildValue });
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const model = Object.fromEntries(fields.map((f) => [f.name, arbFor(f.type, realIds, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(model, { requiredKeys: required }) },
      { weight: 2, arbitrary: fc.record(model, { requiredKeys: [] }) },
      { weight: 1, arbitrary: wildValue },
    );
  }
  if (isEnumType(type))
    return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: hostileString });
  switch (type.name) {
    case 'ID':
      return idArb(realIds);
    case 'Int':
    case 'Float':
      return fc.oneof({ weight: 6, arbitrary: hostileInt }, { weight: 1, arbitrary: wildValue });
    case 'Boolean':
      return fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: wildValue });
    case 'JSONObject':
      return fc.oneof(fc.dictionary(hostileString, wildValue, { maxKeys: 6 }), deepValue, wildValue);
    default:
      return fc.oneof({ weight: 6, arbitrary: hostileString }, { weight: 1, arbitrary: wildValue });
  }
}

/** A valid value with one leaf (anywhere in it) replaced by something hostile, or spliced into. */
function mutateOneLeaf(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const leaves: string[][] = [];
  const walk = (v: unknown, path: string[]) => {
    if (typeof v === 'object' && v !== null) for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
    else leaves.push(path);
  };
  walk(valid, []);
  return fc.tuple(fc.nat({ max: leaves.length - 1 }), fc.oneof(hostileString, wildValue, deepValue), fc.boolean()).map(([i, replacement, splice]) => {
    const copy = structuredClone(valid);
    const path = leaves[i];
    let parent = copy;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
    const last = path[path.length - 1];
    const old = parent[last];
    parent[last] = splice && typeof old === 'string' && typeof replacement === 'string' ? `${old.slice(0, 2)}${replacement}${old.slice(2)}` : replacement;
    return copy;
  });
}

/** Selection under a field: __typename, plus every field with arguments (fuzzed too) up to 4 levels down. */
function selection(type: GraphQLNamedType, prefix: string, vars: Array<{ name: string; type: GraphQLInputType }>, depth: number): string {
  if (!isObjectType(type)) return '';
  const parts = ['__typename'];
  if (depth < 4) {
    for (const field of Object.values(type.getFields())) {
      const inner = selection(getNamedType(field.type), `${prefix}_${field.name}`, vars, depth + 1);
      if (field.args.length) {
        const args = field.args.map((a) => {
          const name = `${prefix}_${field.name}_${a.name}`;
          vars.push({ name, type: a.type });
          return `${a.name}: $${name}`;
        });
        parts.push(`${field.name}(${args.join(', ')}) ${inner}`);
      } else if (inner.includes('(')) parts.push(`${field.name} ${inner}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const vars: Array<{ name: string; type: GraphQLInputType }> = field.args.map((a) => ({ name: a.name, type: a.type }));
  const args = field.args.map((a) => `${a.name}: $${a.name}`);
  const inner = isLeafType(getNamedType(field.type)) ? '' : selection(getNamedType(field.type), 'n', vars, 1);
  const header = vars.length ? `(${vars.map((v) => `$${v.name}: ${String(v.type)}`).join(', ')})` : '';
  return { document: `${kind} Fuzz${header} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${inner} }`, vars };
}

describe('fuzzing every argument', () => {
  let gw: TestGateway;
  let schema: GraphQLSchema;
  let org: { id: string; key: string };
  let realIds: string[];
  let programId: string;
  let versionId: string;

  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_REQUESTS: '0' });
    org = await newOrganization(gw, ['ADMIN']);
    const program = await createProgram(gw, org.key);
    programId = program.id;
    versionId = (await createVersion(gw, org.key, programId, '1.0.0')).id;
    realIds = [org.id, programId, versionId];
    schema = buildClientSchema(ok(await gw.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, org.key)));
  });
  afterAll(async () => {
    await gw?.close();
  });

  // Valid starting points for the operations whose arguments must mostly pass validation to
  // reach the database; one leaf at a time is then made hostile.
  const baselines = (): Record<string, Record<string, unknown>> => ({
    createMiniProgram: { input: programInput() },
    updateMiniProgram: { input: { id: programId, revision: 1, name: 'Renamed', keywords: ['a'] } },
    archiveMiniProgram: { input: { id: programId, revision: 1 } },
    createVersion: { input: { miniProgramId: programId, ...templateVersion('2.0.0') } },
    updateVersion: { input: { id: versionId, releaseNotes: 'notes', artifact: { template: { templateId: '7', extJson: { a: 'b' } } } } },
    createApiKey: { input: { organizationId: org.id, name: 'fuzz', scopes: ['CATALOG_READ'] } },
    createOrganization: { input: { name: 'Fuzz Org' } },
    miniPrograms: { first: 5, after: null, filter: { search: 'bak', category: 'life.food', archived: false } },
    miniProgram: { id: programId, n_versions_first: 3, n_versions_after: null },
    validateMiniProgram: { id: programId, versionId, hosts: ['WECHAT'] },
    version: { id: versionId },
    organization: { id: org.id },
    apiKeys: { organizationId: org.id },
  });

  async function send(document: string, variables: unknown, key: string) {
    const res = await fetch(`${gw.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: document, variables }),
    });
    const text = await res.text();
    return { status: res.status, text };
  }

  function assertClean(res: { status: number; text: string }, context: string) {
    if (res.status >= 500) throw new Error(`HTTP ${res.status} for ${context}: ${res.text.slice(0, 500)}`);
    const body = JSON.parse(res.text) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    for (const error of body.errors ?? []) {
      if (!error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR')
        throw new Error(`internal error for ${context}: ${res.text.slice(0, 500)}`);
    }
    if (POSTGRES_TEXT.test(JSON.stringify(body.errors ?? []))) throw new Error(`database text in the answer for ${context}: ${res.text.slice(0, 500)}`);
  }

  it.each(['query', 'mutation'] as const)(
    'answers hostile %s arguments with 4xx errors or data, never an internal error',
    async (kind) => {
      const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
      const fields = Object.values(root.getFields()).filter((f) => f.args.length > 0 || kind === 'query');
      expect(fields.length).toBeGreaterThan(kind === 'query' ? 5 : 8);
      const base = baselines();
      for (const field of fields) {
        const { document, vars } = operationFor(kind, field);
        const key = field.name === 'createOrganization' ? gw.operatorKey : org.key;
        const generated = fc.record(Object.fromEntries(vars.map((v) => [v.name, arbFor(v.type, realIds)])), { requiredKeys: [] });
        const arbitrary = base[field.name] ? fc.oneof(generated, mutateOneLeaf(base[field.name])) : generated;
        await fc.assert(
          fc.asyncProperty(arbitrary, async (variables) =>
            assertClean(await send(document, variables, key), `${field.name} ${JSON.stringify(variables).slice(0, 300)}`),
          ),
          { numRuns: RUNS_PER_FIELD },
        );
      }
      // Still answering, with its data intact.
      expect((await fetch(`${gw.baseUrl}/health`)).status).toBe(200);
      expect(ok(await gw.gql(`{ miniProgram(id: "${programId}") { id } }`, {}, org.key)).miniProgram.id).toBe(programId);
    },
    600_000,
  );

  it('answers hostile Authorization headers with UNAUTHENTICATED', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          printable,
          printable.map((s) => `Bearer ${s}`),
          printable.map((s) => `bearer  ${s} x`),
        ),
        async (header) => {
          const res = await fetch(`${gw.baseUrl}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: header },
            body: JSON.stringify({ query: '{ viewer { isOperator } }' }),
          });
          const body = (await res.json()) as { errors?: Array<{ extensions: { code: string } }> };
          if (header === `Bearer ${gw.operatorKey}`) return;
          expect(body.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
