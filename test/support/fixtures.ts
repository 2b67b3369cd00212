import type { GraphQLResult, TestGateway } from './test-gateway.js';

export type ScopeName = 'ADMIN' | 'CATALOG_READ' | 'CATALOG_WRITE' | 'PUBLISH' | 'FEED_READ';

/** Asserts a GraphQL response has no errors and returns its data. */
export function ok<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The single error of a failed response: its code and violations. */
export function errorOf(result: GraphQLResult<unknown>) {
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  return { code: error.extensions.code, message: error.message, violations: error.extensions.violations ?? [] };
}

let counter = 0;

/** A new organization with one key holding `scopes` (each test makes its own). */
export async function newOrganization(gw: TestGateway, scopes: ScopeName[] = ['ADMIN']) {
  const name = `Org ${++counter} ${Date.now()}`;
  const org = ok(await gw.gql(`mutation($n: String!) { createOrganization(input: { name: $n }) { id name } }`, { n: name })).createOrganization;
  const key = await newKey(gw, org.id, scopes, gw.operatorKey);
  return { id: org.id as string, name, key };
}

export async function newKey(gw: TestGateway, organizationId: string, scopes: ScopeName[], asKey: string): Promise<string> {
  const res = await gw.gql(
    `mutation($o: ID!, $s: [Scope!]!) { createApiKey(input: { organizationId: $o, name: "test key", scopes: $s }) { plainKey apiKey { id } } }`,
    { o: organizationId, s: scopes },
    asKey,
  );
  return ok(res).createApiKey.plainKey as string;
}

export const PROGRAM_FIELDS = `id slug name shortName slogan description category keywords icon { url sha256 width height }
  servicePhone serviceEmail privacyPolicyUrl syndicated archived revision
  hostOverrides { host name shortName slogan description category keywords servicePhone }`;

export function programInput(overrides: Record<string, unknown> = {}) {
  return {
    slug: `shop-${++counter}`,
    name: 'Corner Bakery',
    shortName: 'Bakery',
    slogan: 'Fresh bread every morning',
    description: 'Order bread and cakes from the corner bakery for pickup or delivery.',
    category: 'life.food',
    keywords: ['bread', 'cake'],
    icon: { url: 'https://cdn.example.test/icon.png', sha256: 'a'.repeat(64), width: 180, height: 180 },
    servicePhone: '+86 10 1234 5678',
    serviceEmail: 'help@bakery.example',
    privacyPolicyUrl: 'https://bakery.example/privacy',
    ...overrides,
  };
}

export async function createProgram(gw: TestGateway, key: string, overrides: Record<string, unknown> = {}) {
  const res = await gw.gql(`mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { ${PROGRAM_FIELDS} } }`, { i: programInput(overrides) }, key);
  return ok(res).createMiniProgram;
}

export function templateVersion(version: string) {
  return { version, releaseNotes: `Release ${version}`, artifact: { template: { templateId: '12', extJson: { theme: 'light' } } } };
}

export async function createVersion(gw: TestGateway, key: string, miniProgramId: string, version: string) {
  const res = await gw.gql(
    `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id version locked artifact { kind templateId extJson } } }`,
    { i: { miniProgramId, ...templateVersion(version) } },
    key,
  );
  return ok(res).createVersion;
}

/** A new partner (created by the operator) with one FEED_READ key. */
export async function newPartner(gw: TestGateway, name = `Partner ${++counter} ${Date.now()}`): Promise<{ id: string; key: string; keyId: string }> {
  const partner = ok(await gw.gql(`mutation($n: String!) { createPartner(input: { name: $n }) { id } }`, { n: name })).createPartner;
  const created = ok(
    await gw.gql(`mutation($p: ID!) { createPartnerKey(input: { partnerId: $p, name: "feed reader" }) { plainKey partnerKey { id } } }`, { p: partner.id }),
  ).createPartnerKey;
  return { id: partner.id as string, key: created.plainKey as string, keyId: created.partnerKey.id as string };
}
