import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { MiniProgramEntity } from '../catalog/mini-program.entity.js';
import { VersionEntity } from '../catalog/version.entity.js';

/** One publish request: a version to several hosts, with its options and idempotency key. */
@Entity({ name: 'publish_runs' })
@Unique('uq_publish_runs_org_idempotency', ['organizationId', 'idempotencyKey'])
@Index('idx_publish_runs_org_program_created', ['organizationId', 'miniProgramId', 'createdAt', 'id'])
export class PublishRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @ManyToOne(() => MiniProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mini_program_id' })
  miniProgram?: Relation<MiniProgramEntity>;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @ManyToOne(() => VersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id' })
  versionRow?: Relation<VersionEntity>;

  @Column({ type: 'text', array: true })
  hosts: string[];

  /** AUTO: released as soon as approved; MANUAL: waits for `release`. */
  @Column({ name: 'release_mode', type: 'varchar', length: 8 })
  releaseMode: string;

  @Column({ name: 'gray_percentage', type: 'integer', nullable: true })
  grayPercentage: number | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, nullable: true })
  idempotencyKey: string | null;

  /** sha256 of the request, to tell a replay from another request under the same key. */
  @Column({ name: 'request_fingerprint', type: 'varchar', length: 64 })
  requestFingerprint: string;

  @Column({ name: 'cancelled_at', type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
