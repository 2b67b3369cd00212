import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTenantsAndCatalog1795513431984 implements MigrationInterface {
  name = 'CreateTenantsAndCatalog1795513431984';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "organizations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b031fcd0863e3f6b44230163f9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_api_keys_organization" ON "api_keys"  ("organization_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_api_keys_hash" ON "api_keys"  ("key_hash") ');
    await queryRunner.query(
      'CREATE TABLE "mini_programs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "slug" character varying(64) NOT NULL, "name" character varying(60) NOT NULL, "short_name" character varying(30), "slogan" character varying(60), "description" character varying(1000) NOT NULL, "category" character varying(64) NOT NULL, "keywords" text array NOT NULL DEFAULT \'{}\', "icon" jsonb, "service_phone" character varying(30), "service_email" character varying(254), "privacy_policy_url" character varying(2048), "host_overrides" jsonb NOT NULL DEFAULT \'{}\', "syndicated" boolean NOT NULL DEFAULT false, "archived_at" TIMESTAMP WITH TIME ZONE, "revision" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_mini_programs_org_slug" UNIQUE ("organization_id", "slug"), CONSTRAINT "PK_124017b3f6e0a135d4197637ee7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_mini_programs_org_created" ON "mini_programs"  ("organization_id", "created_at", "id") ');
    await queryRunner.query(
      'CREATE TABLE "versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "mini_program_id" uuid NOT NULL, "version" character varying(64) NOT NULL, "artifact" jsonb NOT NULL, "release_notes" character varying(2000) NOT NULL, "locked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_versions_program_version" UNIQUE ("mini_program_id", "version"), CONSTRAINT "PK_921e9a820c96cc2cd7d4b3a107b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_versions_org_program_created" ON "versions"  ("organization_id", "mini_program_id", "created_at", "id") ');
    await queryRunner.query(
      'ALTER TABLE "api_keys" ADD CONSTRAINT "FK_a283bdef18876e525aefaec042f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "mini_programs" ADD CONSTRAINT "FK_8c830df002c216ea1cb9085dac7" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "versions" ADD CONSTRAINT "FK_45013397c86b33bf9f5879f1446" FOREIGN KEY ("mini_program_id") REFERENCES "mini_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "versions" DROP CONSTRAINT "FK_45013397c86b33bf9f5879f1446"');
    await queryRunner.query('ALTER TABLE "mini_programs" DROP CONSTRAINT "FK_8c830df002c216ea1cb9085dac7"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP CONSTRAINT "FK_a283bdef18876e525aefaec042f"');
    await queryRunner.query('DROP INDEX "public"."idx_versions_org_program_created"');
    await queryRunner.query('DROP TABLE "versions"');
    await queryRunner.query('DROP INDEX "public"."idx_mini_programs_org_created"');
    await queryRunner.query('DROP TABLE "mini_programs"');
    await queryRunner.query('DROP INDEX "public"."uq_api_keys_hash"');
    await queryRunner.query('DROP INDEX "public"."idx_api_keys_organization"');
    await queryRunner.query('DROP TABLE "api_keys"');
    await queryRunner.query('DROP TABLE "organizations"');
  }
}
