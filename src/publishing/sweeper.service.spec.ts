import type { GatewayConfig } from '../config/gateway-config.js';
import { QUEUES, type JobsService, type QueueName } from '../jobs/jobs.service.js';
import { SweeperService } from './sweeper.service.js';

/** A sweeper whose queues are `lag` ms behind, over a database that records each statement and its parameters. */
function sweeperWith(lag: Partial<Record<QueueName, number>>) {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  const record = async (sql: string, params: unknown[]) => {
    statements.push({ sql, params });
    return sql.startsWith('UPDATE') ? { records: [{ id: 'overdue-1' }] } : [{ id: 'found-1' }];
  };
  const manager = { query: record, queryRunner: { query: record } };
  const sent: Array<{ queue: string; data: unknown }> = [];
  const jobs = {
    lagMs: async (queue: QueueName) => lag[queue] ?? 0,
    workerDb: { transaction: async (work: (m: unknown) => Promise<number>) => work(manager) },
    send: async (queue: string, data: unknown) => void sent.push({ queue, data }),
  } as unknown as JobsService;
  const config = { SYNC_SWEEP_INTERVAL_MS: 1_000, SYNC_POLL_MAX_MS: 300_000 } as GatewayConfig;
  return { sweeper: new SweeperService(jobs, config), statements, sent };
}

const overdueBy = (statements: Array<{ sql: string; params: unknown[] }>, table: string) => statements.find((s) => s.sql.includes(`FROM ${table}`))?.params[0];

describe('SweeperService', () => {
  it('counts work overdue only beyond two sweep intervals plus how far its own queue is behind', async () => {
    const { sweeper, statements } = sweeperWith({ [QUEUES.submissionStep]: 30_000, [QUEUES.inboxApply]: 1_500 });
    await sweeper.sweep();
    expect(overdueBy(statements, 'submissions')).toBe(32_000);
    expect(overdueBy(statements, 'listing_sync_steps')).toBe(2_000);
    expect(overdueBy(statements, 'host_callbacks')).toBe(3_500);
  });

  it('queues the periodic read-backs only while the read-backs already queued wait less than a sweep interval', async () => {
    const behind = sweeperWith({ [QUEUES.bindingSync]: 1_001 });
    await behind.sweeper.sweep();
    expect(behind.statements.some((s) => s.sql.includes('FROM host_bindings'))).toBe(false);
    expect(behind.sent.filter((j) => j.queue === QUEUES.bindingSync)).toEqual([]);

    const current = sweeperWith({ [QUEUES.bindingSync]: 999 });
    await current.sweeper.sweep();
    expect(current.sent.filter((j) => j.queue === QUEUES.bindingSync)).toEqual([{ queue: QUEUES.bindingSync, data: { bindingId: 'found-1' } }]);
  });
});
