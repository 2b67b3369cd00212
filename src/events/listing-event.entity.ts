import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change to a listing, append-only, written in the same transaction as the change it
 * records. The feed's order is (txId, seq); `txId` is the writing transaction's id, raised to the
 * latest txId of the same mini-program's events when that is higher (EventsService.append), so a
 * reader can stop below the oldest transaction still in flight and never miss a late commit, and
 * one mini-program's events keep the order in which they were made.
 */
@Entity({ name: 'listing_events' })
@Index('idx_listing_events_program_seq', ['miniProgramId', 'seq'])
@Index('idx_listing_events_submission_seq', ['submissionId', 'seq'])
// The order of the feed's `changes`: by writing transaction, then sequence (src/feed/changes.ts).
@Index('idx_listing_events_tx_seq', ['txId', 'seq'])
// The latest tx_id of a mini-program's events, read by every append (EventsService.append).
@Index('idx_listing_events_program_tx', ['miniProgramId', 'txId'])
export class ListingEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'mini_program_id', type: 'uuid' })
  miniProgramId: string;

  @Column({ name: 'binding_id', type: 'uuid', nullable: true })
  bindingId: string | null;

  @Column({ name: 'submission_id', type: 'uuid', nullable: true })
  submissionId: string | null;

  @Column({ type: 'varchar', length: 16 })
  host: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ name: 'from_stage', type: 'varchar', length: 16, nullable: true })
  fromStage: string | null;

  @Column({ name: 'to_stage', type: 'varchar', length: 16, nullable: true })
  toStage: string | null;

  @Column({ name: 'native_status', type: 'varchar', length: 64, nullable: true })
  nativeStatus: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  evidence: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /**
   * pg_current_xact_id() of the writing transaction as a bigint (TypeORM has no xid8 type;
   * `listing_tx_id()` casts it), or the mini-program's latest txId when higher (see APPEND_EVENTS).
   */
  @Column({ name: 'tx_id', type: 'bigint', default: () => 'listing_tx_id()', select: false })
  txId: string;
}
