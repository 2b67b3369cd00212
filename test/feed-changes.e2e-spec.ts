import pg from 'pg';
import type { SubmissionStatus } from '../adapters/core/index.js';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { APPEND_EVENTS, appendedEventsJson } from '../src/events/events.service.js';
import { createProgram, errorOf, newKey, newOrganization, newPartner, ok } from './support/fixtures.js';
import { bindInDatabase } from './support/feed.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const CHANGES = `query($after: String, $first: Int) { changes(after: $after, first: $first) {
  edges { cursor node { seq listingId host type fromStage toStage occurredAt } } pageInfo { hasNextPage endCursor } } }`;
type Change = { seq: string; listingId: string; host: string; type: string; toStage: string | null };

const INSERT_EVENT = `INSERT INTO listing_events (organization_id, mini_program_id, binding_id, host, type, from_stage, to_stage, evidence)
  VALUES ($1, $2, $3, $4, 'STAGE_CHANGED', 'APPROVED', $5, '{"nativeMessage":"internal host text"}') RETURNING seq::text`;

describe('the feed: changes', () => {
  let gw: TestGateway;
  let db: pg.Client;
  beforeAll(async () => {
    gw = await startTestGateway();
    db = new pg.Client({ connectionString: gw.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await gw?.close();
  });

  /**
   * A poller that stores its cursor, as a partner would: every change from its cursor on, page by
   * page, of the listings a test made. A partner sees every organization's listings, and an earlier
   * test's change held back by the horizon (see pollFor) may come during a later test.
   */
  const poller = (key: string, listings: { id: string }[]) => {
    const mine = new Set(listings.map((l) => l.id));
    let cursor: string | null = null;
    return async (first = 100): Promise<Change[]> => {
      const got: Change[] = [];
      for (;;) {
        const page: any = ok(await gw.gql(CHANGES, { after: cursor, first }, key)).changes;
        got.push(...page.edges.map((e: { node: Change }) => e.node).filter((c: Change) => mine.has(c.listingId)));
        cursor = page.pageInfo.endCursor ?? cursor;
        if (!page.pageInfo.hasNextPage) return got;
      }
    };
  };

  /**
   * Polls until at least `n` changes came (or 20 s passed). The horizon is the oldest transaction
   * in flight on the whole server, so another test file's open transaction can hold back for a
   * moment what has committed here; nothing is ever skipped, only later.
   */
  const pollFor = async (poll: (first?: number) => Promise<Change[]>, n: number, first?: number): Promise<Change[]> => {
    const got: Change[] = [];
    const deadline = Date.now() + 20_000;
    for (;;) {
      got.push(...(await poll(first)));
      if (got.length >= n || Date.now() > deadline) return got;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const liveProgram = async (org: { id: string; key: string }, overrides: Record<string, unknown> = {}) => {
    const created = await createProgram(gw, org.key, { syndicated: true, ...overrides });
    const program = { id: created.id as string, organizationId: org.id };
    const bindingId = await bindInDatabase(db, program, 'WECHAT', { live: '1.0.0' });
    return { ...program, bindingId };
  };

  const event = async (via: pg.Client, p: { id: string; organizationId: string; bindingId: string }, toStage = 'RELEASED') =>
    (await via.query<{ seq: string }>(INSERT_EVENT, [p.organizationId, p.id, p.bindingId, 'WECHAT', toStage])).rows[0].seq;

  it('shows a partner the changes of syndicated live listings only, an organization its own, never evidence', async () => {
    const a = await newOrganization(gw, ['ADMIN']);
    const b = await newOrganization(gw, ['ADMIN']);
    const bFeed = await newKey(gw, b.id, ['FEED_READ'], b.key);
    const partner = await newPartner(gw);
    const visible = await liveProgram(a);
    const unsyndicated = await liveProgram(a, { syndicated: false });
    const otherOrg = await liveProgram(b);
    const draft = await createProgram(gw, a.key, { syndicated: true });
    const draftBinding = await bindInDatabase(db, { id: draft.id, organizationId: a.id }, 'BAIDU');

    const listings = [visible, unsyndicated, otherOrg, draft];
    const partnerPoll = poller(partner.key, listings);
    const aPoll = poller(a.key, listings);
    const bPoll = poller(bFeed, listings);
    await Promise.all([partnerPoll(), aPoll(), bPoll()]);

    const s1 = await event(db, visible);
    await event(db, unsyndicated);
    const s3 = await event(db, otherOrg);
    await event(db, { id: draft.id, organizationId: a.id, bindingId: draftBinding });

    const seen = await pollFor(partnerPoll, 2);
    expect(seen.map((c) => [c.listingId, c.seq])).toEqual([
      [visible.id, s1],
      [otherOrg.id, s3],
    ]);
    expect(seen[0]).toMatchObject({ host: 'WECHAT', type: 'STAGE_CHANGED', toStage: 'RELEASED' });
    expect((await pollFor(aPoll, 3)).map((c) => c.listingId).sort()).toEqual([visible.id, unsyndicated.id, draft.id].sort());
    expect((await pollFor(bPoll, 1)).map((c) => c.listingId)).toEqual([otherOrg.id]);
    // Polling again from the stored cursor returns nothing new.
    expect(await partnerPoll()).toEqual([]);
    // Evidence (host error text) is not part of the feed's changes at all.
    const asked = await gw.gql(`{ changes(first: 1) { edges { node { evidence } } } }`, {}, partner.key);
    expect(errorOf(asked).code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('misses nothing when transactions commit out of sequence order (two concurrent writers)', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const partner = await newPartner(gw);
    const p = await liveProgram(org);
    const poll = poller(partner.key, [p]);
    await poll();
    const a = new pg.Client({ connectionString: gw.databaseUrl });
    const b = new pg.Client({ connectionString: gw.databaseUrl });
    await a.connect();
    await b.connect();
    try {
      // Round 1: A takes the lower sequence number, B commits first.
      await a.query('BEGIN');
      const seqA = await event(a, p, 'IN_REVIEW');
      await b.query('BEGIN');
      const seqB = await event(b, p, 'APPROVED');
      expect(BigInt(seqA)).toBeLessThan(BigInt(seqB));
      await b.query('COMMIT');
      // B's change waits while A, older, is in flight ...
      expect(await poll()).toEqual([]);
      await a.query('COMMIT');
      // ... and both come once A commits.
      expect((await pollFor(poll, 2)).map((c) => c.seq)).toEqual([seqA, seqB]);

      // Round 2: B holds the older transaction id but the higher sequence number and commits
      // first; a reader paging by sequence alone would store seqB's cursor and skip seqA.
      await b.query('BEGIN');
      await b.query('SELECT pg_current_xact_id()'); // B's transaction id is taken first
      await a.query('BEGIN');
      const seqA2 = await event(a, p, 'RELEASING');
      const seqB2 = await event(b, p, 'RELEASED');
      expect(BigInt(seqA2)).toBeLessThan(BigInt(seqB2));
      await b.query('COMMIT');
      const whileAOpen = await pollFor(poll, 1);
      await a.query('COMMIT');
      const afterA = await pollFor(poll, 1);
      expect([...whileAOpen, ...afterA].map((c) => c.seq).sort()).toEqual([seqA2, seqB2].sort());
      expect(whileAOpen.map((c) => c.seq)).toEqual([seqB2]);
      expect(afterA.map((c) => c.seq)).toEqual([seqA2]);

      // A rolled-back change never appears, and holds nothing up once ended.
      await a.query('BEGIN');
      await event(a, p, 'FAILED');
      const seqC = await event(db, p, 'ROLLED_BACK');
      expect(await poll()).toEqual([]);
      await a.query('ROLLBACK');
      expect((await pollFor(poll, 1)).map((c) => c.seq)).toEqual([seqC]);
    } finally {
      await a.query('ROLLBACK').catch(() => undefined);
      await b.query('ROLLBACK').catch(() => undefined);
      await a.end();
      await b.end();
    }
  });

  it("keeps one listing's changes in the order they were made when the later writer holds the older transaction id", async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const partner = await newPartner(gw);
    const p = await liveProgram(org);
    const poll = poller(partner.key, [p]);
    await poll();
    // Appended as EventsService.append does it (the same statement).
    const append = async (via: pg.Client, toStage: SubmissionStatus, program: { id: string; bindingId: string } = p) =>
      (
        await via.query<{ seq: string; tx_id: string }>(`${APPEND_EVENTS()} FROM e`, [
          appendedEventsJson([
            {
              organizationId: org.id,
              miniProgramId: program.id,
              bindingId: program.bindingId,
              submissionId: null,
              host: 'WECHAT',
              type: 'STAGE_CHANGED',
              fromStage: 'APPROVED',
              toStage,
            },
          ]),
          'feed_changes_test',
        ])
      ).rows[0];
    const older = new pg.Client({ connectionString: gw.databaseUrl });
    await older.connect();
    try {
      // A writer takes its transaction id first (as one that locks its submission row before
      // anything else); another writes a change of the same listing and commits; then the first,
      // having seen it, writes the next change.
      await older.query('BEGIN');
      const olderTx = (await older.query<{ tx: string }>('SELECT pg_current_xact_id()::text AS tx')).rows[0].tx;
      const first = await append(db, 'RELEASING');
      expect(BigInt(olderTx)).toBeLessThan(BigInt(first.tx_id));
      const second = await append(older, 'RELEASED');
      await older.query('COMMIT');
      // Its own transaction id would sort it first; it is raised to the listing's latest.
      expect(second.tx_id).toBe(first.tx_id);
      // Polled until both show: another file's transaction in flight on the same server holds every
      // change back until it ends (the feed's horizon), so one poll may see none yet.
      expect((await pollFor(poll, 2)).map((c) => [c.seq, c.toStage])).toEqual([
        [first.seq, 'RELEASING'],
        [second.seq, 'RELEASED'],
      ]);
      // Another listing's events keep their own transaction's id.
      const other = await liveProgram(org);
      await db.query('BEGIN');
      const own = await append(db, 'RELEASED', other);
      const current = (await db.query<{ tx: string }>('SELECT pg_current_xact_id()::text AS tx')).rows[0].tx;
      await db.query('COMMIT');
      expect(String(own.tx_id)).toBe(current);
    } finally {
      await older.query('ROLLBACK').catch(() => undefined);
      await older.end();
    }
  });

  it('pages through many changes with no duplicate and no gap while writers keep committing', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const partner = await newPartner(gw);
    const programs = await Promise.all([liveProgram(org), liveProgram(org), liveProgram(org)]);
    const poll = poller(partner.key, programs);
    await poll();
    const writers = [0, 1, 2].map(() => new pg.Client({ connectionString: gw.databaseUrl }));
    await Promise.all(writers.map((w) => w.connect()));
    const written: string[] = [];
    const seen: Change[] = [];
    try {
      // Three writers, each committing batches of 1-3 events in one transaction; a poller reads meanwhile.
      const work = writers.map(async (w, i) => {
        for (let round = 0; round < 15; round++) {
          await w.query('BEGIN');
          for (let n = 0; n <= (round + i) % 3; n++) written.push(await event(w, programs[i]));
          await new Promise((r) => setTimeout(r, (round * 7 + i * 3) % 11));
          await w.query('COMMIT');
        }
      });
      let done = false;
      const all = Promise.all(work).then(() => (done = true));
      while (!done) seen.push(...(await poll(4)));
      await all;
      seen.push(...(await pollFor(poll, written.length - seen.length, 4)));
    } finally {
      await Promise.all(writers.map((w) => w.end()));
    }
    const seqs = seen.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort()).toEqual([...written].sort());
  });

  it("selects listing sync's basic-info changes by kind", async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    const p = await liveProgram(org);
    const { rows } = await db.query<{ seq: string }>(
      `INSERT INTO listing_events (organization_id, mini_program_id, binding_id, host, type, evidence)
       VALUES ($1, $2, $3, 'WECHAT', 'BASIC_INFO_APPLIED', '{}') RETURNING seq::text`,
      [p.organizationId, p.id, p.bindingId],
    );
    await event(db, p);
    const query = `query($f: FeedChangeFilterInput) { changes(filter: $f, first: 10) { edges { node { seq type } } } }`;
    const f = { miniProgramIds: [p.id], types: ['BASIC_INFO_APPLIED'] };
    const edges = await eventually(async () => {
      const got = ok(await gw.gql(query, { f }, org.key)).changes.edges;
      expect(got.length).toBeGreaterThan(0);
      return got;
    });
    expect(edges.map((e: { node: unknown }) => e.node)).toEqual([{ seq: rows[0].seq, type: 'BASIC_INFO_APPLIED' }]);
  });

  it('refuses a cursor it did not make, and the operator key', async () => {
    const partner = await newPartner(gw);
    expect(errorOf(await gw.gql(CHANGES, { after: 'c2VxOjEy', first: 5 }, partner.key)).violations).toEqual([
      { field: 'after', rule: 'isCursor', message: 'after is not a change cursor returned by this API' },
    ]);
    expect(errorOf(await gw.gql(CHANGES, { first: 0 }, partner.key)).violations[0]).toMatchObject({ field: 'first', rule: 'min' });
    expect(errorOf(await gw.gql(CHANGES, { first: 5 }, gw.operatorKey)).code).toBe('FORBIDDEN');
  });
});
