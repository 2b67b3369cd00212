import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePublishing1796101699087 implements MigrationInterface {
  name = 'CreatePublishing1796101699087';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The writing transaction's id as a bigint: the default of listing_events.tx_id (xid8 has no TypeORM type).
    await queryRunner.query("CREATE FUNCTION listing_tx_id() RETURNS bigint LANGUAGE sql VOLATILE AS 'SELECT (pg_current_xact_id())::text::bigint'");
    // Counters of rate-limiter-flexible (host call rates shared by every process); not an entity.
    await queryRunner.query(
      'CREATE TABLE "host_call_rates" ("key" character varying(255) NOT NULL PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)',
    );
    await queryRunner.query(
      'CREATE TABLE "listing_events" ("seq" BIGSERIAL NOT NULL, "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "binding_id" uuid, "submission_id" uuid, "host" character varying(16) NOT NULL, "type" character varying(32) NOT NULL, "from_stage" character varying(16), "to_stage" character varying(16), "native_status" character varying(64), "evidence" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "tx_id" bigint NOT NULL DEFAULT listing_tx_id(), CONSTRAINT "PK_2112806918d0bad3573b6946465" PRIMARY KEY ("seq"))',
    );
    await queryRunner.query('CREATE INDEX "idx_listing_events_submission_seq" ON "listing_events"  ("submission_id", "seq") ');
    await queryRunner.query('CREATE INDEX "idx_listing_events_program_seq" ON "listing_events"  ("mini_program_id", "seq") ');
    await queryRunner.query(
      'CREATE TABLE "publish_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "version_id" uuid NOT NULL, "hosts" text array NOT NULL, "release_mode" character varying(8) NOT NULL, "gray_percentage" integer, "idempotency_key" character varying(128), "request_fingerprint" character varying(64) NOT NULL, "cancelled_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_publish_runs_org_idempotency" UNIQUE ("organization_id", "idempotency_key"), CONSTRAINT "PK_a26e7d1e942ff33c7d0d75928a8" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_publish_runs_org_program_created" ON "publish_runs"  ("organization_id", "mini_program_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "submissions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "run_id" uuid NOT NULL, "binding_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "version_id" uuid NOT NULL, "version" character varying(64) NOT NULL, "host" character varying(16) NOT NULL, "stage" character varying(16) NOT NULL, "host_ref" jsonb, "native_status" character varying(64), "evidence" jsonb NOT NULL DEFAULT \'{}\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE, "poll_interval_ms" integer, "release_mode" character varying(8) NOT NULL, "gray_percentage" integer, "auto_released" boolean NOT NULL DEFAULT false, "pending_action" jsonb, "intent" jsonb, "review_started_at" TIMESTAMP(3) WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_10b3be95b8b2fb1e482e07d706b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_submissions_due" ON "submissions"  ("next_attempt_at") WHERE next_attempt_at IS NOT NULL');
    await queryRunner.query('CREATE INDEX "idx_submissions_binding_created" ON "submissions"  ("binding_id", "created_at") ');
    await queryRunner.query('CREATE INDEX "idx_submissions_run" ON "submissions"  ("run_id", "host") ');
    await queryRunner.query(
      'ALTER TABLE "publish_runs" ADD CONSTRAINT "FK_99f6ad1a620296ab95751f83358" FOREIGN KEY ("mini_program_id") REFERENCES "mini_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "publish_runs" ADD CONSTRAINT "FK_56eb05c9d33b398e8833715067f" FOREIGN KEY ("version_id") REFERENCES "versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "submissions" ADD CONSTRAINT "FK_d350affd72c28ebda872d0b215c" FOREIGN KEY ("run_id") REFERENCES "publish_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "submissions" ADD CONSTRAINT "FK_67ad0f6a16d0bda5cd032b4d459" FOREIGN KEY ("binding_id") REFERENCES "host_bindings"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "submissions" DROP CONSTRAINT "FK_67ad0f6a16d0bda5cd032b4d459"');
    await queryRunner.query('ALTER TABLE "submissions" DROP CONSTRAINT "FK_d350affd72c28ebda872d0b215c"');
    await queryRunner.query('ALTER TABLE "publish_runs" DROP CONSTRAINT "FK_56eb05c9d33b398e8833715067f"');
    await queryRunner.query('ALTER TABLE "publish_runs" DROP CONSTRAINT "FK_99f6ad1a620296ab95751f83358"');
    await queryRunner.query('DROP INDEX "public"."idx_submissions_run"');
    await queryRunner.query('DROP INDEX "public"."idx_submissions_binding_created"');
    await queryRunner.query('DROP INDEX "public"."idx_submissions_due"');
    await queryRunner.query('DROP TABLE "submissions"');
    await queryRunner.query('DROP INDEX "public"."idx_publish_runs_org_program_created"');
    await queryRunner.query('DROP TABLE "publish_runs"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_events_program_seq"');
    await queryRunner.query('DROP INDEX "public"."idx_listing_events_submission_seq"');
    await queryRunner.query('DROP TABLE "listing_events"');
    await queryRunner.query('DROP TABLE "host_call_rates"');
    await queryRunner.query('DROP FUNCTION listing_tx_id()');
  }
}
