import { describe, expect, it } from '@jest/globals';
import type { SelectQueryBuilder } from 'typeorm';
import { GatewayError } from '../gateway-error.js';
import { decodeCursor, encodeCursor, type Keyset } from './cursor.js';
import { keysetPage } from './keyset-page.js';

// A stand-in for TypeORM's query builder over rows in memory. It understands exactly the keyset
// condition and order keysetPage must add (anything else fails), so the page logic is checked
// here; test/keyset-pagination.e2e-spec.ts runs the same function on PostgreSQL.
interface Row extends Keyset {
  name: string;
}

const CURSOR_CONDITION = '(r.created_at, r.id) < (:cursorCreatedAt, :cursorId)';

class FakeQueryBuilder {
  readonly alias = 'r';
  readonly log: string[] = [];
  private readonly conditions: Array<(row: Row) => boolean> = [];
  private order: string[] = [];
  private take = Infinity;
  counted = 0;

  constructor(private readonly rows: Row[]) {}

  clone(): FakeQueryBuilder {
    const copy = new FakeQueryBuilder(this.rows);
    copy.conditions.push(...this.conditions);
    copy.log.push(...this.log);
    // Both builders share one count, so the test sees a COUNT on either.
    Object.defineProperty(copy, 'counted', { get: () => this.counted, set: (v: number) => (this.counted = v) });
    return copy;
  }

  andWhere(sql: string, params: { cursorCreatedAt: Date; cursorId: string }): this {
    expect(sql).toBe(CURSOR_CONDITION);
    expect(params.cursorCreatedAt).toBeInstanceOf(Date);
    const key = { t: params.cursorCreatedAt.getTime(), id: params.cursorId };
    this.conditions.push((row) => row.createdAt.getTime() < key.t || (row.createdAt.getTime() === key.t && row.id < key.id));
    this.log.push(`where ${sql}`);
    return this;
  }

  orderBy(column: string, direction: string): this {
    this.order = [`${column} ${direction}`];
    return this;
  }

  addOrderBy(column: string, direction: string): this {
    this.order.push(`${column} ${direction}`);
    return this;
  }

  limit(n: number): this {
    this.take = n;
    this.log.push(`limit ${n}`);
    return this;
  }

  private matching(): Row[] {
    return this.rows.filter((row) => this.conditions.every((c) => c(row)));
  }

  async getMany(): Promise<Row[]> {
    expect(this.order).toEqual(['r.created_at DESC', 'r.id DESC']);
    return this.matching()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, this.take);
  }

  async getCount(): Promise<number> {
    this.counted++;
    return this.matching().length;
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
  const qb = new FakeQueryBuilder(rows);
  return { qb, result: keysetPage(qb as unknown as SelectQueryBuilder<Row>, args, (row) => row.name) };
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

  it('gives an empty page no end cursor', async () => {
    const p = await page({ first: 3, after: encodeCursor({ createdAt: at(0), id: id(9) }) }).result;
    expect(p).toMatchObject({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
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
