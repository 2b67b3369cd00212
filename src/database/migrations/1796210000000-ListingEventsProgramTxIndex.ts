import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The latest ordering transaction id of a mini-program's events, read by every append (EventsService). */
export class ListingEventsProgramTxIndex1796210000000 implements MigrationInterface {
  name = 'ListingEventsProgramTxIndex1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "idx_listing_events_program_tx" ON "listing_events"  ("mini_program_id", "tx_id") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_listing_events_program_tx"');
  }
}
