import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A push as received, without anything secret in its headers. */
export interface StoredRawCallback {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/**
 * The inbox: every verified push a host sent, stored raw before it is acknowledged, once per
 * (host, dedupe key) however often the host delivers it, then applied by a worker.
 */
@Entity({ name: 'host_callbacks' })
@Unique('uq_host_callbacks_host_dedupe', ['host', 'dedupeKey'])
@Index('idx_host_callbacks_status_received', ['status', 'receivedAt'])
export class HostCallbackEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  host: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 255 })
  dedupeKey: string;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  receivedAt: Date;

  /** Deliveries of this push (the host retries, or sends it twice). */
  @Column({ name: 'delivery_count', type: 'integer', default: 1 })
  deliveryCount: number;

  @Column({ type: 'jsonb' })
  raw: StoredRawCallback;

  /** The normalized events the adapter read from the push (credentials in it redacted). */
  @Column({ type: 'jsonb' })
  events: Array<Record<string, unknown>>;

  /** stored (not applied yet), applied, ignored (nothing it names is waiting for it). */
  @Column({ type: 'varchar', length: 16, default: 'stored' })
  status: string;

  @Column({ name: 'applied_at', type: 'timestamptz', precision: 3, nullable: true })
  appliedAt: Date | null;

  /** What applying it did or why it changed nothing. */
  @Column({ type: 'text', nullable: true })
  outcome: string | null;
}

/** Pushes refused because they could not be verified (signature, app id, envelope), counted per host and reason. */
@Entity({ name: 'host_callback_rejections' })
export class HostCallbackRejectionEntity {
  @Column({ type: 'varchar', length: 16, primary: true })
  host: string;

  @Column({ type: 'varchar', length: 32, primary: true })
  reason: string;

  @Column({ type: 'bigint', default: 0 })
  count: string;

  @Column({ name: 'last_at', type: 'timestamptz', precision: 3 })
  lastAt: Date;
}
