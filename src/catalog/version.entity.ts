import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { MiniProgramEntity } from './mini-program.entity.js';

export type ArtifactValue =
  | { kind: 'PACKAGE'; url: string; sha256: string; sizeBytes: number }
  | { kind: 'TEMPLATE'; templateId: string; extJson: Record<string, unknown>; hostTemplateIds: Partial<Record<string, string>> };

@Entity({ name: 'versions' })
@Unique('uq_versions_program_version', ['miniProgramId', 'version'])
@Index('idx_versions_org_program_created', ['organizationId', 'miniProgramId', 'createdAt', 'id'])
export class VersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @ManyToOne(() => MiniProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mini_program_id' })
  miniProgram?: Relation<MiniProgramEntity>;

  @Column({ type: 'varchar', length: 64 })
  version: string;

  @Column({ type: 'jsonb' })
  artifact: ArtifactValue;

  @Column({ name: 'release_notes', type: 'varchar', length: 2000 })
  releaseNotes: string;

  /** Set when a publish first uses the version; from then on it cannot change. */
  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
