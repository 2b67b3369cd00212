import { createProgram, createVersion, errorOf, newOrganization, ok, templateVersion } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Every query and mutation that takes an id, tried by organization B on organization A's rows:
// the answer must be the one an id that never existed gets, and A's rows must be unchanged.
describe('tenant isolation', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("treats another organization's ids exactly like ids that do not exist", async () => {
    const a = await newOrganization(gw, ['ADMIN']);
    const b = await newOrganization(gw, ['ADMIN']);
    const program = await createProgram(gw, a.key, { slug: 'private-app' });
    const version = await createVersion(gw, a.key, program.id, '1.0.0');
    const aKeys = ok(await gw.gql(`query($o: ID!) { apiKeys(organizationId: $o) { id } }`, { o: a.id }, a.key)).apiKeys;
    const ghost = '00000000-0000-4000-8000-00000000abcd';
    const bProgram = await createProgram(gw, b.key, { slug: 'own-app' });
    const VALIDATE = `query($id: ID!, $v: ID!) { validateMiniProgram(id: $id, versionId: $v) { host valid } }`;

    const attempts: Array<[string, string, (id: string) => Record<string, unknown>, string]> = [
      ['miniProgram', `query($id: ID!) { miniProgram(id: $id) { id } }`, (id) => ({ id }), program.id],
      ['version', `query($id: ID!) { version(id: $id) { id } }`, (id) => ({ id }), version.id],
      ['organization', `query($id: ID!) { organization(id: $id) { id } }`, (id) => ({ id }), a.id],
      ['apiKeys', `query($id: ID!) { apiKeys(organizationId: $id) { id } }`, (id) => ({ id }), a.id],
      [
        'updateMiniProgram',
        `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { id } }`,
        (id) => ({ i: { id, revision: 1, name: 'Hijacked' } }),
        program.id,
      ],
      [
        'archiveMiniProgram',
        `mutation($i: ArchiveMiniProgramInput!) { archiveMiniProgram(input: $i) { id } }`,
        (id) => ({ i: { id, revision: 1 } }),
        program.id,
      ],
      [
        'unarchiveMiniProgram',
        `mutation($i: ArchiveMiniProgramInput!) { unarchiveMiniProgram(input: $i) { id } }`,
        (id) => ({ i: { id, revision: 1 } }),
        program.id,
      ],
      [
        'createVersion',
        `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }`,
        (id) => ({ i: { miniProgramId: id, ...templateVersion('9.9.9') } }),
        program.id,
      ],
      ['updateVersion', `mutation($i: UpdateVersionInput!) { updateVersion(input: $i) { id } }`, (id) => ({ i: { id, releaseNotes: 'Hijacked' } }), version.id],
      ['deleteVersion', `mutation($id: ID!) { deleteVersion(id: $id) { id } }`, (id) => ({ id }), version.id],
      ['createApiKey', `mutation($id: ID!) { createApiKey(input: { organizationId: $id, name: "x", scopes: [ADMIN] }) { plainKey } }`, (id) => ({ id }), a.id],
      ['validateMiniProgram', VALIDATE, (id) => ({ id, v: version.id }), program.id],
      ['validateMiniProgram (version)', VALIDATE, (id) => ({ id: bProgram.id, v: id }), version.id],
      ['revokeApiKey', `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, (id) => ({ id }), aKeys[0].id],
    ];
    for (const [name, query, vars, foreignId] of attempts) {
      const foreign = errorOf(await gw.gql(query, vars(foreignId), b.key));
      const missing = errorOf(await gw.gql(query, vars(ghost), b.key));
      expect({ name, code: foreign.code, message: foreign.message.replace(foreignId, '<id>') }).toEqual({
        name,
        code: missing.code,
        message: missing.message.replace(ghost, '<id>'),
      });
      expect({ name, code: foreign.code }).toEqual({ name, code: 'NOT_FOUND' });
    }

    // B's list never shows A's rows, even when searching for them.
    const list = ok(await gw.gql(`{ miniPrograms(filter: { search: "private" }) { totalCount edges { node { id } } } }`, {}, b.key)).miniPrograms;
    expect(list).toEqual({ totalCount: 0, edges: [] });

    // Nothing of A's changed.
    const read = ok(
      await gw.gql(`query($id: ID!) { miniProgram(id: $id) { name revision archived versions { totalCount } } }`, { id: program.id }, a.key),
    ).miniProgram;
    expect(read).toEqual({ name: program.name, revision: 1, archived: false, versions: { totalCount: 1 } });
    expect(ok(await gw.gql(`query($id: ID!) { version(id: $id) { releaseNotes } }`, { id: version.id }, a.key)).version.releaseNotes).toBe('Release 1.0.0');
    expect(ok(await gw.gql(`{ viewer { organization { id } } }`, {}, a.key)).viewer.organization.id).toBe(a.id);
  });
});
