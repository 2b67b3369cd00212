import { canTransition, SUBMISSION_STATUSES } from './lifecycle.js';

describe('normalized lifecycle', () => {
  it('follows the happy path from PENDING to RELEASED and ROLLED_BACK', () => {
    const path = ['PENDING', 'UPLOADING', 'UPLOADED', 'IN_REVIEW', 'APPROVED', 'RELEASING', 'GRAY', 'RELEASED', 'ROLLED_BACK'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true);
  });

  it('refuses releasing what was never approved', () => {
    expect(canTransition('IN_REVIEW', 'RELEASED')).toBe(false);
    expect(canTransition('UPLOADED', 'GRAY')).toBe(false);
    expect(canTransition('REJECTED', 'RELEASED')).toBe(false);
  });

  it('lets a rejected or withdrawn version go back to review', () => {
    expect(canTransition('REJECTED', 'IN_REVIEW')).toBe(true);
    expect(canTransition('WITHDRAWN', 'IN_REVIEW')).toBe(true);
  });

  it('lets any non-final state fail, and nothing leaves ROLLED_BACK but FAILED', () => {
    for (const s of SUBMISSION_STATUSES) if (s !== 'FAILED') expect(canTransition(s, 'FAILED')).toBe(true);
    expect(SUBMISSION_STATUSES.filter((s) => canTransition('ROLLED_BACK', s))).toEqual(['FAILED']);
  });
});
