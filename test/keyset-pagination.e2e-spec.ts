import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { keysetPage } from '../src/common/pagination/keyset-page.js';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database.js';

// keysetPage on PostgreSQL itself: row comparison, DESC order on (created_at, id), LIMIT and
// COUNT as the server runs them, over a scratch table of this suite's own database.
interface KeysetRow {
  id: string;
  tenant: string;
  createdAt: Date;
}

describe('keyset pagination on PostgreSQL', () => {
  let database: ScratchDatabase;
  let ds: pg.Pool;
  const ids: string[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase(process.env.TEST_PG_SERVER_URL!, 'gw_keyset');
    ds = new pg.Pool({ connectionString: database.url, max: 2 });
    await ds.query('CREATE TABLE keyset_rows (id uuid PRIMARY KEY, tenant text NOT NULL, created_at timestamptz(3) NOT NULL)');
    // 23 rows of tenant a in 5 timestamps (ties broken by id), 4 rows of tenant b interleaved.
    const base = Date.UTC(2026, 10, 24, 10, 0, 0, 0);
    for (let i = 0; i < 27; i++) {
      const id = randomUUID();
      const tenant = i % 7 === 3 ? 'b' : 'a';
      if (tenant === 'a') ids.push(id);
      await ds.query('INSERT INTO keyset_rows (id, tenant, created_at) VALUES ($1, $2, $3)', [id, tenant, new Date(base + (i % 5) * 1000 + 0.4)]);
    }
  });

  afterAll(async () => {
    await ds?.end();
    await database?.drop();
  });

  const pageOf = (first: number, after: string | null) =>
    keysetPage<KeysetRow, KeysetRow>(
      ds,
      { columns: 'r.id, r.tenant, r.created_at AS "createdAt"', from: 'keyset_rows r', alias: 'r', where: ['r.tenant = $1'], params: ['a'] },
      { first, after },
      (row) => row,
    );

  it.each([1, 4, 5, 22, 23, 24])('walks every row of the filter exactly once, newest first, in pages of %i', async (first) => {
    const seen: KeysetRow[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 30; pages++) {
      const page = await pageOf(first, after);
      seen.push(...page.edges.map((e) => e.node));
      expect(page.edges.length).toBeLessThanOrEqual(first);
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(first);
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((r) => r.id)).size).toBe(ids.length);
    const expectedOrder = [...seen].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
    expect(seen.map((r) => r.id)).toEqual(expectedOrder.map((r) => r.id));
  });

  it('says whether rows come before a page: none on the first, some after a cursor, none once the newer rows are gone', async () => {
    const first = await pageOf(5, null);
    expect(first.pageInfo.startCursor).toBe(first.edges[0].cursor);
    expect(await first.pageInfo.hasPreviousPage).toBe(false);
    const second = await pageOf(5, first.pageInfo.endCursor);
    expect(await second.pageInfo.hasPreviousPage).toBe(true);
    // Tenant b's rows never count as previous rows of tenant a's pages.
    const newest = first.edges.map((e) => e.node.id);
    await ds.query('UPDATE keyset_rows SET tenant = $1 WHERE id = ANY($2::uuid[])', ['moved', newest]);
    try {
      expect(await (await pageOf(5, first.pageInfo.endCursor)).pageInfo.hasPreviousPage).toBe(false);
    } finally {
      await ds.query('UPDATE keyset_rows SET tenant = $1 WHERE id = ANY($2::uuid[])', ['a', newest]);
    }
  });

  it('counts the whole filter whatever the cursor, and only when asked', async () => {
    const first = await pageOf(5, null);
    const second = await pageOf(5, first.pageInfo.endCursor);
    expect(await first.totalCount).toBe(23);
    expect(await second.totalCount).toBe(23);
  });
});
