import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';

/**
 * Changes the gateway made per binding, field and quota window (China-time calendar period, or
 * `total` for windows only the host knows), counted when the host accepted the change. The plan
 * compares them with the adapter's declared quota and with what the host reports.
 */
@Entity({ name: 'basic_info_quota_uses' })
@Unique('uq_basic_info_quota_uses_binding_field_window', ['bindingId', 'field', 'windowKey'])
export class BasicInfoQuotaUseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'binding_id', type: 'uuid' })
  bindingId: string;

  @ManyToOne(() => HostBindingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'binding_id' })
  binding?: Relation<HostBindingEntity>;

  @Column({ type: 'varchar', length: 16 })
  field: string;

  /** DAY, MONTH, YEAR or HOST_REPORTED. */
  @Column({ type: 'varchar', length: 16 })
  window: string;

  /** `2026-12` (MONTH), `2026` (YEAR), `2026-12-01` (DAY), `total` (HOST_REPORTED). */
  @Column({ name: 'window_key', type: 'varchar', length: 16 })
  windowKey: string;

  @Column({ type: 'integer', default: 0 })
  used: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
