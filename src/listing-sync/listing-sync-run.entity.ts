import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { MiniProgramEntity } from '../catalog/mini-program.entity.js';

/** One listing sync request: some basic-info fields of a definition to several hosts, with its idempotency key. */
@Entity({ name: 'listing_sync_runs' })
@Unique('uq_listing_sync_runs_org_idempotency', ['organizationId', 'idempotencyKey'])
@Index('idx_listing_sync_runs_org_program_created', ['organizationId', 'miniProgramId', 'createdAt', 'id'])
export class ListingSyncRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @ManyToOne(() => MiniProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mini_program_id' })
  miniProgram?: Relation<MiniProgramEntity>;

  @Column({ type: 'text', array: true })
  hosts: string[];

  /** Basic-info fields asked for (`name`, `icon` ...). */
  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey: string;

  /** sha256 of the request, to tell a replay from another request under the same key. */
  @Column({ name: 'request_fingerprint', type: 'varchar', length: 64 })
  requestFingerprint: string;

  /** The definition's revision the run was planned from. */
  @Column({ name: 'program_revision', type: 'integer' })
  programRevision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
