import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { OrganizationEntity } from '../auth/organization.entity.js';

export interface IconValue {
  url: string;
  sha256: string;
  width: number;
  height: number;
}

/** Fields a host override may replace; stored as `{ WECHAT: {...}, ... }`. */
export interface ListingFields {
  name?: string;
  shortName?: string | null;
  slogan?: string | null;
  description?: string;
  category?: string;
  keywords?: string[];
  icon?: IconValue | null;
  servicePhone?: string | null;
  serviceEmail?: string | null;
  privacyPolicyUrl?: string | null;
}

@Entity({ name: 'mini_programs' })
@Unique('uq_mini_programs_org_slug', ['organizationId', 'slug'])
@Index('idx_mini_programs_org_created', ['organizationId', 'createdAt', 'id'])
// The partner feed's order over what partners may see (src/feed/feed-scope.ts).
@Index('idx_mini_programs_syndicated_created', ['createdAt', 'id'], { where: 'syndicated AND archived_at IS NULL' })
export class MiniProgramEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<OrganizationEntity>;

  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ name: 'short_name', type: 'varchar', length: 30, nullable: true })
  shortName: string | null;

  @Column({ type: 'varchar', length: 60, nullable: true })
  slogan: string | null;

  @Column({ type: 'varchar', length: 1000 })
  description: string;

  @Column({ type: 'varchar', length: 64 })
  category: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  @Column({ type: 'jsonb', nullable: true })
  icon: IconValue | null;

  @Column({ name: 'service_phone', type: 'varchar', length: 30, nullable: true })
  servicePhone: string | null;

  @Column({ name: 'service_email', type: 'varchar', length: 254, nullable: true })
  serviceEmail: string | null;

  @Column({ name: 'privacy_policy_url', type: 'varchar', length: 2048, nullable: true })
  privacyPolicyUrl: string | null;

  @Column({ name: 'host_overrides', type: 'jsonb', default: () => "'{}'" })
  hostOverrides: Partial<Record<string, ListingFields>>;

  @Column({ type: 'boolean', default: false })
  syndicated: boolean;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'integer', default: 1 })
  revision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
