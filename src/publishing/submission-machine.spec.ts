import type { EntityManager } from 'typeorm';
import { HostError, SUBMISSION_STATUSES, type SubmissionStatus } from '../../adapters/core/index.js';
import type { EventsService, NewListingEvent } from '../events/events.service.js';
import { ACTIVE_STAGES, blocksNewPublish, failureOf, IllegalTransitionError, note, persist, transition } from './submission-machine.js';
import { SubmissionEntity } from './submission.entity.js';

// The submission machine without a database: the events it appends and the fields it writes are
// recorded by fakes that take the manager they are given, so a write outside the caller's
// transaction shows up as a different manager.
const manager = { name: 'the transaction' } as unknown as EntityManager;

function recordingEvents() {
  const appended: Array<{ manager: EntityManager; event: NewListingEvent }> = [];
  const events = {
    append: async (m: EntityManager, event: NewListingEvent) => {
      appended.push({ manager: m, event });
    },
  } as unknown as EventsService;
  return { events, appended };
}

function submission(stage: SubmissionStatus, overrides: Partial<SubmissionEntity> = {}): SubmissionEntity {
  return Object.assign(new SubmissionEntity(), {
    id: 'sub-1',
    organizationId: 'org-1',
    miniProgramId: 'prog-1',
    bindingId: 'bind-1',
    host: 'WECHAT',
    version: '1.2.0',
    stage,
    nativeStatus: 'native-before',
    releaseMode: 'AUTO',
    ...overrides,
  });
}

describe('transition', () => {
  it('applies a legal transition and appends its STAGE_CHANGED event in the same transaction', async () => {
    const { events, appended } = recordingEvents();
    const sub = submission('UPLOADED');
    await transition(events, manager, sub, 'IN_REVIEW', { nativeStatus: 'auditing', evidence: { auditId: '42' } });
    expect(sub.stage).toBe('IN_REVIEW');
    expect(sub.nativeStatus).toBe('auditing');
    expect(appended).toEqual([
      {
        manager,
        event: {
          organizationId: 'org-1',
          miniProgramId: 'prog-1',
          bindingId: 'bind-1',
          submissionId: 'sub-1',
          host: 'WECHAT',
          type: 'STAGE_CHANGED',
          fromStage: 'UPLOADED',
          toStage: 'IN_REVIEW',
          nativeStatus: 'auditing',
          evidence: { version: '1.2.0', auditId: '42' },
        },
      },
    ]);
  });

  it('keeps the native status when none is given, and records only the version as evidence', async () => {
    const { events, appended } = recordingEvents();
    const sub = submission('PENDING');
    await transition(events, manager, sub, 'UPLOADING');
    expect(sub.nativeStatus).toBe('native-before');
    expect(appended[0].event).toMatchObject({ fromStage: 'PENDING', toStage: 'UPLOADING', nativeStatus: 'native-before', evidence: { version: '1.2.0' } });
    expect(Object.keys(appended[0].event.evidence!)).toEqual(['version']);
  });

  it('clears the native status when given null', async () => {
    const { events, appended } = recordingEvents();
    const sub = submission('IN_REVIEW');
    await transition(events, manager, sub, 'APPROVED', { nativeStatus: null });
    expect(sub.nativeStatus).toBeNull();
    expect(appended[0].event.nativeStatus).toBeNull();
  });

  it('refuses every pair the lifecycle table refuses, changing nothing and appending nothing', async () => {
    const { events, appended } = recordingEvents();
    const refused: string[] = [];
    for (const from of SUBMISSION_STATUSES) {
      for (const to of SUBMISSION_STATUSES) {
        const sub = submission(from);
        try {
          await transition(events, manager, sub, to, { nativeStatus: 'changed' });
        } catch (err) {
          expect(err).toBeInstanceOf(IllegalTransitionError);
          expect((err as Error).name).toBe('IllegalTransitionError');
          expect((err as Error).message).toBe(`illegal transition ${from} -> ${to} for submission sub-1`);
          expect(sub).toMatchObject({ stage: from, nativeStatus: 'native-before' });
          refused.push(`${from}->${to}`);
          continue;
        }
        expect(sub.stage).toBe(to);
      }
    }
    // 144 pairs, 32 legal (adapters/core/lifecycle.table.spec.ts lists them).
    expect(refused).toHaveLength(144 - 32);
    expect(refused).toContain('RELEASED->IN_REVIEW');
    expect(appended).toHaveLength(32);
  });
});

describe('note', () => {
  it('appends an event that leaves the stage where it is', async () => {
    const { events, appended } = recordingEvents();
    const sub = submission('IN_REVIEW', { nativeStatus: 'auditing' });
    await note(events, manager, sub, 'REVIEW_SPEED_UP_REQUESTED', { reason: 'urgent fix' });
    expect(appended).toEqual([
      {
        manager,
        event: {
          organizationId: 'org-1',
          miniProgramId: 'prog-1',
          bindingId: 'bind-1',
          submissionId: 'sub-1',
          host: 'WECHAT',
          type: 'REVIEW_SPEED_UP_REQUESTED',
          fromStage: 'IN_REVIEW',
          toStage: 'IN_REVIEW',
          nativeStatus: 'auditing',
          evidence: { version: '1.2.0', reason: 'urgent fix' },
        },
      },
    ]);
    expect(sub.stage).toBe('IN_REVIEW');
  });
});

describe('persist', () => {
  it('writes every mutable field of the submission by id, with the given manager', async () => {
    const updates: Array<{ sql: string; params: unknown[] }> = [];
    const m = { query: async (sql: string, params: unknown[]) => void updates.push({ sql, params }) } as unknown as EntityManager;
    const next = new Date('2026-12-01T10:00:00Z');
    const started = new Date('2026-12-01T09:00:00Z');
    const intent: SubmissionEntity['intent'] = {
      op: 'submit',
      attempt: 2,
      startedAt: started.toISOString(),
      fromStage: 'UPLOADED',
      requested: false,
    };
    const sub = submission('IN_REVIEW', {
      hostRef: { auditId: '42' } as unknown as SubmissionEntity['hostRef'],
      nativeStatus: 'auditing',
      evidence: { note: 'x' },
      attempts: 3,
      nextAttemptAt: next,
      pollIntervalMs: 60000,
      autoReleased: true,
      pendingAction: { op: 'rollback' },
      intent,
      reviewStartedAt: started,
    });
    await persist(m, sub);
    expect(updates).toHaveLength(1);
    const columns = [...updates[0].sql.matchAll(/(\w+) = \$(\d+)/g)].map(([, column, n]) => [column, updates[0].params[Number(n) - 1]]);
    expect(Object.fromEntries(columns)).toEqual({
      id: 'sub-1',
      stage: 'IN_REVIEW',
      host_ref: JSON.stringify({ auditId: '42' }),
      native_status: 'auditing',
      evidence: JSON.stringify({ note: 'x' }),
      attempts: 3,
      next_attempt_at: next,
      poll_interval_ms: 60000,
      auto_released: true,
      pending_action: JSON.stringify({ op: 'rollback' }),
      intent: JSON.stringify(intent),
      review_started_at: started,
    });
  });

  it('writes SQL NULL, not JSON null, for an empty intent, action and host reference', async () => {
    const updates: Array<{ sql: string; params: unknown[] }> = [];
    const m = { query: async (sql: string, params: unknown[]) => void updates.push({ sql, params }) } as unknown as EntityManager;
    await persist(m, submission('PENDING', { hostRef: null, pendingAction: null, intent: null }));
    const columns = Object.fromEntries([...updates[0].sql.matchAll(/(\w+) = \$(\d+)/g)].map(([, column, n]) => [column, updates[0].params[Number(n) - 1]]));
    expect([columns.host_ref, columns.pending_action, columns.intent]).toEqual([null, null, null]);
  });
});

describe('blocksNewPublish', () => {
  it('is true in every active stage except an approved manual release', () => {
    expect(ACTIVE_STAGES).toEqual(['PENDING', 'UPLOADING', 'UPLOADED', 'IN_REVIEW', 'APPROVED', 'RELEASING']);
    for (const stage of SUBMISSION_STATUSES) {
      for (const releaseMode of ['AUTO', 'MANUAL', 'GRAY']) {
        const expected = ACTIVE_STAGES.includes(stage) && !(stage === 'APPROVED' && releaseMode === 'MANUAL');
        expect([stage, releaseMode, blocksNewPublish(submission(stage, { releaseMode }))]).toEqual([stage, releaseMode, expected]);
      }
    }
    expect(blocksNewPublish(submission('APPROVED', { releaseMode: 'MANUAL' }))).toBe(false);
    expect(blocksNewPublish(submission('APPROVED', { releaseMode: 'AUTO' }))).toBe(true);
    expect(blocksNewPublish(submission('RELEASING', { releaseMode: 'MANUAL' }))).toBe(true);
    expect(blocksNewPublish(submission('RELEASED', { releaseMode: 'AUTO' }))).toBe(false);
    expect(blocksNewPublish(submission('FAILED', { releaseMode: 'AUTO' }))).toBe(false);
  });
});

describe('failureOf', () => {
  const at = new Date('2026-12-01T08:00:00Z');

  it("keeps a host error's kind, native code, message and request id, and its own operation", () => {
    const err = new HostError({
      host: 'WECHAT',
      kind: 'quota',
      nativeCode: '85009',
      nativeMessage: 'audit quota used up',
      retryable: true,
      requestId: 'rid-7',
      operation: 'submitForReview',
    });
    expect(failureOf(err, 'upload', at)).toEqual({
      kind: 'quota',
      nativeCode: '85009',
      nativeMessage: 'audit quota used up',
      requestId: 'rid-7',
      operation: 'submitForReview',
      at: '2026-12-01T08:00:00.000Z',
    });
  });

  it('names the operation it was given when the host error has none', () => {
    const err = new HostError({ host: 'ALIPAY', kind: 'unavailable', nativeCode: null, nativeMessage: 'timeout', retryable: true });
    expect(failureOf(err, 'release', at)).toEqual({
      kind: 'unavailable',
      nativeCode: null,
      nativeMessage: 'timeout',
      requestId: null,
      operation: 'release',
      at: '2026-12-01T08:00:00.000Z',
    });
  });

  it('turns anything else into an internal failure with its name and message', () => {
    expect(failureOf(new TypeError('x is undefined'), 'upload', at)).toEqual({
      kind: 'internal',
      nativeCode: null,
      nativeMessage: 'TypeError: x is undefined',
      requestId: null,
      operation: 'upload',
      at: '2026-12-01T08:00:00.000Z',
    });
    expect(failureOf('plain text', 'poll', at).nativeMessage).toBe('Error: plain text');
    expect(failureOf(null, 'poll', at).nativeMessage).toBe('Error: null');
  });

  it('is stamped now when no time is given', () => {
    const before = Date.now();
    const stamped = Date.parse(failureOf(new Error('x'), 'upload').at);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});
