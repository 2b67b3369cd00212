import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { QUEUES, type JobsService } from '../jobs/jobs.service.js';
import { BUSY_RETRY_MS } from '../jobs/advisory-step.js';
import type { MiniProgramService } from '../catalog/mini-program.service.js';
import type { VersionService } from '../catalog/version.service.js';
import { StepRunner } from './step-runner.service.js';
import type { SubmissionEntity } from './submission.entity.js';

/** A step runner whose database answers the advisory lock as `lockFree` says, and whose queue records what is sent. */
function runnerWith(lockFree: boolean | null) {
  const queries: string[] = [];
  const released: unknown[] = [];
  const answer = (sql: string) => {
    queries.push(sql);
    return sql.includes('pg_try_advisory_lock') ? [{ ok: lockFree }] : [];
  };
  // Its connection: the hot statements are sent on it as prepared statements (src/database/prepared.ts).
  const connection = { query: async (q: { text: string }) => ({ rows: answer(q.text) }) };
  const queryRunner = {
    connect: async () => connection,
    isTransactionActive: false,
    query: async (sql: string) => answer(sql),
    // The submission is gone: a locked step ends right after reading it.
    manager: { findOneBy: async () => null },
    release: async (err?: unknown) => void released.push(err),
  };
  const sent: Array<{ queue: string; data: unknown; startAfter?: Date }> = [];
  const jobs = {
    workerDb: { createQueryRunner: () => queryRunner },
    send: async (queue: string, data: unknown, options: { startAfter?: Date } = {}) => void sent.push({ queue, data, startAfter: options.startAfter }),
  } as unknown as JobsService;
  const none = {} as never;
  const steps = new StepRunner({} as DataSource, {} as GatewayConfig, jobs, none, none, none, none, none, none);
  return { steps, sent, queries, released };
}

describe('StepRunner.run', () => {
  it('looks again shortly at a submission another worker holds, instead of dropping its job', async () => {
    const { steps, sent, queries, released } = runnerWith(false);
    const before = Date.now();
    await steps.run('sub-1');
    expect(sent).toEqual([{ queue: QUEUES.submissionStep, data: { submissionId: 'sub-1' }, startAfter: expect.any(Date) as Date }]);
    const delay = sent[0].startAfter!.getTime() - before;
    expect(delay).toBeGreaterThanOrEqual(BUSY_RETRY_MS);
    expect(delay).toBeLessThanOrEqual(2 * BUSY_RETRY_MS + 50);
    // It never unlocks what it does not hold, and gives its connection back.
    expect(queries.some((q) => q.includes('pg_advisory_unlock'))).toBe(false);
    expect(released).toEqual([undefined]);
  });

  it('ends at once, locking nothing and sending nothing, when its submission has nothing due', async () => {
    const { steps, sent, queries, released } = runnerWith(null);
    await steps.run('sub-3');
    expect(sent).toEqual([]);
    // One statement: the lock was tried only if work was due, and nothing is unlocked.
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/CASE WHEN .*next_attempt_at <= \$3\s+THEN pg_try_advisory_lock/s);
    expect(released).toEqual([undefined]);
  });

  it('sends nothing and unlocks when it held the lock', async () => {
    const { steps, sent, queries, released } = runnerWith(true);
    await steps.run('sub-2');
    expect(sent).toEqual([]);
    expect(queries.filter((q) => q.includes('pg_advisory_unlock'))).toHaveLength(1);
    expect(released).toEqual([undefined]);
  });
});

describe('StepRunner versions', () => {
  it('keeps a locked version in memory and reads an unlocked one every time', async () => {
    const reads: string[] = [];
    const versions = {
      get: async (_org: string, id: string) => (reads.push(id), { id, locked: id === 'locked' }),
    } as unknown as VersionService;
    const none = {} as never;
    const steps = new StepRunner({} as DataSource, {} as GatewayConfig, {} as JobsService, none, none, none, none, versions, none);
    const version = (versionId: string) => steps['version']({ organizationId: 'org', versionId } as SubmissionEntity);
    for (let i = 0; i < 3; i++) {
      expect(await version('locked')).toMatchObject({ id: 'locked' });
      expect(await version('draft')).toMatchObject({ id: 'draft' });
    }
    expect(reads).toEqual(['locked', 'draft', 'draft', 'draft']);
  });
});

describe('StepRunner mini-programs', () => {
  it('reads a mini-program again only when the revision its step read has moved', async () => {
    const reads: number[] = [];
    let revision = 3;
    const programs = {
      get: async (_org: string, id: string) => (reads.push(revision), { id, revision }),
    } as unknown as MiniProgramService;
    const none = {} as never;
    const steps = new StepRunner({} as DataSource, {} as GatewayConfig, {} as JobsService, none, none, none, programs, none, none);
    const stepAt = (rev: number) => {
      const sub = { organizationId: 'org', miniProgramId: 'p1' } as SubmissionEntity;
      steps['programRevisions'].set(sub, rev);
      return steps['program'](sub);
    };
    expect(await stepAt(3)).toMatchObject({ revision: 3 });
    expect(await stepAt(3)).toMatchObject({ revision: 3 });
    revision = 4;
    expect(await stepAt(4)).toMatchObject({ revision: 4 });
    expect(await stepAt(4)).toMatchObject({ revision: 4 });
    // A step that read no revision (no row joined) reads the program.
    expect(await steps['program']({ organizationId: 'org', miniProgramId: 'p1' } as SubmissionEntity)).toMatchObject({ revision: 4 });
    expect(reads).toEqual([3, 4, 4]);
  });
});
