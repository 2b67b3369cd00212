import { errorOf, newKey, newOrganization, ok } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const VIEWER = `{ viewer { isOperator scopes organization { id } } }`;
const KEYS = `query($o: ID!) { apiKeys(organizationId: $o) { id name prefix scopes lastUsedAt revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

describe('organizations and API keys', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('lets the operator create an organization and a key that is shown once and works', async () => {
    const org = ok(await gw.gql(`mutation { createOrganization(input: { name: "Acme Apps" }) { id name createdAt } }`)).createOrganization;
    expect(org.name).toBe('Acme Apps');
    const created = ok(
      await gw.gql(
        `mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "ci", scopes: [CATALOG_READ, CATALOG_WRITE] }) { plainKey apiKey { id name prefix scopes revokedAt } } }`,
        { o: org.id },
      ),
    ).createApiKey;
    expect(created.plainKey.startsWith(`${created.apiKey.prefix}_`)).toBe(true);
    expect(created.apiKey).toMatchObject({ name: 'ci', scopes: ['CATALOG_READ', 'CATALOG_WRITE'], revokedAt: null });

    const viewer = ok(await gw.gql(VIEWER, {}, created.plainKey)).viewer;
    expect(viewer).toEqual({ isOperator: false, scopes: ['CATALOG_READ', 'CATALOG_WRITE'], organization: { id: org.id } });

    // The list never shows the plain key or its hash, and records that the key was used.
    const listed = ok(await gw.gql(KEYS, { o: org.id })).apiKeys;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.plainKey);
    expect(listed[0].lastUsedAt).not.toBeNull();
  });

  it('refuses a missing, malformed or unknown key with UNAUTHENTICATED', async () => {
    expect(errorOf(await gw.gql(VIEWER, {}, null)).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await gw.gql(VIEWER, {}, 'mpg_00000000_not-a-real-key')).code).toBe('UNAUTHENTICATED');
    const res = await fetch(`${gw.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('revokes a key so that it stops working at once', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const reader = await newKey(gw, org.id, ['CATALOG_READ'], org.key);
    expect(ok(await gw.gql(VIEWER, {}, reader)).viewer.isOperator).toBe(false);
    const keys = ok(await gw.gql(KEYS, { o: org.id }, org.key)).apiKeys;
    const readerId = keys.find((k: any) => k.scopes.join() === 'CATALOG_READ').id;
    const revoked = ok(await gw.gql(REVOKE, { id: readerId }, org.key)).revokeApiKey;
    expect(revoked.revokedAt).not.toBeNull();
    expect(errorOf(await gw.gql(VIEWER, {}, reader)).code).toBe('UNAUTHENTICATED');
    // Revoking twice keeps the first revocation time.
    expect(ok(await gw.gql(REVOKE, { id: readerId }, org.key)).revokeApiKey.revokedAt).toBe(revoked.revokedAt);
  });

  it("lets an organization's admin key manage its own keys only", async () => {
    const a = await newOrganization(gw, ['ADMIN']);
    const b = await newOrganization(gw, ['ADMIN']);
    const made = await newKey(gw, a.id, ['FEED_READ'], a.key);
    expect(ok(await gw.gql(VIEWER, {}, made)).viewer.scopes).toEqual(['FEED_READ']);
    const cross = await gw.gql(
      `mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "x", scopes: [ADMIN] }) { plainKey } }`,
      { o: b.id },
      a.key,
    );
    expect(errorOf(cross).code).toBe('NOT_FOUND');
    expect(errorOf(await gw.gql(KEYS, { o: b.id }, a.key)).code).toBe('NOT_FOUND');
    const bKeys = ok(await gw.gql(KEYS, { o: b.id }, b.key)).apiKeys;
    expect(errorOf(await gw.gql(REVOKE, { id: bKeys[0].id }, a.key)).code).toBe('NOT_FOUND');
    // b's key still works.
    expect(ok(await gw.gql(VIEWER, {}, b.key)).viewer.organization.id).toBe(b.id);
  });

  it('answers FORBIDDEN when a scope is missing', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const reader = await newKey(gw, org.id, ['CATALOG_READ'], org.key);
    const feed = await newKey(gw, org.id, ['FEED_READ'], org.key);
    const create = `mutation { createMiniProgram(input: { slug: "x", name: "Xylophone", description: "d", category: "tools" }) { id } }`;
    const denied = errorOf(await gw.gql(create, {}, reader));
    expect(denied).toMatchObject({ code: 'FORBIDDEN' });
    expect(denied.message).toContain('catalog:write');
    expect(errorOf(await gw.gql(`{ miniPrograms { totalCount } }`, {}, feed)).code).toBe('FORBIDDEN');
    expect(errorOf(await gw.gql(`mutation { createOrganization(input: { name: "n" }) { id } }`, {}, org.key)).code).toBe('FORBIDDEN');
    expect(errorOf(await gw.gql(KEYS, { o: org.id }, reader)).code).toBe('FORBIDDEN');
    // The operator key belongs to no organization, so it cannot use the catalog.
    expect(errorOf(await gw.gql(`{ miniPrograms { totalCount } }`)).code).toBe('FORBIDDEN');
  });

  it('validates key input field by field', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const res = await gw.gql(`mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "  ", scopes: [] }) { plainKey } }`, { o: org.id });
    const err = errorOf(res);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.violations.map((v) => `${v.field}:${v.rule}`).sort()).toEqual(['name:isNotEmpty', 'scopes:arrayMinSize']);
    const badId = errorOf(await gw.gql(`mutation { revokeApiKey(id: "nope") { id } }`));
    expect(badId.violations).toEqual([{ field: 'id', rule: 'isUuid', message: expect.stringContaining('id') }]);
    const unknownOrg = await gw.gql(
      `mutation { createApiKey(input: { organizationId: "00000000-0000-4000-8000-000000000000", name: "k", scopes: [ADMIN] }) { plainKey } }`,
    );
    expect(errorOf(unknownOrg).code).toBe('NOT_FOUND');
  });
});
