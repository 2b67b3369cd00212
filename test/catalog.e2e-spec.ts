import { createProgram, createVersion, errorOf, newKey, newOrganization, ok, programInput, PROGRAM_FIELDS, templateVersion } from './support/fixtures.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const UPDATE = `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { ${PROGRAM_FIELDS} } }`;
const GET = `query($id: ID!) { miniProgram(id: $id) { ${PROGRAM_FIELDS} versions(first: 10) { totalCount edges { node { version } } } } }`;
const LIST = `query($first: Int!, $after: String, $filter: MiniProgramFilter) {
  miniPrograms(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id slug name category archived } } } }`;

describe('catalog', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('mini-programs', () => {
    it('creates a definition and reads it back exactly', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const input = programInput({
        hostOverrides: [
          { host: 'ALIPAY', name: 'Corner Bakery Pay', category: 'ecommerce.fresh' },
          { host: 'WECHAT', slogan: 'Bread near you' },
        ],
        syndicated: true,
      });
      const created = ok(
        await gw.gql(`mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { ${PROGRAM_FIELDS} } }`, { i: input }, org.key),
      ).createMiniProgram;
      const { hostOverrides: _overrides, ...fields } = input as any;
      expect(created).toMatchObject({ ...fields, archived: false, revision: 1, syndicated: true });
      expect(created.hostOverrides).toEqual([
        {
          host: 'ALIPAY',
          name: 'Corner Bakery Pay',
          category: 'ecommerce.fresh',
          shortName: null,
          slogan: null,
          description: null,
          keywords: null,
          servicePhone: null,
        },
        { host: 'WECHAT', slogan: 'Bread near you', name: null, shortName: null, description: null, category: null, keywords: null, servicePhone: null },
      ]);
      const read = ok(await gw.gql(GET, { id: created.id }, org.key)).miniProgram;
      expect(read).toMatchObject({ ...created, versions: { totalCount: 0, edges: [] } });
    });

    it('refuses invalid input before writing anything, naming each field and rule', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const bad = programInput({
        slug: 'Not A Slug',
        name: '',
        category: 'pets.cats',
        keywords: ['ok', 'ok'],
        icon: { url: 'not-a-url', sha256: 'xyz', width: 8, height: 180 },
        serviceEmail: 'nobody',
        hostOverrides: [{ host: 'BAIDU', description: '' }],
      });
      const err = errorOf(await gw.gql(`mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id } }`, { i: bad }, org.key));
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.violations.map((v) => `${v.field}:${v.rule}`).sort()).toEqual(
        [
          'category:isCanonicalCategory',
          'hostOverrides.0.description:isNotEmpty',
          'icon.sha256:matches',
          'icon.url:isUrl',
          'icon.width:min',
          'keywords:arrayUnique',
          'name:isNotEmpty',
          'serviceEmail:isEmail',
          'slug:matches',
        ].sort(),
      );
      for (const v of err.violations) expect(v.message).toContain(v.field.split('.').pop());
      expect(ok(await gw.gql(LIST, { first: 10 }, org.key)).miniPrograms.totalCount).toBe(0);

      const unknownField = await gw.gql(
        `mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id } }`,
        { i: programInput({ color: 'red' }) },
        org.key,
      );
      expect(errorOf(unknownField)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('color') });
      const twice = await gw.gql(
        `mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id } }`,
        { i: programInput({ hostOverrides: [{ host: 'WECHAT' }, { host: 'WECHAT' }] }) },
        org.key,
      );
      expect(errorOf(twice).violations).toEqual([{ field: 'hostOverrides.1.host', rule: 'uniqueHost', message: 'hostOverrides has WECHAT twice' }]);
    });

    it('keeps slugs unique per organization', async () => {
      const a = await newOrganization(gw, ['CATALOG_WRITE']);
      const b = await newOrganization(gw, ['CATALOG_WRITE']);
      await createProgram(gw, a.key, { slug: 'same-slug' });
      const again = await gw.gql(
        `mutation($i: CreateMiniProgramInput!) { createMiniProgram(input: $i) { id } }`,
        { i: programInput({ slug: 'same-slug' }) },
        a.key,
      );
      expect(errorOf(again).code).toBe('CONFLICT');
      expect((await createProgram(gw, b.key, { slug: 'same-slug' })).slug).toBe('same-slug');
    });

    it('updates at the current revision and refuses a stale one without writing', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const updated = ok(
        await gw.gql(
          UPDATE,
          { i: { id: program.id, revision: 1, name: 'Corner Bakery Two', slogan: null, hostOverrides: [{ host: 'BYTEDANCE', name: 'Bakery DY' }] } },
          org.key,
        ),
      ).updateMiniProgram;
      expect(updated).toMatchObject({ name: 'Corner Bakery Two', slogan: null, revision: 2, description: program.description });
      expect(updated.hostOverrides.map((o: any) => o.host)).toEqual(['BYTEDANCE']);

      const stale = errorOf(await gw.gql(UPDATE, { i: { id: program.id, revision: 1, name: 'Lost update' } }, org.key));
      expect(stale.code).toBe('CONFLICT');
      expect(stale.message).toContain('revision 2');
      expect(ok(await gw.gql(GET, { id: program.id }, org.key)).miniProgram).toMatchObject({ name: 'Corner Bakery Two', revision: 2 });

      const nullName = errorOf(await gw.gql(UPDATE, { i: { id: program.id, revision: 2, name: null } }, org.key));
      expect(nullName.violations.map((v) => v.field)).toContain('name');
    });

    it('archives and unarchives with revision checks, and filters by archived state', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const ARCHIVE = `mutation($i: ArchiveMiniProgramInput!) { archiveMiniProgram(input: $i) { archived archivedAt revision } }`;
      const UNARCHIVE = `mutation($i: ArchiveMiniProgramInput!) { unarchiveMiniProgram(input: $i) { archived archivedAt revision } }`;
      const archived = ok(await gw.gql(ARCHIVE, { i: { id: program.id, revision: 1 } }, org.key)).archiveMiniProgram;
      expect(archived).toMatchObject({ archived: true, revision: 2 });
      expect(errorOf(await gw.gql(ARCHIVE, { i: { id: program.id, revision: 2 } }, org.key)).code).toBe('CONFLICT');
      expect(ok(await gw.gql(LIST, { first: 5 }, org.key)).miniPrograms.totalCount).toBe(0);
      expect(ok(await gw.gql(LIST, { first: 5, filter: { archived: true } }, org.key)).miniPrograms.edges[0].node.id).toBe(program.id);
      const version = await gw.gql(
        `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }`,
        { i: { miniProgramId: program.id, ...templateVersion('1.0.0') } },
        org.key,
      );
      expect(errorOf(version).code).toBe('CONFLICT');
      expect(errorOf(await gw.gql(UNARCHIVE, { i: { id: program.id, revision: 1 } }, org.key)).code).toBe('CONFLICT');
      expect(ok(await gw.gql(UNARCHIVE, { i: { id: program.id, revision: 2 } }, org.key)).unarchiveMiniProgram).toEqual({
        archived: false,
        archivedAt: null,
        revision: 3,
      });
    });

    it('filters by search text and category (a top-level code includes its children)', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      await createProgram(gw, org.key, { slug: 'tea-house', name: 'Tea House', category: 'life.food' });
      await createProgram(gw, org.key, { slug: 'puzzle-cat', name: 'Puzzle Cat', category: 'games.puzzle' });
      await createProgram(gw, org.key, { slug: 'percent', name: '100% Deals', category: 'ecommerce.retail' });
      const names = async (filter: object) => ok(await gw.gql(LIST, { first: 10, filter }, org.key)).miniPrograms.edges.map((e: any) => e.node.name);
      expect(await names({ search: 'tea' })).toEqual(['Tea House']);
      expect(await names({ search: 'PUZZLE' })).toEqual(['Puzzle Cat']);
      expect(await names({ search: '%' })).toEqual(['100% Deals']);
      expect(await names({ category: 'games' })).toEqual(['Puzzle Cat']);
      expect(await names({ category: 'life.food' })).toEqual(['Tea House']);
      expect(errorOf(await gw.gql(LIST, { first: 10, filter: { category: 'nope' } }, org.key)).violations[0]).toMatchObject({
        field: 'filter.category',
        rule: 'isCanonicalCategory',
      });
    });

    it('pages with opaque cursors without duplicates or gaps while rows are inserted between pages', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const initial: string[] = [];
      for (let i = 0; i < 7; i++) initial.push((await createProgram(gw, org.key, { slug: `page-${i}` })).id);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const conn: any = ok(await gw.gql(LIST, { first: 3, after }, org.key)).miniPrograms;
        seen.push(...conn.edges.map((e: any) => e.node.id));
        // Only the first page has nothing before it; the cursors are the page's first and last edges'.
        expect(conn.pageInfo).toMatchObject({ hasPreviousPage: after !== null, startCursor: conn.edges[0].cursor, endCursor: conn.edges.at(-1).cursor });
        after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
        pages++;
        // New rows arrive while the client pages; they are newer than the cursor and never shift it.
        await createProgram(gw, org.key, { slug: `late-${pages}` });
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual([...initial].reverse());
      expect(new Set(seen).size).toBe(seen.length);

      expect(errorOf(await gw.gql(LIST, { first: 3, after: 'garbage' }, org.key)).violations).toEqual([
        { field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' },
      ]);
      expect(errorOf(await gw.gql(LIST, { first: 0 }, org.key)).violations[0]).toMatchObject({ field: 'first', rule: 'min' });
      expect(errorOf(await gw.gql(LIST, { first: 101 }, org.key)).violations[0]).toMatchObject({ field: 'first', rule: 'max' });
    });

    it('lists the category taxonomy', async () => {
      const org = await newOrganization(gw, ['CATALOG_READ']);
      const categories = ok(await gw.gql(`{ categories { code name parent } }`, {}, org.key)).categories;
      const top = categories.filter((c: any) => c.parent === null).map((c: any) => c.code);
      expect(top).toEqual(['games', 'life', 'ecommerce', 'tools', 'education', 'travel', 'finance', 'social', 'media', 'health', 'government']);
      expect(categories).toContainEqual({ code: 'life.food', name: 'Food and dining', parent: 'life' });
    });
  });

  describe('versions', () => {
    const VERSION_FIELDS = `id miniProgramId version releaseNotes locked artifact { kind packageUrl packageSha256 packageSizeBytes templateId extJson hostTemplateIds { host templateId } }`;

    it('creates template and package versions, lists them newest first and pages them', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const template = ok(
        await gw.gql(
          `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_FIELDS} } }`,
          {
            i: {
              miniProgramId: program.id,
              version: '1.0.0',
              releaseNotes: 'First release',
              artifact: {
                template: {
                  templateId: '12',
                  extJson: { extAppid: 'wx1', ext: { theme: 'red' } },
                  hostTemplateIds: [{ host: 'ALIPAY', templateId: '2021000000000001' }],
                },
              },
            },
          },
          org.key,
        ),
      ).createVersion;
      expect(template).toMatchObject({
        version: '1.0.0',
        locked: false,
        artifact: {
          kind: 'TEMPLATE',
          templateId: '12',
          extJson: { extAppid: 'wx1', ext: { theme: 'red' } },
          hostTemplateIds: [{ host: 'ALIPAY', templateId: '2021000000000001' }],
          packageUrl: null,
        },
      });
      const pkg = ok(
        await gw.gql(
          `mutation($i: CreateVersionInput!) { createVersion(input: $i) { ${VERSION_FIELDS} } }`,
          {
            i: {
              miniProgramId: program.id,
              version: '1.1.0-beta.1',
              releaseNotes: 'Beta',
              artifact: { package: { url: 'https://cdn.example.test/app.zip', sha256: 'b'.repeat(64), sizeBytes: 1048576 } },
            },
          },
          org.key,
        ),
      ).createVersion;
      expect(pkg.artifact).toMatchObject({
        kind: 'PACKAGE',
        packageUrl: 'https://cdn.example.test/app.zip',
        packageSizeBytes: 1048576,
        templateId: null,
        hostTemplateIds: [],
      });
      await createVersion(gw, org.key, program.id, '1.2.0');

      const page1 = ok(
        await gw.gql(
          `query($id: ID!) { miniProgram(id: $id) { versions(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { version } } } } }`,
          { id: program.id },
          org.key,
        ),
      ).miniProgram.versions;
      expect(page1.totalCount).toBe(3);
      expect(page1.edges.map((e: any) => e.node.version)).toEqual(['1.2.0', '1.1.0-beta.1']);
      const page2 = ok(
        await gw.gql(
          `query($id: ID!, $a: String) { miniProgram(id: $id) { versions(first: 2, after: $a) { pageInfo { hasNextPage } edges { node { version } } } } }`,
          { id: program.id, a: page1.pageInfo.endCursor },
          org.key,
        ),
      ).miniProgram.versions;
      expect(page2).toEqual({ pageInfo: { hasNextPage: false }, edges: [{ node: { version: '1.0.0' } }] });
      expect(ok(await gw.gql(`query($id: ID!) { version(id: $id) { ${VERSION_FIELDS} } }`, { id: template.id }, org.key)).version).toEqual(template);
    });

    it('answers PageInfo per the Relay spec: cursors of the page, and hasPreviousPage from what still precedes the cursor', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const ids: Record<string, string> = {};
      for (const v of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) ids[v] = (await createVersion(gw, org.key, program.id, v)).id;
      const page = async (after: string | null) =>
        ok(
          await gw.gql(
            `query($id: ID!, $a: String) { miniProgram(id: $id) { versions(first: 2, after: $a) {
              pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { version } } } } }`,
            { id: program.id, a: after },
            org.key,
          ),
        ).miniProgram.versions;
      const versionsOf = (p: any) => p.edges.map((e: any) => e.node.version);

      const first = await page(null);
      expect(versionsOf(first)).toEqual(['1.3.0', '1.2.0']);
      expect(first.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: first.edges[0].cursor, endCursor: first.edges[1].cursor });

      const second = await page(first.pageInfo.endCursor);
      expect(versionsOf(second)).toEqual(['1.1.0', '1.0.0']);
      expect(second.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: second.edges[0].cursor, endCursor: second.edges[1].cursor });

      // Past the end: an empty page has no cursors, and the items before it are still there.
      expect(await page(second.pageInfo.endCursor)).toEqual({
        pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
        edges: [],
      });

      // The cursor's own item counts as before the page: with only newer items deleted, still true.
      const DELETE = `mutation($id: ID!) { deleteVersion(id: $id) { id } }`;
      ok(await gw.gql(DELETE, { id: ids['1.3.0'] }, org.key));
      expect((await page(first.pageInfo.endCursor)).pageInfo.hasPreviousPage).toBe(true);
      // With the cursor's item gone too, nothing precedes the page; the cursor still pages on.
      ok(await gw.gql(DELETE, { id: ids['1.2.0'] }, org.key));
      const rest = await page(first.pageInfo.endCursor);
      expect(versionsOf(rest)).toEqual(['1.1.0', '1.0.0']);
      expect(rest.pageInfo.hasPreviousPage).toBe(false);
    });

    it('refuses bad versions with field-level errors and duplicate versions with CONFLICT', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const CREATE = `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }`;
      const err = errorOf(
        await gw.gql(
          CREATE,
          {
            i: { miniProgramId: program.id, version: 'v1', releaseNotes: '', artifact: { package: { url: 'ftp://x', sha256: 'B'.repeat(64), sizeBytes: 0 } } },
          },
          org.key,
        ),
      );
      expect(err.violations.map((v) => `${v.field}:${v.rule}`).sort()).toEqual(
        [
          'artifact.package.sha256:matches',
          'artifact.package.sizeBytes:min',
          'artifact.package.url:isUrl',
          'releaseNotes:isNotEmpty',
          'version:matches',
        ].sort(),
      );
      const both = errorOf(
        await gw.gql(
          CREATE,
          {
            i: {
              miniProgramId: program.id,
              ...templateVersion('1.0.0'),
              artifact: { template: { templateId: '1' }, package: { url: 'https://x.test/a.zip', sha256: 'c'.repeat(64), sizeBytes: 10 } },
            },
          },
          org.key,
        ),
      );
      expect(both.violations).toEqual([{ field: 'artifact', rule: 'exactlyOne', message: 'artifact must have exactly one of package or template' }]);
      const none = errorOf(await gw.gql(CREATE, { i: { miniProgramId: program.id, ...templateVersion('1.0.0'), artifact: {} } }, org.key));
      expect(none.violations[0].rule).toBe('exactlyOne');
      await createVersion(gw, org.key, program.id, '1.0.0');
      expect(errorOf(await gw.gql(CREATE, { i: { miniProgramId: program.id, ...templateVersion('1.0.0') } }, org.key)).code).toBe('CONFLICT');
    });

    it('edits and deletes a version until a publish locks it', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const program = await createProgram(gw, org.key);
      const v = await createVersion(gw, org.key, program.id, '2.0.0');
      const UPDATE_V = `mutation($i: UpdateVersionInput!) { updateVersion(input: $i) { version releaseNotes artifact { kind templateId } } }`;
      expect(ok(await gw.gql(UPDATE_V, { i: { id: v.id, version: '2.0.1', releaseNotes: 'Fixed notes' } }, org.key)).updateVersion).toEqual({
        version: '2.0.1',
        releaseNotes: 'Fixed notes',
        artifact: { kind: 'TEMPLATE', templateId: '12' },
      });
      const other = await createVersion(gw, org.key, program.id, '2.1.0');
      expect(errorOf(await gw.gql(UPDATE_V, { i: { id: other.id, version: '2.0.1' } }, org.key)).code).toBe('CONFLICT');
      expect(ok(await gw.gql(`mutation($id: ID!) { deleteVersion(id: $id) { id } }`, { id: other.id }, org.key)).deleteVersion).toEqual({ id: other.id });
      expect(errorOf(await gw.gql(`query($id: ID!) { version(id: $id) { id } }`, { id: other.id }, org.key)).code).toBe('NOT_FOUND');

      // A publish (a later module) locks the version; simulate that one column here.
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: gw.databaseUrl });
      await client.connect();
      await client.query('UPDATE versions SET locked_at = now() WHERE id = $1', [v.id]);
      await client.end();
      const locked = errorOf(await gw.gql(UPDATE_V, { i: { id: v.id, releaseNotes: 'Too late' } }, org.key));
      expect(locked.code).toBe('CONFLICT');
      expect(locked.message).toContain('can no longer change');
      expect(errorOf(await gw.gql(`mutation($id: ID!) { deleteVersion(id: $id) { id } }`, { id: v.id }, org.key)).code).toBe('CONFLICT');
      expect(ok(await gw.gql(`query($id: ID!) { version(id: $id) { releaseNotes locked } }`, { id: v.id }, org.key)).version).toEqual({
        releaseNotes: 'Fixed notes',
        locked: true,
      });
    });

    it('gives NOT_FOUND for unknown ids', async () => {
      const org = await newOrganization(gw, ['CATALOG_WRITE']);
      const missing = '00000000-0000-4000-8000-000000000001';
      expect(errorOf(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { id } }`, { id: missing }, org.key)).code).toBe('NOT_FOUND');
      expect(
        errorOf(
          await gw.gql(
            `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id } }`,
            { i: { miniProgramId: missing, ...templateVersion('1.0.0') } },
            org.key,
          ),
        ).code,
      ).toBe('NOT_FOUND');
      const reader = await newKey(gw, org.id, ['CATALOG_READ'], gw.operatorKey);
      expect(errorOf(await gw.gql(`query($id: ID!) { version(id: $id) { id } }`, { id: missing }, reader)).code).toBe('NOT_FOUND');
    });
  });
});
