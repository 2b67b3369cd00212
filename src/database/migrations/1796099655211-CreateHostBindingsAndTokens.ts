import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHostBindingsAndTokens1796099655211 implements MigrationInterface {
  name = 'CreateHostBindingsAndTokens1796099655211';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "host_bindings" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "host" character varying(16) NOT NULL, "host_app_id" character varying(128) NOT NULL, "credentials_ciphertext" text, "credentials_key_id" character varying(32), "live_version" character varying(64), "previous_live_version" character varying(64), "gray_version" character varying(64), "gray_percentage" integer, "visibility" character varying(16) NOT NULL DEFAULT \'UNKNOWN\', "last_synced_at" TIMESTAMP(3) WITH TIME ZONE, "drift" boolean NOT NULL DEFAULT false, "drift_detail" jsonb, "settle_until" TIMESTAMP(3) WITH TIME ZONE, "last_error" jsonb, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "disconnected_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "PK_3bd94c8eb121aa697dff0564be2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_host_bindings_org_program_created" ON "host_bindings"  ("organization_id", "mini_program_id", "created_at", "id") ',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "uq_host_bindings_host_app" ON "host_bindings"  ("host", "host_app_id") WHERE disconnected_at IS NULL');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "uq_host_bindings_program_host" ON "host_bindings"  ("mini_program_id", "host") WHERE disconnected_at IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "host_tokens" ("key" character varying(255) NOT NULL, "ciphertext" text NOT NULL, "key_id" character varying(32) NOT NULL, "expires_at" TIMESTAMP(3) WITH TIME ZONE, "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_39e3eeedaf8e58551e908104510" PRIMARY KEY ("key"))',
    );
    await queryRunner.query(
      'CREATE TABLE "host_token_locks" ("key" character varying(255) NOT NULL, "owner" uuid NOT NULL, "locked_until" TIMESTAMP(3) WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d6579671146b06788a902dd013a" PRIMARY KEY ("key"))',
    );
    await queryRunner.query(
      'ALTER TABLE "host_bindings" ADD CONSTRAINT "FK_a959d434150f17141a2f637c4fd" FOREIGN KEY ("mini_program_id") REFERENCES "mini_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "host_bindings" DROP CONSTRAINT "FK_a959d434150f17141a2f637c4fd"');
    await queryRunner.query('DROP TABLE "host_token_locks"');
    await queryRunner.query('DROP TABLE "host_tokens"');
    await queryRunner.query('DROP INDEX "public"."uq_host_bindings_program_host"');
    await queryRunner.query('DROP INDEX "public"."uq_host_bindings_host_app"');
    await queryRunner.query('DROP INDEX "public"."idx_host_bindings_org_program_created"');
    await queryRunner.query('DROP TABLE "host_bindings"');
  }
}
