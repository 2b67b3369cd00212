import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../gateway-error.js';
import { decodeCursor, encodeCursor, type Keyset } from './cursor.js';
import { keysetPage, type KeysetQuery, type RowSource } from './keyset-page.js';

// A stand-in for a pg pool over rows in memory. It understands exactly the statements keysetPage
// writes (the filter, the keyset condition, the order, the limit and the COUNT; anything else
// fails), so the page logic is checked here; test/keyset-pagination.e2e-spec.ts runs the same
// function on PostgreSQL.
interface Row extends Keyset {
  name: string;
}

const QUERY: KeysetQuery = { columns: 'r.*', from: 'rows r', alias: 'r', where: ['r.kept = $1'], params: [true] };
const PAGE =
  /^SELECT r\.\* FROM rows r WHERE r\.kept = \$1(?: AND \(r\.created_at, r\.id\) < \(\$2::timestamptz, \$3::uuid\))? ORDER BY r\.created_at DESC, r\.id DESC LIMIT \$(\d)$/;
const BEFORE =
  /^SELECT 1 FROM rows r WHERE r\.kept = \$1 AND \(r\.created_at, r\.id\) >= \(\$2::timestamptz, \$3::uuid\) ORDER BY r\.created_at ASC, r\.id ASC LIMIT 1$/;
const COUNT = 'SELECT count(*)::int AS n FROM rows r WHERE r.kept = $1';

class FakeSource implements RowSource {
  readonly log: string[] = [];
  counted = 0;

  constructor(private readonly rows: Row[]) {}

  async query<R>(text: string, values: unknown[] = []): Promise<{ rows: R[] }> {
    expect(values[0]).toBe(true);
    const newestFirst = [...this.rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    if (text === COUNT) {
      this.counted++;
      return { rows: [{ n: this.rows.length }] as R[] };
    }
    const key = () => ({ t: new Date(values[1] as string).getTime(), id: values[2] as string });
    const before = (row: Row, k: { t: number; id: string }) => row.createdAt.getTime() < k.t || (row.createdAt.getTime() === k.t && row.id < k.id);
    if (BEFORE.test(text)) {
      this.log.push('previous');
      const k = key();
      return { rows: newestFirst.filter((row) => !before(row, k)).slice(0, 1) as unknown as R[] };
    }
    const page = PAGE.exec(text);
    if (!page) throw new Error(`unexpected statement: ${text}`);
    const withCursor = text.includes('<');
    expect(Number(page[1])).toBe(withCursor ? 4 : 2);
    const limit = values[Number(page[1]) - 1] as number;
    this.log.push(`limit ${limit}`);
    const k = withCursor ? key() : null;
    return { rows: newestFirst.filter((row) => !k || before(row, k)).slice(0, limit) as unknown as R[] };
  }
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute, 0, 123));
// Five rows; rows 2, 3 and 4 share a timestamp, so the id decides their order.
const ROWS: Row[] = [
  { id: id(1), createdAt: at(1), name: 'oldest' },
  { id: id(2), createdAt: at(2), name: 'tie-low' },
  { id: id(4), createdAt: at(2), name: 'tie-high' },
  { id: id(3), createdAt: at(2), name: 'tie-mid' },
  { id: id(5), createdAt: at(3), name: 'newest' },
];

function page(args: { first: number; after?: string | null }, rows = ROWS) {
  const qb = new FakeSource(rows);
  return { qb, result: keysetPage(qb, QUERY, args, (row: Row) => row.name) };
}

async function walk(first: number): Promise<{ names: string[][]; hasNext: boolean[] }> {
  const names: string[][] = [];
  const hasNext: boolean[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10; i++) {
    const { result } = page({ first, after });
    const p = await result;
    names.push(p.edges.map((e) => e.node));
    hasNext.push(p.pageInfo.hasNextPage);
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  return { names, hasNext };
}

describe('keysetPage', () => {
  it('walks every row once, newest first, ties broken by id, in pages of 2', async () => {
    expect(await walk(2)).toEqual({
      names: [['newest', 'tie-high'], ['tie-mid', 'tie-low'], ['oldest']],
      hasNext: [true, true, false],
    });
  });

  it('says there is no next page when the last page is exactly full', async () => {
    expect(await walk(5)).toEqual({ names: [['newest', 'tie-high', 'tie-mid', 'tie-low', 'oldest']], hasNext: [false] });
    expect(await walk(4)).toEqual({ names: [['newest', 'tie-high', 'tie-mid', 'tie-low'], ['oldest']], hasNext: [true, false] });
  });

  it('asks for one row more than the page to learn whether another page follows', async () => {
    const { qb, result } = page({ first: 2 });
    await result;
    expect(qb.log).toEqual(['limit 3']);
  });

  it('gives each edge the cursor of its own row, and the page the cursor of its last edge', async () => {
    const p = await page({ first: 2 }).result;
    expect(p.edges.map((e) => decodeCursor(e.cursor))).toEqual([
      { createdAt: at(3), id: id(5) },
      { createdAt: at(2), id: id(4) },
    ]);
    expect(p.pageInfo.endCursor).toBe(p.edges[1].cursor);
  });

  it('gives an empty page no start or end cursor', async () => {
    const p = await page({ first: 3, after: encodeCursor({ createdAt: at(0), id: id(9) }) }).result;
    expect(p).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, startCursor: null, endCursor: null } });
  });

  it('gives the page the cursor of its first edge as its start cursor', async () => {
    const p = await page({ first: 2 }).result;
    expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
  });

  it('says a first page has no previous page without asking the database', async () => {
    const { qb, result } = page({ first: 2 });
    expect(await (await result).pageInfo.hasPreviousPage).toBe(false);
    expect(qb.log).toEqual(['limit 3']);
  });

  it('says a page reached with a cursor has a previous page when the cursor row or a newer one still matches, asking once and only when read', async () => {
    const cursor = encodeCursor({ createdAt: at(2), id: id(3) });
    const { qb, result } = page({ first: 1, after: cursor });
    const p = await result;
    expect(qb.log).toEqual(['limit 2']);
    expect(await p.pageInfo.hasPreviousPage).toBe(true);
    expect(await p.pageInfo.hasPreviousPage).toBe(true);
    expect(qb.log).toEqual(['limit 2', 'previous']);
    // Only rows older than the cursor are left: nothing comes before the page.
    const older = page(
      { first: 1, after: cursor },
      ROWS.filter((r) => r.name === 'oldest' || r.name === 'tie-low'),
    );
    expect(await (await older.result).pageInfo.hasPreviousPage).toBe(false);
  });

  it('counts only when totalCount is read, and counts every row of the filter, not only those after the cursor', async () => {
    const { qb, result } = page({ first: 1, after: encodeCursor({ createdAt: at(2), id: id(3) }) });
    const p = await result;
    expect(p.edges.map((e) => e.node)).toEqual(['tie-low']);
    expect(qb.counted).toBe(0);
    expect(await p.totalCount).toBe(5);
    expect(qb.counted).toBe(1);
  });

  it('refuses a cursor it did not make before running any query', async () => {
    const { qb, result } = page({ first: 2, after: 'not-a-cursor' });
    await expect(result).rejects.toBeInstanceOf(GatewayError);
    expect(qb.log).toEqual([]);
  });
});
