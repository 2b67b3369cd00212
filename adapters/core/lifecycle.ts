// The normalized lifecycle of one version on one host (DESIGN.md, "Normalized lifecycle").
export const SUBMISSION_STATUSES = [
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
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

// One table decides which transitions are legal; everything else is refused.
const TRANSITIONS: Record<SubmissionStatus, readonly SubmissionStatus[]> = {
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

export function canTransition(from: SubmissionStatus, to: SubmissionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function nextStatuses(from: SubmissionStatus): readonly SubmissionStatus[] {
  return TRANSITIONS[from];
}

export const TERMINAL_STATUSES: readonly SubmissionStatus[] = ['ROLLED_BACK'];
