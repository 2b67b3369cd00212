import { canTransition, HostError, type SubmissionStatus } from '../../adapters/core/index.js';
import type { EntityManager } from 'typeorm';
import type { ListingEventType, NewListingEvent } from '../events/events.service.js';
import type { BindingError } from '../hosts/host-binding.entity.js';
import type { SubmissionEntity } from './submission.entity.js';

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

/** Where a transition's event goes: appended at once (EventsService), or held to be written with the row (StepRunner). */
export interface EventSink {
  append(manager: EntityManager, event: NewListingEvent): Promise<unknown>;
}

/**
 * Moves a submission along the lifecycle: the transition table in adapters/core/lifecycle.ts is
 * the only judge, and each applied transition writes its ListingEvent with the same manager
 * (the same transaction).
 */
export async function transition(
  events: EventSink,
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
  events: EventSink,
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

/** Every column of a submission (alias `s`) under its entity property name: a raw row reads as a SubmissionEntity. */
export const SUBMISSION_COLUMNS = `s.id, s.organization_id AS "organizationId", s.run_id AS "runId", s.binding_id AS "bindingId",
  s.mini_program_id AS "miniProgramId", s.version_id AS "versionId", s.version, s.host, s.stage, s.host_ref AS "hostRef",
  s.native_status AS "nativeStatus", s.evidence, s.attempts, s.next_attempt_at AS "nextAttemptAt", s.poll_interval_ms AS "pollIntervalMs",
  s.release_mode AS "releaseMode", s.gray_percentage AS "grayPercentage", s.auto_released AS "autoReleased",
  s.pending_action AS "pendingAction", s.intent, s.review_started_at AS "reviewStartedAt", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

/** The text of persistStatement, built once per first parameter number (it runs on every step). */
const persistTexts = new Map<number, string>();
function persistSql(first: number): string {
  let sql = persistTexts.get(first);
  if (sql === undefined) {
    const $ = (i: number) => `$${first + i - 1}`;
    sql = `UPDATE submissions SET stage = ${$(2)}, host_ref = ${$(3)}, native_status = ${$(4)}, evidence = ${$(5)}, attempts = ${$(6)},
       next_attempt_at = ${$(7)}, poll_interval_ms = ${$(8)}, auto_released = ${$(9)}, pending_action = ${$(10)}, intent = ${$(11)},
       review_started_at = ${$(12)}, updated_at = now()
     WHERE id = ${$(1)}`;
    persistTexts.set(first, sql);
  }
  return sql;
}

const jsonb = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * The UPDATE that writes every mutable field of a submission, its parameters numbered from
 * $`first` (so it can run inside a larger statement).
 */
export function persistStatement(sub: SubmissionEntity, first = 1): { sql: string; values: unknown[] } {
  return {
    sql: persistSql(first),
    values: [
      sub.id,
      sub.stage,
      jsonb(sub.hostRef),
      sub.nativeStatus,
      jsonb(sub.evidence ?? {}),
      sub.attempts,
      sub.nextAttemptAt,
      sub.pollIntervalMs,
      sub.autoReleased,
      jsonb(sub.pendingAction),
      jsonb(sub.intent),
      sub.reviewStartedAt,
    ],
  };
}

/** Writes every mutable field of a submission (inside the caller's transaction): one plain UPDATE, no entity mapping. */
export async function persist(manager: EntityManager, sub: SubmissionEntity): Promise<void> {
  const { sql, values } = persistStatement(sub);
  await manager.query(sql, values);
}
