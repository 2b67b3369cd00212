import type { QueryRunner } from 'typeorm';
import { runPrepared } from './prepared.js';

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
