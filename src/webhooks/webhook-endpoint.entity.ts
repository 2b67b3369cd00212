import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Which events an endpoint receives; a list left out matches every value. */
export interface StoredEventFilter {
  hosts?: string[];
  types?: string[];
  miniProgramIds?: string[];
}

/**
 * A partner's or an organization's webhook endpoint (exactly one of the two owns it). The signing secret is sealed by the vault
 * (associated data `webhook_endpoints:<id>:secret`) and never leaves the gateway again after
 * the answer that created it.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('idx_webhook_endpoints_organization', ['organizationId'])
@Index('idx_webhook_endpoints_partner', ['partnerId'])
@Check('chk_webhook_endpoints_one_owner', '(organization_id IS NULL) <> (partner_id IS NULL)')
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The owning organization (it receives the events of its own mini-programs), or null for a partner's. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  /** The owning partner (it receives the events of the syndicated listings it may see), or null for an organization's. */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true })
  partnerId: string | null;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  filter: StoredEventFilter;

  @Column({ name: 'secret_ciphertext', type: 'text' })
  secretCiphertext: string;

  @Column({ name: 'secret_key_id', type: 'varchar', length: 64 })
  secretKeyId: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'disabled_at', type: 'timestamptz', precision: 3, nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  /** Failed attempts in a row across the endpoint's deliveries; a success resets it. */
  @Column({ name: 'consecutive_failures', type: 'int', default: 0 })
  consecutiveFailures: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
