import { describe, expect, it } from '@jest/globals';
import { canTransition, nextStatuses, SUBMISSION_STATUSES, TERMINAL_STATUSES, type SubmissionStatus } from './lifecycle.js';

// The whole transition table, written out independently of lifecycle.ts (DESIGN.md, "Normalized
// lifecycle"). Every one of the 12 x 12 pairs is checked, so an edge added or dropped there
// (RELEASED -> IN_REVIEW, say) fails here until this list is changed with it, on purpose.
const LEGAL: Record<SubmissionStatus, SubmissionStatus[]> = {
  PENDING: ['UPLOADING', 'FAILED'],
  UPLOADING: ['UPLOADED', 'FAILED'],
  UPLOADED: ['IN_REVIEW', 'FAILED'],
  IN_REVIEW: ['APPROVED', 'REJECTED', 'WITHDRAWN', 'FAILED'],
  APPROVED: ['RELEASING', 'GRAY', 'RELEASED', 'WITHDRAWN', 'FAILED'],
  REJECTED: ['IN_REVIEW', 'UPLOADING', 'FAILED'],
  WITHDRAWN: ['IN_REVIEW', 'UPLOADING', 'FAILED'],
  RELEASING: ['GRAY', 'RELEASED', 'FAILED'],
  GRAY: ['GRAY', 'RELEASED', 'APPROVED', 'FAILED'],
  RELEASED: ['ROLLED_BACK', 'FAILED'],
  ROLLED_BACK: ['FAILED'],
  FAILED: ['PENDING'],
};

const ALL_PAIRS = SUBMISSION_STATUSES.flatMap((from) => SUBMISSION_STATUSES.map((to) => [from, to] as const));

describe('lifecycle transition table', () => {
  it('knows exactly the twelve normalized statuses, in lifecycle order', () => {
    expect(SUBMISSION_STATUSES).toEqual([
      'PENDING',
      'UPLOADING',
      'UPLOADED',
      'IN_REVIEW',
      'APPROVED',
      'REJECTED',
      'WITHDRAWN',
      'RELEASING',
      'GRAY',
      'RELEASED',
      'ROLLED_BACK',
      'FAILED',
    ]);
    expect(Object.keys(LEGAL).sort()).toEqual([...SUBMISSION_STATUSES].sort());
  });

  it('allows exactly the legal pairs and refuses every other one of the 144', () => {
    const allowed = ALL_PAIRS.filter(([from, to]) => canTransition(from, to)).map(([from, to]) => `${from} -> ${to}`);
    const expected = ALL_PAIRS.filter(([from, to]) => LEGAL[from].includes(to)).map(([from, to]) => `${from} -> ${to}`);
    expect(allowed).toEqual(expected);
    expect(allowed).toHaveLength(32);
  });

  it.each(SUBMISSION_STATUSES.map((s) => [s]))('lists the statuses reachable from %s, and only those', (from) => {
    expect([...nextStatuses(from)].sort()).toEqual([...LEGAL[from]].sort());
  });

  it('never goes back to review once a version is released or rolled back', () => {
    for (const from of ['RELEASED', 'ROLLED_BACK'] as const) {
      for (const to of ['IN_REVIEW', 'APPROVED', 'UPLOADING', 'UPLOADED', 'RELEASING', 'GRAY'] as const) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('has ROLLED_BACK as its only terminal status: it can only fail, and nothing leads back into it but a rollback', () => {
    expect(TERMINAL_STATUSES).toEqual(['ROLLED_BACK']);
    expect(SUBMISSION_STATUSES.filter((from) => canTransition(from, 'ROLLED_BACK'))).toEqual(['RELEASED']);
  });
});
