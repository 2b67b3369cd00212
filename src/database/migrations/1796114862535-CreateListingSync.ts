import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateListingSync1796114862535 implements MigrationInterface {
  name = 'CreateListingSync1796114862535';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "basic_info_quota_uses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "binding_id" uuid NOT NULL, "field" character varying(16) NOT NULL, "window" character varying(16) NOT NULL, "window_key" character varying(16) NOT NULL, "used" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_basic_info_quota_uses_binding_field_window" UNIQUE ("binding_id", "field", "window_key"), CONSTRAINT "PK_31b355968e1c9ab4c65b162e6e3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "listing_sync_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "hosts" text array NOT NULL, "fields" text array NOT NULL, "idempotency_key" character varying(128) NOT NULL, "request_fingerprint" character varying(64) NOT NULL, "program_revision" integer NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_listing_sync_runs_org_idempotency" UNIQUE ("organization_id", "idempotency_key"), CONSTRAINT "PK_75084b58d54db2bacc0cf2b5eea" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_listing_sync_runs_org_program_created" ON "listing_sync_runs"  ("organization_id", "mini_program_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "listing_sync_steps" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "run_id" uuid NOT NULL, "binding_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "host" character varying(16) NOT NULL, "field" character varying(16) NOT NULL, "state" character varying(16) NOT NULL, "target" jsonb NOT NULL, "intent" jsonb, "review_id" character varying(128), "review_reason" text, "native_status" character varying(64), "evidence" jsonb NOT NULL DEFAULT \'{}\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "poll_interval_ms" integer, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c4cec56806c2ccd393e72994554" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_listing_sync_steps_due" ON "listing_sync_steps"  ("next_attempt_at") WHERE next_attempt_at IS NOT NULL');
    await queryRunner.query('CREATE INDEX "idx_listing_sync_steps_binding_field" ON "listing_sync_steps"  ("binding_id", "field", "state") ');
    await queryRunner.query('CREATE INDEX "idx_listing_sync_steps_run" ON "listing_sync_steps"  ("run_id", "host", "field") ');
    await queryRunner.query('ALTER TABLE "host_bindings" ADD "basic_info_expected" jsonb');
    await queryRunner.query('ALTER TABLE "host_bindings" ADD "basic_info_drift" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "host_bindings" ADD "basic_info_drift_detail" jsonb');
    await queryRunner.query('ALTER TABLE "host_bindings" ADD "basic_info_synced_at" TIMESTAMP(3) WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "basic_info_quota_uses" ADD CONSTRAINT "FK_d1a447d6f94ff39131a3e59df87" FOREIGN KEY ("binding_id") REFERENCES "host_bindings"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_sync_runs" ADD CONSTRAINT "FK_46de92d3b1fef26c4d7ee195c38" FOREIGN KEY ("mini_program_id") REFERENCES "mini_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_sync_steps" ADD CONSTRAINT "FK_61a579bffc2501b7db59ec6beef" FOREIGN KEY ("run_id") REFERENCES "listing_sync_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "listing_sync_steps" ADD CONSTRAINT "FK_f6b1db3dccfa76f53208126f0e1" FOREIGN KEY ("binding_id") REFERENCES "host_bindings"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "listing_sync_steps" DROP CONSTRAINT "FK_f6b1db3dccfa76f53208126f0e1"');
    await queryRunner.query('ALTER TABLE "listing_sync_steps" DROP CONSTRAINT "FK_61a579bffc2501b7db59ec6beef"');
    await queryRunner.query('ALTER TABLE "listing_sync_runs" DROP CONSTRAINT "FK_46de92d3b1fef26c4d7ee195c38"');
    await queryRunner.query('ALTER TABLE "basic_info_quota_uses" DROP CONSTRAINT "FK_d1a447d6f94ff39131a3e59df87"');
    await queryRunner.query('ALTER TABLE "host_bindings" DROP COLUMN "basic_info_synced_at"');
    await queryRunner.query('ALTER TABLE "host_bindings" DROP COLUMN "basic_info_drift_detail"');
    await queryRunner.query('ALTER TABLE "host_bindings" DROP COLUMN "basic_info_drift"');
    await queryRunner.query('ALTER TABLE "host_bindings" DROP COLUMN "basic_info_expected"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_sync_steps_run"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_sync_steps_binding_field"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_sync_steps_due"');
    await queryRunner.query('DROP TABLE "listing_sync_steps"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_sync_runs_org_program_created"');
    await queryRunner.query('DROP TABLE "listing_sync_runs"');
    await queryRunner.query('DROP TABLE "basic_info_quota_uses"');
  }
}
