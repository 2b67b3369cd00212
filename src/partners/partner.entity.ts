import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

/**
 * A partner platform (app store, aggregator, analytics vendor) that reads the feed of
 * syndicated listings across organizations. It owns no catalog rows; the operator creates it
 * and its keys, and disabling it refuses every one of its keys at once.
 */
@Entity({ name: 'partners' })
@Index('idx_partners_created', ['createdAt', 'id'])
export class PartnerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ name: 'disabled_at', type: 'timestamptz', precision: 3, nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true })
  disabledReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

// Only the sha256 of a key is stored; the plain key is shown once, when it is created.
@Entity({ name: 'partner_keys' })
export class PartnerKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('idx_partner_keys_partner')
  @Column({ name: 'partner_id', type: 'uuid' })
  partnerId: string;

  @ManyToOne(() => PartnerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partner_id' })
  partner?: Relation<PartnerEntity>;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** The visible start of the key, e.g. `mpp_3f9a1c2b`. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Index('uq_partner_keys_hash', { unique: true })
  @Column({ name: 'key_hash', type: 'char', length: 64 })
  keyHash: string;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
