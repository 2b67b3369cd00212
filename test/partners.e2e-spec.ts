import { createProgram, errorOf, newOrganization, newPartner, ok } from './support/fixtures.js';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const CREATE_PARTNER = `mutation($n: String!) { createPartner(input: { name: $n }) { id name disabledAt disabledReason createdAt } }`;
const CREATE_KEY = `mutation($p: ID!) { createPartnerKey(input: { partnerId: $p, name: "feed reader" }) { plainKey partnerKey { id partnerId prefix scopes revokedAt } } }`;
const VIEWER = `{ viewer { isOperator organization { id } partner { id name } scopes } }`;

describe('partners and their keys', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('lets the operator create a partner and a FEED_READ key that knows who it is', async () => {
    const partner = ok(await gw.gql(CREATE_PARTNER, { n: '  App Store One  ' })).createPartner;
    expect(partner).toMatchObject({ name: 'App Store One', disabledAt: null, disabledReason: null });
    const created = ok(await gw.gql(CREATE_KEY, { p: partner.id })).createPartnerKey;
    expect(created.plainKey).toMatch(/^mpp_[0-9a-f]{8}_/);
    expect(created.partnerKey).toMatchObject({ partnerId: partner.id, scopes: ['FEED_READ'], revokedAt: null, prefix: created.plainKey.slice(0, 12) });
    expect(ok(await gw.gql(VIEWER, {}, created.plainKey)).viewer).toEqual({
      isOperator: false,
      organization: null,
      partner: { id: partner.id, name: 'App Store One' },
      scopes: ['FEED_READ'],
    });
    const keys = ok(await gw.gql(`query($p: ID!) { partnerKeys(partnerId: $p) { id scopes lastUsedAt } }`, { p: partner.id })).partnerKeys;
    expect(keys).toEqual([{ id: created.partnerKey.id, scopes: ['FEED_READ'], lastUsedAt: expect.any(String) }]);
  });

  it('refuses a partner key everything outside the feed: catalog, publishing, keys, partners', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const program = await createProgram(gw, org.key, { syndicated: true });
    const partner = await newPartner(gw);
    const refused = [
      [`{ miniPrograms(first: 5) { edges { node { id } } } }`, {}],
      [`query($id: ID!) { miniProgram(id: $id) { id } }`, { id: program.id }],
      [`query($o: ID!) { organization(id: $o) { id } }`, { o: org.id }],
      [`query($o: ID!) { apiKeys(organizationId: $o) { id } }`, { o: org.id }],
      [`mutation { createMiniProgram(input: { slug: "x", name: "x", description: "x", category: "life.food" }) { id } }`, {}],
      [`mutation($o: ID!) { createApiKey(input: { organizationId: $o, name: "x", scopes: [ADMIN] }) { plainKey } }`, { o: org.id }],
      [`mutation { createPartner(input: { name: "x" }) { id } }`, {}],
      [`{ partners(first: 5) { edges { node { id } } } }`, {}],
    ] as const;
    for (const [query, variables] of refused) {
      const error = errorOf(await gw.gql(query, variables, partner.key));
      expect({ query, code: error.code, message: error.message }).toEqual({
        query,
        code: 'FORBIDDEN',
        message: expect.stringMatching(/partner key|operator key/),
      });
    }
    // Public reference data stays open to it.
    expect(ok(await gw.gql(`{ hosts { host } }`, {}, partner.key)).hosts.length).toBe(4);
    expect(ok(await gw.gql(`{ categories { code } }`, {}, partner.key)).categories.length).toBeGreaterThan(5);
  });

  it('keeps partner management to the operator', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    expect(errorOf(await gw.gql(CREATE_PARTNER, { n: 'Sneaky' }, org.key)).code).toBe('FORBIDDEN');
    expect(errorOf(await gw.gql(`{ partners(first: 1) { edges { node { id } } } }`, {}, org.key)).code).toBe('FORBIDDEN');
  });

  it('revokes one key at once and disables a partner with every key, keeping the reason', async () => {
    const partner = await newPartner(gw);
    const second = ok(await gw.gql(CREATE_KEY, { p: partner.id })).createPartnerKey.plainKey as string;
    ok(await gw.gql(VIEWER, {}, partner.key));
    ok(await gw.gql(VIEWER, {}, second));

    ok(await gw.gql(`mutation($id: ID!) { revokePartnerKey(id: $id) { id revokedAt } }`, { id: partner.keyId }));
    expect(errorOf(await gw.gql(VIEWER, {}, partner.key)).code).toBe('UNAUTHENTICATED');
    expect(ok(await gw.gql(VIEWER, {}, second)).viewer.partner.id).toBe(partner.id);

    const disabled = ok(
      await gw.gql(`mutation($id: ID!) { disablePartner(input: { id: $id, reason: "contract ended" }) { id disabledAt disabledReason } }`, { id: partner.id }),
    ).disablePartner;
    expect(disabled).toMatchObject({ id: partner.id, disabledReason: 'contract ended', disabledAt: expect.any(String) });
    expect(errorOf(await gw.gql(VIEWER, {}, second)).code).toBe('UNAUTHENTICATED');
    // Disabling again keeps the first reason; a disabled partner gets no new key.
    const again = ok(await gw.gql(`mutation($id: ID!) { disablePartner(input: { id: $id, reason: "other" }) { disabledReason } }`, { id: partner.id }));
    expect(again.disablePartner.disabledReason).toBe('contract ended');
    expect(errorOf(await gw.gql(CREATE_KEY, { p: partner.id })).code).toBe('CONFLICT');

    // Listed only with includeDisabled.
    const list = async (includeDisabled: boolean) =>
      ok(
        await gw.gql(`query($d: Boolean!) { partners(first: 100, includeDisabled: $d) { edges { node { id } } } }`, { d: includeDisabled }),
      ).partners.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await list(false)).not.toContain(partner.id);
    expect(await list(true)).toContain(partner.id);
  });

  it('refuses a disabled partner on another gateway instance within a second', async () => {
    const other = await startTestGateway({}, { sameDatabaseAs: gw });
    try {
      const partner = await newPartner(gw);
      // Both instances hold the key in memory.
      expect(ok(await gw.gql(VIEWER, {}, partner.key)).viewer.partner.id).toBe(partner.id);
      expect(ok(await other.gql(VIEWER, {}, partner.key)).viewer.partner.id).toBe(partner.id);
      ok(await gw.gql(`mutation($id: ID!) { disablePartner(input: { id: $id, reason: "paused" }) { id } }`, { id: partner.id }));
      await eventually(async () => expect(errorOf(await other.gql(VIEWER, {}, partner.key)).code).toBe('UNAUTHENTICATED'), { timeoutMs: 1000, intervalMs: 10 });
    } finally {
      await other.close();
    }
  });

  it('names the field and rule of bad input, and answers NOT_FOUND for unknown partners', async () => {
    const bad = errorOf(await gw.gql(CREATE_PARTNER, { n: '   ' }));
    expect(bad).toMatchObject({ code: 'BAD_USER_INPUT', violations: [expect.objectContaining({ field: 'name', rule: 'isNotEmpty' })] });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(errorOf(await gw.gql(CREATE_KEY, { p: unknown })).code).toBe('NOT_FOUND');
    expect(errorOf(await gw.gql(`query($id: ID!) { partner(id: $id) { id } }`, { id: unknown })).code).toBe('NOT_FOUND');
  });
});
