import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHostCallbacksInbox1796103187290 implements MigrationInterface {
  name = 'CreateHostCallbacksInbox1796103187290';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "host_callbacks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "host" character varying(16) NOT NULL, "dedupe_key" character varying(255) NOT NULL, "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "delivery_count" integer NOT NULL DEFAULT \'1\', "raw" jsonb NOT NULL, "events" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'stored\', "applied_at" TIMESTAMP(3) WITH TIME ZONE, "outcome" text, CONSTRAINT "uq_host_callbacks_host_dedupe" UNIQUE ("host", "dedupe_key"), CONSTRAINT "PK_a283fe8c5fda36f854b5a518cff" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_host_callbacks_status_received" ON "host_callbacks"  ("status", "received_at") ');
    await queryRunner.query(
      'CREATE TABLE "host_callback_rejections" ("host" character varying(16) NOT NULL, "reason" character varying(32) NOT NULL, "count" bigint NOT NULL DEFAULT \'0\', "last_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b9bbdc82d7341aa625913f15323" PRIMARY KEY ("host", "reason"))',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "host_callback_rejections"');
    await queryRunner.query('DROP INDEX "public"."idx_host_callbacks_status_received"');
    await queryRunner.query('DROP TABLE "host_callbacks"');
  }
}
