import { createProgram, createVersion, newOrganization, ok } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// Lists, not single ids: each organization's pages of mini-programs and of a program's versions
// hold its own rows only, while another organization has rows of its own in the same tables.
describe('tenant isolation of lists', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("never shows one organization's programs or versions in another's pages", async () => {
    const a = await newOrganization(gw, ['ADMIN']);
    const b = await newOrganization(gw, ['ADMIN']);
    const aProgram = await createProgram(gw, a.key, { slug: 'a-app' });
    await createVersion(gw, a.key, aProgram.id, '1.0.0');
    await createVersion(gw, a.key, aProgram.id, '1.1.0');
    const bProgram = await createProgram(gw, b.key, { slug: 'b-app' });
    await createVersion(gw, b.key, bProgram.id, '2.0.0');

    const LIST = `{ miniPrograms(first: 10) { totalCount edges { node { slug versions(first: 10) { totalCount edges { node { version } } } } } } }`;
    const pageOf = async (key: string) => {
      const list = ok(await gw.gql(LIST, {}, key)).miniPrograms;
      return {
        totalCount: list.totalCount,
        programs: list.edges.map((e: any) => ({
          slug: e.node.slug,
          versions: e.node.versions.edges.map((v: any) => v.node.version),
          versionCount: e.node.versions.totalCount,
        })),
      };
    };
    expect(await pageOf(a.key)).toEqual({ totalCount: 1, programs: [{ slug: 'a-app', versions: ['1.1.0', '1.0.0'], versionCount: 2 }] });
    expect(await pageOf(b.key)).toEqual({ totalCount: 1, programs: [{ slug: 'b-app', versions: ['2.0.0'], versionCount: 1 }] });
  });
});
