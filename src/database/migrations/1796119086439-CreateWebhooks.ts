import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1796119086439 implements MigrationInterface {
  name = 'CreateWebhooks1796119086439';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "webhook_endpoints" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid, "partner_id" uuid, "url" character varying(2048) NOT NULL, "description" character varying(200), "filter" jsonb NOT NULL DEFAULT \'{}\', "secret_ciphertext" text NOT NULL, "secret_key_id" character varying(64) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_at" TIMESTAMP(3) WITH TIME ZONE, "disabled_reason" text, "consecutive_failures" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "chk_webhook_endpoints_one_owner" CHECK ((organization_id IS NULL) <> (partner_id IS NULL)), CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_webhook_endpoints_partner" ON "webhook_endpoints"  ("partner_id") ');
    await queryRunner.query('CREATE INDEX "idx_webhook_endpoints_organization" ON "webhook_endpoints"  ("organization_id") ');
    await queryRunner.query(
      'CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "endpoint_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "event_seq" bigint NOT NULL, "event_tx_id" bigint NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT \'PENDING\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "first_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "last_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "response_code" integer, "latency_ms" integer, "last_error" text, "redelivery_of" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_webhook_deliveries_log" ON "webhook_deliveries"  ("endpoint_id", "created_at", "id") ');
    await queryRunner.query(
      'CREATE INDEX "idx_webhook_deliveries_listing_order" ON "webhook_deliveries"  ("endpoint_id", "mini_program_id", "event_tx_id", "event_seq") ',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"');
    await queryRunner.query('DROP INDEX "public"."idx_webhook_deliveries_listing_order"');
    await queryRunner.query('DROP INDEX "public"."idx_webhook_deliveries_log"');
    await queryRunner.query('DROP TABLE "webhook_deliveries"');
    await queryRunner.query('DROP INDEX "public"."idx_webhook_endpoints_organization"');
    await queryRunner.query('DROP INDEX "public"."idx_webhook_endpoints_partner"');
    await queryRunner.query('DROP TABLE "webhook_endpoints"');
  }
}
