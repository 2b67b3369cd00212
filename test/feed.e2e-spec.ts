import pg from 'pg';
import { createProgram, errorOf, newKey, newOrganization, newPartner, ok } from './support/fixtures.js';
import { allListings, bindInDatabase, LISTINGS, listingsPage, token, type Listing } from './support/feed.js';
import { bindSandboxApps, createPublishableVersion, FAST_PUBLISHING, publish, SECRET_FIELDS, stagesBecome } from './support/publishing.js';
import { SqlRecorder } from './support/sql-recorder.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const UPDATE = `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { id revision } }`;
const ARCHIVE = `mutation($i: ArchiveMiniProgramInput!) { archiveMiniProgram(input: $i) { id revision } }`;
const ids = (listings: Listing[]) => listings.map((l) => l.id).sort();
const sorted = (...values: string[]) => [...values].sort();

describe('the feed: listings', () => {
  let gw: TestGateway;
  let db: pg.Client;
  let partner: { id: string; key: string };
  beforeAll(async () => {
    gw = await startTestGateway(FAST_PUBLISHING);
    db = new pg.Client({ connectionString: gw.databaseUrl });
    await db.connect();
    partner = await newPartner(gw);
  });
  afterAll(async () => {
    await db?.end();
    await gw?.close();
  });

  // A program of `org` with the search word `word` among its keywords.
  const program = async (org: { id: string; key: string }, word: string, overrides: Record<string, unknown> = {}) => {
    const created = await createProgram(gw, org.key, { keywords: [word], syndicated: true, ...overrides });
    return { id: created.id as string, organizationId: org.id, revision: created.revision as number };
  };

  it('shows what the publishing pipeline left on each host: live, gray, review stage, and never a credential', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const word = token();
    const created = await createProgram(gw, org.key, { name: 'Bakery', shortName: 'Bakery', servicePhone: '010-12345678', keywords: [word], syndicated: true });
    const version = await createPublishableVersion(gw, org.key, created.id, '1.0.0');
    const bindings = await bindSandboxApps(gw, org.key, created.id, ['WECHAT', 'BAIDU', 'ALIPAY']);
    // Bound everywhere but live nowhere yet: a draft, which partners do not see.
    expect(await allListings(gw, partner.key, { search: word })).toEqual([]);

    const released = ok(await publish(gw, org.key, { miniProgramId: created.id, versionId: version.id, hosts: ['BAIDU', 'WECHAT'], release: 'AUTO' })).publish;
    await stagesBecome(gw, org.key, released.id, { BAIDU: 'RELEASED', WECHAT: 'RELEASED' });
    // Then 1.1.0 to 10% of WeChat's users (Baidu has no gray release API).
    const next = await createPublishableVersion(gw, org.key, created.id, '1.1.0');
    const gray = ok(
      await publish(gw, org.key, { miniProgramId: created.id, versionId: next.id, hosts: ['WECHAT'], release: 'AUTO', grayPercentage: 10 }),
    ).publish;
    await stagesBecome(gw, org.key, gray.id, { WECHAT: 'GRAY' });

    const res = await gw.gql(LISTINGS, { f: { search: word }, first: 10 }, partner.key);
    const [listing] = ok(res).listings.edges.map((e: { node: Listing }) => e.node);
    expect(listing).toMatchObject({ id: created.id, organizationId: org.id, name: 'Bakery', syndicated: true, archived: false, keywords: [word] });
    expect(listing.hosts).toEqual([
      expect.objectContaining({
        host: 'ALIPAY',
        hostAppId: bindings.ALIPAY.hostAppId,
        liveVersion: null,
        grayVersion: null,
        reviewStage: null,
        reviewVersion: null,
      }),
      expect.objectContaining({
        host: 'BAIDU',
        hostAppId: bindings.BAIDU.hostAppId,
        liveVersion: '1.0.0',
        grayVersion: null,
        reviewStage: 'RELEASED',
        reviewVersion: '1.0.0',
      }),
      expect.objectContaining({
        host: 'WECHAT',
        hostAppId: bindings.WECHAT.hostAppId,
        liveVersion: '1.0.0',
        grayVersion: '1.1.0',
        grayPercentage: 10,
        reviewStage: 'GRAY',
        reviewVersion: '1.1.0',
      }),
    ]);
    // No host adapter reads a deep link or QR code: null, never made up.
    expect(listing.hosts.map((h: Record<string, unknown>) => [h.deepLink, h.qrCodeUrl])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    // The last change on a host is its latest event; the listing's is the latest of all.
    const latest = Math.max(...listing.hosts.map((h: Record<string, any>) => Date.parse(h.lastChangedAt)));
    expect(Date.parse(listing.updatedAt)).toBeGreaterThanOrEqual(latest);

    // No credential value, anywhere in the answer.
    const text = JSON.stringify(res);
    for (const binding of Object.values(bindings)) {
      for (const [field, value] of Object.entries(binding.credentials)) if (SECRET_FIELDS.includes(field)) expect(text).not.toContain(value);
    }

    // Stages filter by each host's latest submission; with hosts, on the same host.
    const seen = async (filter: Record<string, unknown>) => ids(await allListings(gw, partner.key, { search: word, ...filter }));
    expect(await seen({ stages: ['GRAY'] })).toEqual([created.id]);
    expect(await seen({ stages: ['RELEASED', 'REJECTED'] })).toEqual([created.id]);
    expect(await seen({ hosts: ['WECHAT'], stages: ['RELEASED'] })).toEqual([]);
    expect(await seen({ stages: ['IN_REVIEW'] })).toEqual([]);
    expect(await seen({ hosts: ['BAIDU'], stages: ['RELEASED'] })).toEqual([created.id]);
    expect(await seen({ hosts: ['BAIDU'], stages: ['GRAY'] })).toEqual([]);
    expect(await seen({ hosts: ['ALIPAY'], stages: ['RELEASED'] })).toEqual([]);
    expect(await seen({ hosts: ['BYTEDANCE'] })).toEqual([]);
    expect(await seen({ hosts: ['ALIPAY'] })).toEqual([created.id]);
  }, 120_000);

  it('shows a partner only syndicated, live, unarchived programs of every organization, and an organization all of its own', async () => {
    const a = await newOrganization(gw, ['ADMIN']);
    const b = await newOrganization(gw, ['ADMIN']);
    const word = token();
    const live = await program(a, word);
    await bindInDatabase(db, live, 'WECHAT', { live: '1.0.0' });
    const grayOnly = await program(a, word);
    await bindInDatabase(db, grayOnly, 'BAIDU', { gray: '1.1.0', percentage: 5 });
    const boundDraft = await program(a, word);
    await bindInDatabase(db, boundDraft, 'WECHAT');
    const unboundDraft = await program(a, word);
    const unsyndicated = await program(a, word, { syndicated: false });
    await bindInDatabase(db, unsyndicated, 'WECHAT', { live: '1.0.0' });
    const archived = await program(a, word);
    await bindInDatabase(db, archived, 'ALIPAY', { live: '1.0.0' });
    ok(await gw.gql(ARCHIVE, { i: { id: archived.id, revision: archived.revision } }, a.key));
    const disconnected = await program(a, word);
    await bindInDatabase(db, disconnected, 'WECHAT', { live: '1.0.0', disconnected: true });
    const other = await program(b, word);
    await bindInDatabase(db, other, 'BYTEDANCE', { live: '2.0.0' });

    expect(ids(await allListings(gw, partner.key, { search: word }))).toEqual(sorted(live.id, grayOnly.id, other.id));
    const own = await allListings(gw, a.key, { search: word });
    expect(ids(own)).toEqual(sorted(live.id, grayOnly.id, boundDraft.id, unboundDraft.id, unsyndicated.id, archived.id, disconnected.id));
    // A disconnected binding is no host state; an archived program says so.
    expect(own.find((l) => l.id === disconnected.id)!.hosts).toEqual([]);
    expect(own.find((l) => l.id === archived.id)).toMatchObject({ archived: true, syndicated: true });
    expect(ids(await allListings(gw, b.key, { search: word }))).toEqual([other.id]);

    // Other keys of the organization: FEED_READ and CATALOG_READ read the feed; PUBLISH alone does not.
    for (const scopes of [['FEED_READ'], ['CATALOG_READ']] as const) {
      const key = await newKey(gw, a.id, [...scopes], a.key);
      expect(ids(await allListings(gw, key, { search: word })).length).toBe(7);
    }
    const publishOnly = await newKey(gw, a.id, ['PUBLISH'], a.key);
    expect(errorOf(await gw.gql(LISTINGS, { f: null, first: 1 }, publishOnly)).code).toBe('FORBIDDEN');
    // The operator key belongs to no organization and is no partner.
    expect(errorOf(await gw.gql(LISTINGS, { f: null, first: 1 }, gw.operatorKey)).code).toBe('FORBIDDEN');
    expect(errorOf(await gw.gql(LISTINGS, { f: null, first: 1 }, null)).code).toBe('UNAUTHENTICATED');

    // Unsyndicating takes a program out of partners' feed at once; syndicating brings it back.
    const current = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { revision } }`, { id: live.id }, a.key)).miniProgram.revision;
    const next = ok(await gw.gql(UPDATE, { i: { id: live.id, revision: current, syndicated: false } }, a.key)).updateMiniProgram.revision;
    expect(ids(await allListings(gw, partner.key, { search: word }))).toEqual(sorted(grayOnly.id, other.id));
    ok(await gw.gql(UPDATE, { i: { id: live.id, revision: next, syndicated: true } }, a.key));
    expect(ids(await allListings(gw, partner.key, { search: word }))).toEqual(sorted(live.id, grayOnly.id, other.id));
  });

  it('filters by hosts, categories, search and updatedSince, alone and together', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const word = token();
    const food = await program(org, word, { category: 'life.food', name: 'Noodle House' });
    await bindInDatabase(db, food, 'WECHAT', { live: '1.0.0' });
    const foodBinding = await bindInDatabase(db, food, 'BAIDU', { live: '1.0.0' });
    const game = await program(org, word, { category: 'games.casual', name: 'Tile Match' });
    await bindInDatabase(db, game, 'ALIPAY', { live: '3.1.0' });
    const tickets = await program(org, word, { category: 'life.delivery', name: 'Errand Runner', keywords: [word, 'zebra%'] });
    await bindInDatabase(db, tickets, 'BYTEDANCE', { live: '0.9.0' });

    const seen = async (filter: Record<string, unknown>) => ids(await allListings(gw, partner.key, { search: word, ...filter }));
    expect(await seen({})).toEqual(sorted(food.id, game.id, tickets.id));
    expect(await seen({ hosts: ['WECHAT'] })).toEqual([food.id]);
    expect(await seen({ hosts: ['ALIPAY', 'BYTEDANCE'] })).toEqual(sorted(game.id, tickets.id));
    expect(await seen({ categories: ['life'] })).toEqual(sorted(food.id, tickets.id));
    expect(await seen({ categories: ['games.casual', 'life.delivery'] })).toEqual(sorted(game.id, tickets.id));
    expect(await seen({ categories: ['life.food'], hosts: ['ALIPAY'] })).toEqual([]);
    // search: name or keyword, case-insensitive; % and _ are plain characters.
    expect(ids(await allListings(gw, partner.key, { search: 'noodle house', categories: ['life.food'] }))).toContain(food.id);
    expect(ids(await allListings(gw, partner.key, { search: 'ZEBRA%' }))).toEqual([tickets.id]);
    expect(ids(await allListings(gw, partner.key, { search: 'zebra_' }))).toEqual([]);

    // updatedSince: a definition change, or a host's event, after the instant.
    const before = new Date(Date.now() - 60_000).toISOString();
    expect(await seen({ updatedSince: before })).toEqual(sorted(food.id, game.id, tickets.id));
    const since = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    expect(await seen({ updatedSince: since })).toEqual([]);
    ok(await gw.gql(UPDATE, { i: { id: game.id, revision: game.revision, slogan: 'Match three tiles' } }, org.key));
    expect(await seen({ updatedSince: since })).toEqual([game.id]);
    await db.query(
      `INSERT INTO listing_events (organization_id, mini_program_id, binding_id, host, type, from_stage, to_stage) VALUES ($1, $2, $3, 'BAIDU', 'STAGE_CHANGED', 'GRAY', 'RELEASED')`,
      [org.id, food.id, foodBinding],
    );
    expect(await seen({ updatedSince: since })).toEqual(sorted(food.id, game.id));
    expect(await seen({ updatedSince: since, hosts: ['WECHAT'] })).toEqual([food.id]);
    const foodListing = (await allListings(gw, partner.key, { search: word, hosts: ['BAIDU'] }))[0];
    expect(Date.parse(foodListing.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    expect(Date.parse(foodListing.hosts.find((h) => h.host === 'BAIDU')!.lastChangedAt)).toBeGreaterThanOrEqual(Date.parse(since));
  });

  it('refuses bad filters and cursors, naming the field and rule', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ f: { categories: ['no.such'] }, first: 5 }, 'filter.categories', 'isCanonicalCategory'],
      [{ f: { hosts: [] }, first: 5 }, 'filter.hosts', 'arrayMinSize'],
      [{ f: { hosts: ['WECHAT', 'WECHAT'] }, first: 5 }, 'filter.hosts', 'arrayUnique'],
      [{ f: { search: 'x'.repeat(61) }, first: 5 }, 'filter.search', 'maxLength'],
      [{ f: null, first: 0 }, 'first', 'min'],
      [{ f: null, first: 101 }, 'first', 'max'],
      [{ f: null, first: 5, after: 'not-a-cursor' }, 'after', 'isCursor'],
    ];
    for (const [variables, field, rule] of cases) {
      const error = errorOf(await gw.gql(LISTINGS, variables, partner.key));
      expect({ variables, code: error.code, violation: error.violations[0] && { field: error.violations[0].field, rule: error.violations[0].rule } }).toEqual({
        variables,
        code: 'BAD_USER_INPUT',
        violation: { field, rule },
      });
    }
  });

  it('walks pages with no duplicate and no gap while listings change between and during the pages', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const word = token();
    const programs: Array<{ id: string; organizationId: string; revision: number }> = [];
    for (let i = 0; i < 23; i++) {
      const p = await program(org, word, { name: `Shop ${i}` });
      await bindInDatabase(db, p, 'WECHAT', { live: '1.0.0' });
      programs.push(p);
    }
    const toArchive = programs[3]; // the oldest come last: not yet seen when it is archived
    const revisions = new Map(programs.map((p) => [p.id, p.revision]));
    const rename = async (id: string, name: string) => {
      const revision = ok(await gw.gql(UPDATE, { i: { id, revision: revisions.get(id), name } }, org.key)).updateMiniProgram.revision as number;
      revisions.set(id, revision);
    };
    // Meanwhile, a writer keeps changing listings (definitions and host states).
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const p = programs[n % programs.length];
        if (p.id === toArchive.id) continue;
        await rename(p.id, `Shop renamed ${n}`);
        await db.query(`UPDATE host_bindings SET live_version = $2, updated_at = now() WHERE mini_program_id = $1`, [p.id, `1.${n}.0`]);
      }
    })();

    const seen: string[] = [];
    const added: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const result = await listingsPage(gw, partner.key, { search: word }, 4, after);
      seen.push(...result.edges.map((e) => e.node.id));
      // Between pages: a new listing appears, one not yet seen is archived.
      const fresh = await program(org, word, { name: `New ${page}` });
      await bindInDatabase(db, fresh, 'WECHAT', { live: '1.0.0' });
      added.push(fresh.id);
      if (page === 1) ok(await gw.gql(ARCHIVE, { i: { id: toArchive.id, revision: revisions.get(toArchive.id) } }, org.key));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    writing = false;
    await writer;

    expect(new Set(seen).size).toBe(seen.length);
    const stayedVisible = programs.filter((p) => p.id !== toArchive.id).map((p) => p.id);
    expect(seen.filter((id) => stayedVisible.includes(id)).sort()).toEqual([...stayedVisible].sort());
    expect(seen).not.toContain(toArchive.id);
    // Listings created during the walk are newer than the first page: they come before it, not in it.
    expect(seen.filter((id) => added.includes(id))).toEqual([]);
  });

  it('costs the same SQL statements for a page of 2 and a page of 50, host states batched in one', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const word = token();
    for (let i = 0; i < 50; i++) {
      const p = await program(org, word);
      for (const host of ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE']) await bindInDatabase(db, p, host, { live: '1.0.0' });
    }
    await allListings(gw, partner.key, { search: word }, 1); // the key is in memory from here on
    const statementsFor = async (first: number) => {
      const sql = SqlRecorder.start();
      try {
        const page = await listingsPage(gw, partner.key, { search: word }, first);
        expect(page.edges).toHaveLength(first);
        expect(page.edges.every((e) => e.node.hosts.length === 4)).toBe(true);
      } finally {
        sql.stop();
      }
      // The key is auth's (in memory; read again only while the notification connection's
      // freshness lapsed under load), counted in test/read-path.e2e-spec.ts.
      return {
        pages: sql.matching(/FROM mini_programs m WHERE/).length,
        // The feed's host-states statement only: the workers' read-backs also read host_bindings.
        hostStates: sql.matching(/FROM host_bindings b\s[\s\S]*WHERE b\.mini_program_id = ANY/).length,
      };
    };
    expect(await statementsFor(2)).toEqual({ pages: 1, hostStates: 1 });
    expect(await statementsFor(50)).toEqual({ pages: 1, hostStates: 1 });
  });

  it('applies the cost limit to listings before anything runs', async () => {
    const nodeFields = 'id name category keywords syndicated updatedAt hosts { host liveVersion grayVersion grayPercentage reviewStage lastChangedAt }';
    const one = `listings(first: 100) { edges { node { ${nodeFields} } } }`;
    const sql = SqlRecorder.start();
    let res;
    try {
      res = await gw.gql(`{ a: ${one} b: ${one} c: ${one} d: ${one} }`, {}, partner.key);
    } finally {
      sql.stop();
    }
    expect(errorOf(res)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', message: expect.stringMatching(/costs \d+, more than the 5000 allowed/) });
    expect(sql.matching(/FROM mini_programs m WHERE/)).toEqual([]);
    expect(ok(await gw.gql(`{ ${one} }`, {}, partner.key)).listings.edges.length).toBeLessThanOrEqual(100);
  });
});

describe('the feed under the rate limit', () => {
  let gw: TestGateway;
  afterAll(async () => {
    await gw?.close();
  });

  it('counts a partner key like any key, and says when to retry', async () => {
    gw = await startTestGateway({ RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const partner = await newPartner(gw);
    for (let i = 0; i < 3; i++) ok(await gw.gql(LISTINGS, { f: null, first: 1 }, partner.key));
    const refused = await gw.gql(LISTINGS, { f: null, first: 1 }, partner.key);
    expect(errorOf(refused).code).toBe('RATE_LIMITED');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
