import { canTransition, HostError, type SubmissionStatus } from '../../adapters/core/index.js';
import type { EntityManager } from 'typeorm';
import type { EventsService, ListingEventType } from '../events/events.service.js';
import type { BindingError } from '../hosts/host-binding.entity.js';
import { SubmissionEntity } from './submission.entity.js';

/** A transition the table refuses: a bug in the gateway, never a user error. */
export class IllegalTransitionError extends Error {
  constructor(from: SubmissionStatus, to: SubmissionStatus, id: string) {
    super(`illegal transition ${from} -> ${to} for submission ${id}`);
    this.name = 'IllegalTransitionError';
  }
}

/** Stages in which the gateway (or the host's review) still has work to do. */
export const ACTIVE_STAGES: readonly SubmissionStatus[] = ['PENDING', 'UPLOADING', 'UPLOADED', 'IN_REVIEW', 'APPROVED', 'RELEASING'];

/** Stages a publish of another version on the same binding waits for (the host allows one version in flight). */
export function blocksNewPublish(s: SubmissionEntity): boolean {
  return ACTIVE_STAGES.includes(s.stage) && !(s.stage === 'APPROVED' && s.releaseMode === 'MANUAL');
}

/** A failure as evidence: the host's native code, message and request id; never our request. */
export function failureOf(err: unknown, operation: string, at: Date = new Date()): BindingError {
  if (err instanceof HostError) {
    return {
      kind: err.kind,
      nativeCode: err.nativeCode,
      nativeMessage: err.nativeMessage,
      requestId: err.requestId,
      operation: err.operation ?? operation,
      at: at.toISOString(),
    };
  }
  const e = err as Error;
  return {
    kind: 'internal',
    nativeCode: null,
    nativeMessage: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
    requestId: null,
    operation,
    at: at.toISOString(),
  };
}

/**
 * Moves a submission along the lifecycle: the transition table in adapters/core/lifecycle.ts is
 * the only judge, and each applied transition writes its ListingEvent with the same manager
 * (the same transaction).
 */
export async function transition(
  events: EventsService,
  manager: EntityManager,
  sub: SubmissionEntity,
  to: SubmissionStatus,
  details: { nativeStatus?: string | null; evidence?: Record<string, unknown> } = {},
): Promise<void> {
  const from = sub.stage;
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, sub.id);
  sub.stage = to;
  if (details.nativeStatus !== undefined) sub.nativeStatus = details.nativeStatus;
  await events.append(manager, {
    organizationId: sub.organizationId,
    miniProgramId: sub.miniProgramId,
    bindingId: sub.bindingId,
    submissionId: sub.id,
    host: sub.host,
    type: 'STAGE_CHANGED',
    fromStage: from,
    toStage: to,
    nativeStatus: details.nativeStatus ?? sub.nativeStatus,
    evidence: { version: sub.version, ...(details.evidence ?? {}) },
  });
}

/** A non-stage event about a submission (action requested or failed, speed-up ...). */
export async function note(
  events: EventsService,
  manager: EntityManager,
  sub: SubmissionEntity,
  type: ListingEventType,
  evidence: Record<string, unknown>,
): Promise<void> {
  await events.append(manager, {
    organizationId: sub.organizationId,
    miniProgramId: sub.miniProgramId,
    bindingId: sub.bindingId,
    submissionId: sub.id,
    host: sub.host,
    type,
    fromStage: sub.stage,
    toStage: sub.stage,
    nativeStatus: sub.nativeStatus,
    evidence: { version: sub.version, ...evidence },
  });
}

/** Writes every mutable field of a submission (inside the caller's transaction). */
export async function persist(manager: EntityManager, sub: SubmissionEntity): Promise<void> {
  await manager.getRepository(SubmissionEntity).update(sub.id, {
    stage: sub.stage,
    hostRef: sub.hostRef,
    nativeStatus: sub.nativeStatus,
    evidence: sub.evidence,
    attempts: sub.attempts,
    nextAttemptAt: sub.nextAttemptAt,
    pollIntervalMs: sub.pollIntervalMs,
    autoReleased: sub.autoReleased,
    pendingAction: sub.pendingAction,
    intent: sub.intent,
    reviewStartedAt: sub.reviewStartedAt,
  });
}
