import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { MiniProgramEntity } from '../catalog/mini-program.entity.js';

/** The last host failure a binding saw (native evidence, never our request). */
export interface BindingError {
  kind: string;
  nativeCode: string | null;
  nativeMessage: string;
  requestId: string | null;
  operation: string | null;
  at: string;
}

/** What a read-back of the host showed when it differed from what the gateway expects. */
export interface DriftDetail {
  expected: { liveVersion: string | null; grayVersion: string | null; grayPercentage: number | null };
  actual: { liveVersion: string | null; grayVersion: string | null; grayPercentage: number | null; visibility: string };
}

/**
 * The basic info the gateway expects on the host: per field, the value it last set there (or
 * adopted from a read-back right after its own change: the icon is known by the host's URL only).
 */
export interface BasicInfoExpectation {
  name?: string;
  shortName?: string;
  slogan?: string;
  description?: string;
  /** sha256 of the icon the gateway uploaded, and the fingerprint the host showed for it (null until read back). */
  icon?: { sha256: string; fingerprint: string | null };
  /** Canonical category code set, and the host's category ids read back for it (null until read back). */
  category?: { code: string; hostIds: string[][] | null };
  serviceContact?: { phone: string | null; email: string | null };
}

/** Basic-info fields whose host value differs from what the gateway set there. */
export interface BasicInfoDriftDetail {
  fields: Array<{ field: string; expected: string | null; actual: string | null }>;
}

/**
 * A mini-program on one host: the host app id, its credentials (sealed by the vault; the key id
 * beside them), and the host-side picture the gateway keeps in sync. One active binding per
 * (mini-program, host) and per (host, host app id) across all organizations, because pushes are
 * routed by host app id.
 */
@Entity({ name: 'host_bindings' })
@Index('uq_host_bindings_program_host', ['miniProgramId', 'host'], { unique: true, where: 'disconnected_at IS NULL' })
@Index('uq_host_bindings_host_app', ['host', 'hostAppId'], { unique: true, where: 'disconnected_at IS NULL' })
@Index('idx_host_bindings_org_program_created', ['organizationId', 'miniProgramId', 'createdAt', 'id'])
export class HostBindingEntity {
  // Chosen before insert: the id is part of the credentials' associated data.
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @ManyToOne(() => MiniProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mini_program_id' })
  miniProgram?: Relation<MiniProgramEntity>;

  @Column({ type: 'varchar', length: 16 })
  host: string;

  @Column({ name: 'host_app_id', type: 'varchar', length: 128 })
  hostAppId: string;

  /** Null once disconnected: the credentials are wiped, not kept. */
  @Column({ name: 'credentials_ciphertext', type: 'text', nullable: true })
  credentialsCiphertext: string | null;

  @Column({ name: 'credentials_key_id', type: 'varchar', length: 32, nullable: true })
  credentialsKeyId: string | null;

  @Column({ name: 'live_version', type: 'varchar', length: 64, nullable: true })
  liveVersion: string | null;

  /** The version live before the current one, which a rollback brings back. */
  @Column({ name: 'previous_live_version', type: 'varchar', length: 64, nullable: true })
  previousLiveVersion: string | null;

  @Column({ name: 'gray_version', type: 'varchar', length: 64, nullable: true })
  grayVersion: string | null;

  @Column({ name: 'gray_percentage', type: 'integer', nullable: true })
  grayPercentage: number | null;

  @Column({ type: 'varchar', length: 16, default: 'UNKNOWN' })
  visibility: string;

  @Column({ name: 'last_synced_at', type: 'timestamptz', precision: 3, nullable: true })
  lastSyncedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  drift: boolean;

  @Column({ name: 'drift_detail', type: 'jsonb', nullable: true })
  driftDetail: DriftDetail | null;

  /** Until then a mismatch after our own release, gray change or rollback is the host still applying it. */
  @Column({ name: 'settle_until', type: 'timestamptz', precision: 3, nullable: true })
  settleUntil: Date | null;

  /** Basic info the gateway set on the host (listing sync); null before its first change there. */
  @Column({ name: 'basic_info_expected', type: 'jsonb', nullable: true })
  basicInfoExpected: BasicInfoExpectation | null;

  @Column({ name: 'basic_info_drift', type: 'boolean', default: false })
  basicInfoDrift: boolean;

  @Column({ name: 'basic_info_drift_detail', type: 'jsonb', nullable: true })
  basicInfoDriftDetail: BasicInfoDriftDetail | null;

  @Column({ name: 'basic_info_synced_at', type: 'timestamptz', precision: 3, nullable: true })
  basicInfoSyncedAt: Date | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError: BindingError | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'disconnected_at', type: 'timestamptz', precision: 3, nullable: true })
  disconnectedAt: Date | null;
}
