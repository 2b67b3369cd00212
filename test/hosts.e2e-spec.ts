import { createProgram, errorOf, newOrganization, ok } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const HOSTS = `{ hosts { host displayName mode baseUrl limits { rule value source }
  capabilities { rollback withdrawReview speedUpReview analytics reviewPushes basicInfoSync artifactKinds
    grayRelease { allowedPercentages min max mustIncrease cancellable } } } }`;
const VALIDATE = `query($id: ID!, $v: ID!, $hosts: [Host!]) {
  validateMiniProgram(id: $id, versionId: $v, hosts: $hosts) { host valid violations { host field rule message } } }`;

// A version whose release notes and template id suit every host (Alipay wants 30 units of notes
// and its template mini-program's 16-digit app id).
async function versionFor(gw: TestGateway, key: string, miniProgramId: string, version: string) {
  const input = {
    miniProgramId,
    version,
    releaseNotes: 'Faster checkout, clearer prices and a new pickup screen.',
    artifact: { template: { templateId: '12', extJson: { theme: 'light' }, hostTemplateIds: [{ host: 'ALIPAY', templateId: '2021000000000001' }] } },
  };
  return ok(await gw.gql(`mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }`, { i: input }, key)).createVersion as { id: string };
}

describe('hosts (sandbox mode, the default)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('lists the four hosts with their capabilities and limits, each served by a running sandbox', async () => {
    const org = await newOrganization(gw, ['FEED_READ']);
    const { hosts } = ok(await gw.gql(HOSTS, {}, org.key));
    expect(hosts.map((h: { host: string }) => h.host)).toEqual(['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE']);
    for (const h of hosts) {
      expect(h.mode).toBe('SANDBOX');
      expect(h.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(h.limits.length).toBeGreaterThan(0);
      expect(h.capabilities.artifactKinds.length).toBeGreaterThan(0);
    }
    const wechat = hosts[0];
    expect(wechat.capabilities).toMatchObject({ rollback: true, withdrawReview: true, reviewPushes: true, artifactKinds: ['TEMPLATE'] });
    expect(wechat.capabilities.grayRelease).toMatchObject({ min: 1, max: 100 });

    // The WeChat sandbox speaks the host's protocol: a token request for an unknown platform is
    // answered like the host answers it (HTTP 200 with errcode 61011).
    const res = await fetch(`${wechat.baseUrl}/cgi-bin/component/api_component_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ component_appid: 'wx0000000000000000', component_appsecret: 'nope', component_verify_ticket: 'nope' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ errcode: 61011 });
  });

  it("checks one definition against every host's rules, with per-host overrides applied", async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE', 'CATALOG_READ']);
    const program = await createProgram(gw, org.key, {
      name: '城市点餐小程序',
      servicePhone: '010-12345678',
      // WeChat forbids 小程序 in a name; Baidu allows at most 10 characters.
      hostOverrides: [
        { host: 'WECHAT', name: '城市点餐' },
        { host: 'BAIDU', name: '城市点餐' },
      ],
    });
    const version = await versionFor(gw, org.key, program.id, '1.0.0');
    const results = ok(await gw.gql(VALIDATE, { id: program.id, v: version.id }, org.key)).validateMiniProgram;
    expect(results.map((r: { host: string; valid: boolean }) => [r.host, r.valid])).toEqual([
      ['WECHAT', true],
      ['ALIPAY', true],
      ['BAIDU', true],
      ['BYTEDANCE', true],
    ]);

    // Without the WeChat override the canonical name is checked, and the rule is named.
    const bare = await createProgram(gw, org.key, { name: '城市点餐小程序', category: 'games.casual' });
    const bareVersion = await versionFor(gw, org.key, bare.id, '1.0.0');
    const [wechat] = ok(await gw.gql(VALIDATE, { id: bare.id, v: bareVersion.id, hosts: ['WECHAT'] }, org.key)).validateMiniProgram;
    expect(wechat.valid).toBe(false);
    expect(wechat.violations.map((v: { field: string; rule: string }) => [v.field, v.rule])).toEqual([
      ['name', 'forbiddenWord'],
      ['category', 'categoryUnmapped'],
    ]);
    expect(wechat.violations[0]).toMatchObject({ host: 'WECHAT', message: expect.stringContaining('小程序') });

    // The hosts filter keeps the answer to the hosts asked for, in the gateway's order.
    const some = ok(await gw.gql(VALIDATE, { id: bare.id, v: bareVersion.id, hosts: ['BYTEDANCE', 'BAIDU'] }, org.key)).validateMiniProgram;
    expect(some.map((r: { host: string }) => r.host)).toEqual(['BAIDU', 'BYTEDANCE']);
    expect(some.every((r: { valid: boolean }) => !r.valid)).toBe(true);
  });

  it('refuses a version of another mini-program, bad host lists and keys without catalog:read', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE', 'CATALOG_READ']);
    const one = await createProgram(gw, org.key);
    const other = await createProgram(gw, org.key);
    const otherVersion = await versionFor(gw, org.key, other.id, '1.0.0');
    const foreign = errorOf(await gw.gql(VALIDATE, { id: one.id, v: otherVersion.id }, org.key));
    expect(foreign).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(otherVersion.id) });

    const twice = errorOf(await gw.gql(VALIDATE, { id: other.id, v: otherVersion.id, hosts: ['WECHAT', 'WECHAT'] }, org.key));
    expect(twice.code).toBe('BAD_USER_INPUT');
    expect(twice.violations).toEqual([expect.objectContaining({ field: 'hosts', rule: 'arrayUnique' })]);

    const badId = errorOf(await gw.gql(VALIDATE, { id: 'not-a-uuid', v: otherVersion.id }, org.key));
    expect(badId.violations).toEqual([expect.objectContaining({ field: 'id', rule: 'isUuid' })]);

    const reader = await newOrganization(gw, ['FEED_READ']);
    expect(errorOf(await gw.gql(VALIDATE, { id: other.id, v: otherVersion.id }, reader.key)).code).toBe('FORBIDDEN');
    expect(errorOf(await gw.gql(HOSTS, {}, null)).code).toBe('UNAUTHENTICATED');
  });
});

describe('hosts (HOSTS_MODE=off)', () => {
  it('starts no sandbox and calls no host, yet still checks listings; a stopped gateway leaves no sandbox behind', async () => {
    const sandboxed = await startTestGateway();
    const org = await newOrganization(sandboxed, ['FEED_READ']);
    const urls = ok(await sandboxed.gql(HOSTS, {}, org.key)).hosts.map((h: { baseUrl: string }) => h.baseUrl) as string[];
    await sandboxed.close();
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();

    const gw = await startTestGateway({ HOSTS_MODE: 'off' });
    try {
      const owner = await newOrganization(gw, ['CATALOG_WRITE', 'CATALOG_READ']);
      const hosts = ok(await gw.gql(HOSTS, {}, owner.key)).hosts;
      expect(hosts.map((h: { mode: string; baseUrl: string | null }) => [h.mode, h.baseUrl])).toEqual(Array(4).fill(['OFF', null]));
      const program = await createProgram(gw, owner.key, { name: '城市点餐小程序' });
      const version = await versionFor(gw, owner.key, program.id, '1.0.0');
      const [wechat] = ok(await gw.gql(VALIDATE, { id: program.id, v: version.id, hosts: ['WECHAT'] }, owner.key)).validateMiniProgram;
      expect(wechat.violations.map((v: { rule: string }) => v.rule)).toEqual(['forbiddenWord']);
    } finally {
      await gw.close();
    }
    // Two gateways start and stop in this test.
  }, 90_000);
});
