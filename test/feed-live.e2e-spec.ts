import { jest } from '@jest/globals';
import pg from 'pg';
import { createProgram, newKey, newOrganization, ok } from './support/fixtures.js';
import { allListings, token } from './support/feed.js';
import { LiveClient } from './support/live-client.js';
import { bindSandboxApps, createPublishableVersion, eventually, publish, publishableProgram } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

jest.setTimeout(120_000);

// Every field of a change, as `changes` pages them and `listingChanged` sends them.
const CHANGE = 'cursor node { seq listingId host type fromStage toStage occurredAt }';
const CHANGED = `subscription($after: String, $filter: FeedChangeFilterInput) { listingChanged(after: $after, filter: $filter) { ${CHANGE} } }`;

/** One new mini-program published to WeChat by `key`: the publish writes one PENDING event. */
async function oneEvent(gw: TestGateway, key: string): Promise<string> {
  const { program, version } = await publishableProgram(gw, key);
  await bindSandboxApps(gw, key, program.id, ['WECHAT']);
  ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT'], release: 'MANUAL' }));
  return program.id as string;
}

describe('listingChanged over graphql-ws', () => {
  let gw: TestGateway;
  const clients: LiveClient[] = [];
  const client = (params: Record<string, unknown> | null) => {
    const c = new LiveClient(gw.baseUrl, params);
    clients.push(c);
    return c;
  };

  let db: pg.Client;

  beforeAll(async () => {
    // No workers: each publish writes exactly its PENDING events and nothing moves after.
    gw = await startTestGateway({ WORKERS: 'false', SUBSCRIPTION_POLL_MS: '200' });
    db = new pg.Client({ connectionString: gw.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await db?.end();
    await gw?.close();
  });

  it('refuses a connection without a valid key, with the operator key, or with a key lacking FEED_READ, by close code and reason', async () => {
    const org = await newOrganization(gw);
    const publishOnly = await newKey(gw, org.id, ['PUBLISH'], org.key);
    const cases: Array<[Record<string, unknown> | null, number, RegExp]> = [
      [null, 4401, /^Missing API key/],
      [{ authorization: 'Bearer nope-not-a-key' }, 4401, /^Unknown or revoked API key$/],
      [{ authorization: 'Token abc' }, 4401, /^Malformed Authorization header/],
      [{ authorization: 42 }, 4400, /authorization must be a string/],
      [{ authorization: `Bearer ${gw.operatorKey}` }, 4403, /operator key reads no feed/],
      [{ authorization: `Bearer ${publishOnly}` }, 4403, /^This API key lacks the scope FEED_READ$/],
    ];
    for (const [params, code, reason] of cases) {
      const closed = await client(params).closure();
      expect({ params, code: closed.code }).toEqual({ params, code });
      expect(closed.reason).toMatch(reason);
    }
  });

  it('closes a connection whose key is revoked', async () => {
    const org = await newOrganization(gw);
    const feedKey = await newKey(gw, org.id, ['FEED_READ'], org.key);
    const c = client({ authorization: `Bearer ${feedKey}` });
    await c.acknowledged();
    const keys = ok(await gw.gql(`query($o: ID!) { apiKeys(organizationId: $o) { id scopes } }`, { o: org.id }, org.key)).apiKeys;
    const id = keys.find((k: { scopes: string[] }) => k.scopes.length === 1 && k.scopes[0] === 'FEED_READ').id;
    ok(await gw.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id }, org.key));
    expect(await c.closure()).toEqual({ code: 4401, reason: 'API key revoked' });
  });

  it('sends live events of its own organization only, then resumes from a cursor with nothing missed or repeated', async () => {
    const org = await newOrganization(gw);
    const other = await newOrganization(gw);
    const live = client({ authorization: `Bearer ${org.key}` });
    await live.acknowledged();
    live.subscribe('1', CHANGED);
    // The subscription starts "from now": wait until it is registered (an event of ours arrives).
    const first = await oneEvent(gw, org.key);
    await live.until(() => live.nexts('1').length === 1);
    await oneEvent(gw, other.key);
    const programs = [first];
    for (let i = 0; i < 3; i++) programs.push(await oneEvent(gw, org.key));
    await live.until(() => live.nexts('1').length === 4);
    const received = live.nexts('1').map((p) => p.data.listingChanged);
    expect(received.map((e: any) => e.node.listingId)).toEqual(programs);
    expect(received.every((e: any) => e.node.type === 'STAGE_CHANGED' && e.node.toStage === 'PENDING' && e.node.host === 'WECHAT')).toBe(true);
    expect(new Set(received.map((e: any) => e.node.seq)).size).toBe(4);

    // A second connection resumes after the second event: it gets the third and fourth, then live ones.
    const resumed = client({ authorization: `Bearer ${org.key}` });
    await resumed.acknowledged();
    resumed.subscribe('r', CHANGED, { after: received[1].cursor });
    await resumed.until(() => resumed.nexts('r').length === 2);
    programs.push(await oneEvent(gw, org.key));
    await resumed.until(() => resumed.nexts('r').length === 3);
    await live.until(() => live.nexts('1').length === 5);
    const again = resumed.nexts('r').map((p) => p.data.listingChanged);
    expect(again.map((e: any) => e.node.listingId)).toEqual(programs.slice(2));
    expect(again.map((e: any) => e.cursor)).toEqual(
      live
        .nexts('1')
        .slice(2)
        .map((p) => p.data.listingChanged.cursor),
    );

    // The change feed pages the same events in the same order as the same edges (cursor and
    // node, every field), so a cursor from `changes` resumes `listingChanged` and the other way
    // round, and code that handles one handles the other.
    const streamed = live.nexts('1').map((p) => p.data.listingChanged);
    await eventually(async () => {
      const edges = ok(await gw.gql(`{ changes(first: 100) { edges { ${CHANGE} } } }`, {}, org.key)).changes.edges;
      expect(edges).toEqual(streamed);
    });

    // A filter on mini-programs, replayed from the start of this organization's events.
    const filtered = client({ authorization: `Bearer ${org.key}` });
    await filtered.acknowledged();
    filtered.subscribe('f', CHANGED, { after: received[0].cursor, filter: { miniProgramIds: [programs[3]] } });
    await filtered.until(() => filtered.nexts('f').length === 1);
    expect(filtered.nexts('f')[0].data.listingChanged.node.listingId).toBe(programs[3]);
  });

  it('filters like `listings` (hosts, stages, categories, search), by kind and by mini-program, polled or live alike', async () => {
    const org = await newOrganization(gw);
    const word = token();
    /** A program of `org` published (MANUAL, no workers: one PENDING event) to `host`. */
    const published = async (host: 'WECHAT' | 'ALIPAY', fields: Record<string, unknown>) => {
      const program = await createProgram(gw, org.key, { name: `Shop${word}`, keywords: ['bread'], servicePhone: '010-12345678', ...fields });
      const version = await createPublishableVersion(gw, org.key, program.id, '1.0.0');
      await bindSandboxApps(gw, org.key, program.id, [host]);
      ok(await publish(gw, org.key, { miniProgramId: program.id, versionId: version.id, hosts: [host], release: 'MANUAL' }));
      return program.id as string;
    };
    // A first program marks where the test's changes start (its own change is before the cursor).
    await published('WECHAT', { category: 'tools.utility' });
    let start: string | null = null;
    await eventually(async () => {
      start = ok(await gw.gql(`{ changes(first: 100) { pageInfo { endCursor } } }`, {}, org.key)).changes.pageInfo.endCursor;
      expect(start).not.toBeNull();
    });

    // `all` meets every filter below; each other program fails exactly one of them.
    const all = await published('WECHAT', { category: 'life.food' });
    const onAlipay = await published('ALIPAY', { category: 'life.food' });
    const inReview = await published('WECHAT', { category: 'life.food' });
    const otherCategory = await published('WECHAT', { category: 'tools.utility' });
    const noWord = await published('WECHAT', { category: 'life.food', name: 'CornerShop' });
    // With hosts and stages, the same host must match both: PENDING on ALIPAY, IN_REVIEW on WECHAT.
    const mixed = await published('ALIPAY', { category: 'life.food' });
    const mixedVersion = await createPublishableVersion(gw, org.key, mixed, '1.0.1');
    await bindSandboxApps(gw, org.key, mixed, ['WECHAT']);
    ok(await publish(gw, org.key, { miniProgramId: mixed, versionId: mixedVersion.id, hosts: ['WECHAT'], release: 'MANUAL' }));
    await db.query(`UPDATE submissions SET stage = 'IN_REVIEW' WHERE mini_program_id = $1`, [inReview]);
    await db.query(`UPDATE submissions SET stage = 'IN_REVIEW' WHERE mini_program_id = $1 AND host = 'WECHAT'`, [mixed]);
    const binding = async (program: string, host: string) =>
      (await db.query<{ id: string }>('SELECT id FROM host_bindings WHERE mini_program_id = $1 AND host = $2', [program, host])).rows[0].id;
    const drift = `INSERT INTO listing_events (organization_id, mini_program_id, binding_id, host, type, evidence) VALUES ($1, $2, $3, $4, $5, '{}') RETURNING seq::text`;
    await db.query(drift, [org.id, onAlipay, await binding(onAlipay, 'ALIPAY'), 'ALIPAY', 'DRIFT_DETECTED']);
    // The last change, in one transaction: a drift then a stage change of `all`. Every stream below
    // matches one of them, and changes come in order: once it has arrived, all before it has.
    await db.query('BEGIN');
    const lastDrift = (await db.query(drift, [org.id, all, await binding(all, 'WECHAT'), 'WECHAT', 'DRIFT_DETECTED'])).rows[0].seq;
    const lastStage = (await db.query(drift, [org.id, all, await binding(all, 'WECHAT'), 'WECHAT', 'STAGE_CHANGED'])).rows[0].seq;
    await db.query('COMMIT');

    const cases: Array<[Record<string, unknown>, string[], string]> = [
      [{ hosts: ['WECHAT'] }, [all, inReview, otherCategory, noWord, mixed], lastStage],
      [{ hosts: ['ALIPAY'] }, [onAlipay, mixed], ''],
      [{ stages: ['PENDING'] }, [all, onAlipay, otherCategory, noWord, mixed], lastStage],
      [{ hosts: ['WECHAT'], stages: ['PENDING'] }, [all, otherCategory, noWord], lastStage],
      [{ hosts: ['WECHAT'], stages: ['IN_REVIEW'] }, [inReview, mixed], ''],
      [{ categories: ['life'] }, [all, onAlipay, inReview, noWord, mixed], lastStage],
      [{ categories: ['tools.utility'] }, [otherCategory], ''],
      [{ search: word.toUpperCase() }, [all, onAlipay, inReview, otherCategory, mixed], lastStage],
      [{ types: ['DRIFT_DETECTED'] }, [onAlipay, all], lastDrift],
      [{ miniProgramIds: [all, noWord] }, [all, noWord], lastStage],
      [{ hosts: ['WECHAT'], stages: ['PENDING'], categories: ['life.food'], search: word, types: ['STAGE_CHANGED'] }, [all], lastStage],
    ];
    const sorted = (ids: string[]) => [...new Set(ids)].sort();
    const c = client({ authorization: `Bearer ${org.key}` });
    await c.acknowledged();
    cases.forEach(([filter], i) => c.subscribe(`f${i}`, CHANGED, { after: start, filter }));
    // Wait for the last change on the streams it matches: then every change is visible.
    await c.until(() => cases.every(([, , last], i) => !last || c.nexts(`f${i}`).some((n) => n.data?.listingChanged.node.seq === last)));
    const tested = [all, onAlipay, inReview, otherCategory, noWord, mixed];
    for (const [i, [filter, expected]] of cases.entries()) {
      // Every change is visible now (the last one was sent): `changes` with the same filter
      // answers the same edges, field for field, and the stream reaches them in order.
      const polled = ok(
        await gw.gql(
          `query($a: String, $f: FeedChangeFilterInput) { changes(after: $a, first: 100, filter: $f) { edges { ${CHANGE} } } }`,
          { a: start, f: filter },
          org.key,
        ),
      ).changes.edges;
      const streamed = () => c.nexts(`f${i}`).map((n) => n.data.listingChanged);
      await c.until(() => JSON.stringify(streamed()) === JSON.stringify(polled));
      expect(streamed()).toEqual(polled);
      expect({ filter, ids: sorted(polled.map((e: any) => e.node.listingId)) }).toEqual({ filter, ids: sorted(expected) });
      // The listings are those `listings` answers for the listing fields of the same filter.
      if (!filter.types && !filter.miniProgramIds) {
        const listed = (await allListings(gw, org.key, filter)).map((l) => l.id).filter((id) => tested.includes(id));
        expect({ filter, ids: sorted(listed) }).toEqual({ filter, ids: sorted(expected) });
      }
    }
  });

  it('refuses updatedSince on the change filters: a change is the update, `after` says where to start', async () => {
    const org = await newOrganization(gw);
    const c = client({ authorization: `Bearer ${org.key}` });
    await c.acknowledged();
    c.subscribe('since', CHANGED, { filter: { updatedSince: new Date().toISOString() } });
    await c.until(() => c.errors('since').length > 0);
    const polled = await gw.gql(
      `query($f: FeedChangeFilterInput) { changes(filter: $f) { edges { cursor } } }`,
      { f: { updatedSince: new Date().toISOString() } },
      org.key,
    );
    // The same refusal over WebSocket as over HTTP, naming the field.
    for (const refused of [c.errors('since')[0], polled.errors![0]]) {
      expect(refused.extensions.code).toBe('BAD_USER_INPUT');
      expect(refused.message).toMatch(/Field "updatedSince" is not defined by type "FeedChangeFilterInput"/);
    }
    // An unknown enum value in a variable is the caller's error on a subscription too.
    c.subscribe('host', CHANGED, { filter: { hosts: ['NOPE'] } });
    await c.until(() => c.errors('host').length > 0);
    expect(c.errors('host')[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers bad arguments and over-limit documents with the HTTP error shape on the subscription', async () => {
    const org = await newOrganization(gw);
    const c = client({ authorization: `Bearer ${org.key}` });
    await c.acknowledged();
    c.subscribe('bad', CHANGED, { after: 'not-a-cursor' });
    await c.until(() => c.nexts('bad').length + c.errors('bad').length > 0);
    const [answer] = c.nexts('bad');
    expect(answer.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', violations: [{ field: 'after', rule: 'isCursor' }] });
    c.subscribe('unknown', `subscription { listingChanged { nope } }`);
    await c.until(() => c.errors('unknown').length > 0);
    expect(c.errors('unknown')[0]).toMatchObject({
      message: expect.stringMatching(/Cannot query field "nope"/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: cursor`).join(' ');
    c.subscribe('aliases', `subscription { listingChanged { ${aliases} } }`);
    await c.until(() => c.errors('aliases').length > 0);
    expect(c.errors('aliases')[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    c.subscribe('syntax', `subscription { listingChanged { `);
    await c.until(() => c.errors('syntax').length > 0);
    expect(c.errors('syntax')[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});
