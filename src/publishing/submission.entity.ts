import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { HostVersionRef, SubmissionStatus } from '../../adapters/core/index.js';
import type { BindingError } from '../hosts/host-binding.entity.js';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';
import { PublishRunEntity } from './publish-run.entity.js';

/** A host operation the worker runs for the user (release, rollback ...), checked when asked and again when run. */
export type SubmissionAction =
  | { op: 'release'; grayPercentage: number | null }
  | { op: 'cancelGray' }
  | { op: 'rollback' }
  | { op: 'withdraw' }
  | { op: 'speedUp' }
  | { op: 'resubmit' }
  | { op: 'restart' }
  | { op: 'cancel' };

/** The host calls that change state on the host; each is announced by an intent before it is made. */
export type HostOperation = 'upload' | 'submit' | 'release' | 'cancelGray' | 'rollback' | 'withdraw' | 'speedUp';

/**
 * Committed before a host call that changes state, cleared with its outcome. Found still set, it
 * means the outcome is unknown (a crash, a timeout, a reset after the host acted): the host is
 * read before anything is repeated.
 */
export interface SubmissionIntent {
  op: HostOperation;
  attempt: number;
  startedAt: string;
  grayPercentage?: number | null;
  /** Stage when the intent was written; the outcome is applied from there. */
  fromStage: SubmissionStatus;
  /** Whether the call answered the user's request (pending action) rather than the pipeline. */
  requested: boolean;
}

export interface SubmissionEvidence {
  rejectionReason?: string | null;
  screenshots?: string[];
  delayed?: boolean;
  lastError?: BindingError | null;
  /** What the worker last did about a requested action that could not run (stage changed meanwhile). */
  note?: string | null;
}

/** One version on one host, driven through the normalized lifecycle by the workers. */
@Entity({ name: 'submissions' })
@Index('idx_submissions_run', ['runId', 'host'])
@Index('idx_submissions_binding_created', ['bindingId', 'createdAt'])
@Index('idx_submissions_due', ['nextAttemptAt'], { where: 'next_attempt_at IS NOT NULL' })
export class SubmissionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @ManyToOne(() => PublishRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<PublishRunEntity>;

  @Column({ name: 'binding_id', type: 'uuid' })
  bindingId: string;

  @ManyToOne(() => HostBindingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'binding_id' })
  binding?: Relation<HostBindingEntity>;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  /** The semantic version, as the host sees it. */
  @Column({ type: 'varchar', length: 64 })
  version: string;

  @Column({ type: 'varchar', length: 16 })
  host: string;

  @Column({ type: 'varchar', length: 16 })
  stage: SubmissionStatus;

  @Column({ name: 'host_ref', type: 'jsonb', nullable: true })
  hostRef: HostVersionRef | null;

  @Column({ name: 'native_status', type: 'varchar', length: 64, nullable: true })
  nativeStatus: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  evidence: SubmissionEvidence;

  /** Failed tries of the current step (reset when a step succeeds). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When the worker looks at it next; null when it waits for the user. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  /** Current polling interval while waiting on the host (doubles while nothing changes). */
  @Column({ name: 'poll_interval_ms', type: 'integer', nullable: true })
  pollIntervalMs: number | null;

  @Column({ name: 'release_mode', type: 'varchar', length: 8 })
  releaseMode: string;

  /** Gray percentage of the automatic release (AUTO runs only). */
  @Column({ name: 'gray_percentage', type: 'integer', nullable: true })
  grayPercentage: number | null;

  /** True once the automatic release was made (a later manual one does not repeat it). */
  @Column({ name: 'auto_released', type: 'boolean', default: false })
  autoReleased: boolean;

  @Column({ name: 'pending_action', type: 'jsonb', nullable: true })
  pendingAction: SubmissionAction | null;

  @Column({ type: 'jsonb', nullable: true })
  intent: SubmissionIntent | null;

  @Column({ name: 'review_started_at', type: 'timestamptz', precision: 3, nullable: true })
  reviewStartedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
