import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Host tokens shared by every gateway instance and worker (access tokens, rotated single-use
 * refresh tokens, pushed tickets). Keys are built by the adapters (`baidu:refresh:<tp>:<app>`);
 * values are sealed by the vault with the key as associated data.
 */
@Entity({ name: 'host_tokens' })
export class HostTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'text' })
  ciphertext: string;

  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId: string;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/**
 * A lease on a token key while one process renews it. A lease, not a held connection: renewals
 * nest (an app token needs the platform token) and a row lock held across host calls could
 * exhaust the pool. The holder extends it while it works; a killed holder's lease runs out.
 */
@Entity({ name: 'host_token_locks' })
export class HostTokenLockEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'uuid' })
  owner: string;

  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3 })
  lockedUntil: Date;
}
