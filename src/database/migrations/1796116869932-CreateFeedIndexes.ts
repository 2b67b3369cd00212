import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFeedIndexes1796116869932 implements MigrationInterface {
  name = 'CreateFeedIndexes1796116869932';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "idx_mini_programs_syndicated_created" ON "mini_programs"  ("created_at", "id") WHERE syndicated AND archived_at IS NULL',
    );
    await queryRunner.query('CREATE INDEX "idx_listing_events_tx_seq" ON "listing_events"  ("tx_id", "seq") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_listing_events_tx_seq"');
    await queryRunner.query('DROP INDEX "public"."idx_mini_programs_syndicated_created"');
  }
}
