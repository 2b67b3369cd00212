import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { beginWith, endTransaction, runPrepared } from './prepared.js';

/** A query runner whose connection records what it was sent. */
function runnerSending(sent: Array<{ name?: string; text: string }>): QueryRunner {
  const client = { query: async (q: { name?: string; text: string }) => (sent.push(q), { rows: [{ ok: true }] }) };
  return { connect: async () => client } as unknown as QueryRunner;
}

describe('runPrepared', () => {
  it('names each text once and sends the same text under the same name, another text under another', async () => {
    const sent: Array<{ name?: string; text: string }> = [];
    const runner = runnerSending(sent);
    expect(await runPrepared(runner, 'SELECT $1::int AS n', [1])).toEqual([{ ok: true }]);
    await runPrepared(runner, 'SELECT $1::int AS n', [2]);
    await runPrepared(runner, 'SELECT $1::text AS t', ['x']);
    expect(sent[0].name).toMatch(/^gw_\d+$/);
    expect(sent[1].name).toBe(sent[0].name);
    expect(sent[2].name).not.toBe(sent[0].name);
  });
});

describe('beginWith', () => {
  it('sends BEGIN and the statement in one query, its values quoted by the driver, and answers the statement rows', async () => {
    const sent: string[] = [];
    const driver = new pg.Client();
    const client = {
      escapeLiteral: (value: string) => driver.escapeLiteral(value),
      query: async (text: string) => (sent.push(text), text.startsWith('BEGIN;') ? [{ rows: [] }, { rows: [{ id: 'a' }] }] : { rows: [] }),
    };
    const runner = { connect: async () => client } as unknown as QueryRunner;
    const rows = await beginWith(runner, (literal) => `SELECT id FROM t WHERE name = ${literal("x'); DROP TABLE t; --")} FOR UPDATE`);
    expect(rows).toEqual([{ id: 'a' }]);
    await endTransaction(runner, 'COMMIT');
    // The hostile value stays one quoted literal: its quote is doubled.
    expect(sent).toEqual([`BEGIN; SELECT id FROM t WHERE name = 'x''); DROP TABLE t; --' FOR UPDATE`, 'COMMIT']);
  });
});
