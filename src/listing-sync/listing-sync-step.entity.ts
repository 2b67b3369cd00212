import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { BasicInfoField } from '../../adapters/core/index.js';
import type { BindingError } from '../hosts/host-binding.entity.js';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';
import { ListingSyncRunEntity } from './listing-sync-run.entity.js';

/** PENDING -> APPLYING (intent) -> APPLIED | IN_REVIEW -> APPLIED | REJECTED; any -> FAILED. */
export const FIELD_STATES = ['PENDING', 'APPLYING', 'IN_REVIEW', 'APPLIED', 'REJECTED', 'FAILED'] as const;
export type FieldSyncState = (typeof FIELD_STATES)[number];
export const OPEN_FIELD_STATES: readonly FieldSyncState[] = ['PENDING', 'APPLYING', 'IN_REVIEW'];

/** The value a step sets, as planned from the definition (the icon by URL and sha256; its bytes are fetched when applied). */
export type FieldTarget =
  | { field: 'name' | 'shortName' | 'slogan' | 'description' | 'category'; value: string }
  | { field: 'icon'; url: string; sha256: string }
  | { field: 'serviceContact'; phone: string | null; email: string | null };

/**
 * Committed before `applyBasicInfo`, cleared with its outcome. Found still set, the outcome is
 * unknown: the host is read back (value, pending review, icon fingerprint) before the call is repeated.
 */
export interface FieldIntent {
  attempt: number;
  startedAt: string;
  /** The host's icon fingerprint before the call (an icon change shows only as a new URL). */
  iconBefore: string | null;
}

export interface FieldEvidence {
  /** The host's answers (never our request, never icon bytes). */
  response?: unknown;
  lastError?: BindingError | null;
  /** How the icon was prepared for this host (fetched type, converted type, bytes). */
  icon?: { fetchedType: string; uploadedType: string; bytes: number; converted: boolean };
  note?: string | null;
  /** The host's answer about the review, when it ended. */
  review?: unknown;
}

/** One basic-info field on one host, driven by the listing workers. */
@Entity({ name: 'listing_sync_steps' })
@Index('idx_listing_sync_steps_run', ['runId', 'host', 'field'])
@Index('idx_listing_sync_steps_binding_field', ['bindingId', 'field', 'state'])
@Index('idx_listing_sync_steps_due', ['nextAttemptAt'], { where: 'next_attempt_at IS NOT NULL' })
export class ListingSyncStepEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId: string;

  @ManyToOne(() => ListingSyncRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: Relation<ListingSyncRunEntity>;

  @Column({ name: 'binding_id', type: 'uuid' })
  bindingId: string;

  @ManyToOne(() => HostBindingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'binding_id' })
  binding?: Relation<HostBindingEntity>;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @Column({ type: 'varchar', length: 16 })
  host: string;

  @Column({ type: 'varchar', length: 16 })
  field: BasicInfoField;

  @Column({ type: 'varchar', length: 16 })
  state: FieldSyncState;

  @Column({ type: 'jsonb' })
  target: FieldTarget;

  @Column({ type: 'jsonb', nullable: true })
  intent: FieldIntent | null;

  /** The host's id of the review (WeChat name audit_id), when it gave one. */
  @Column({ name: 'review_id', type: 'varchar', length: 128, nullable: true })
  reviewId: string | null;

  @Column({ name: 'review_reason', type: 'text', nullable: true })
  reviewReason: string | null;

  @Column({ name: 'native_status', type: 'varchar', length: 64, nullable: true })
  nativeStatus: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  evidence: FieldEvidence;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'poll_interval_ms', type: 'integer', nullable: true })
  pollIntervalMs: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
