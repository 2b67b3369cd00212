import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePartners1796114914828 implements MigrationInterface {
  name = 'CreatePartners1796114914828';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "partners" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(120) NOT NULL, "disabled_at" TIMESTAMP(3) WITH TIME ZONE, "disabled_reason" character varying(500), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_998645b20820e4ab99aeae03b41" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_partners_created" ON "partners"  ("created_at", "id") ');
    await queryRunner.query(
      'CREATE TABLE "partner_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partner_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d28b4e8ed3e13c423798d2fd1a5" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "idx_partner_keys_partner" ON "partner_keys"  ("partner_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "uq_partner_keys_hash" ON "partner_keys"  ("key_hash") ');
    await queryRunner.query(
      'ALTER TABLE "partner_keys" ADD CONSTRAINT "FK_acac40139cb871faf5adeafe6ef" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "partner_keys" DROP CONSTRAINT "FK_acac40139cb871faf5adeafe6ef"');
    await queryRunner.query('DROP INDEX "public"."uq_partner_keys_hash"');
    await queryRunner.query('DROP INDEX "public"."idx_partner_keys_partner"');
    await queryRunner.query('DROP TABLE "partner_keys"');
    await queryRunner.query('DROP INDEX "public"."idx_partners_created"');
    await queryRunner.query('DROP TABLE "partners"');
  }
}
