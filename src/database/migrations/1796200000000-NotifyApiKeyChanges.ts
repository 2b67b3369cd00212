import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every revocation, deletion (an organization deleted takes its keys) or change of what a key may
 * do sends the `gw_api_key_revoked` notification in the writing transaction, whoever writes it: the
 * API, an operator's SQL, a cascade. Each gateway instance then drops the key from its cache.
 * A use being recorded (`last_used_at`) is not a change of the key and sends nothing.
 */
export class NotifyApiKeyChanges1796200000000 implements MigrationInterface {
  name = 'NotifyApiKeyChanges1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION notify_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gw_api_key_revoked', json_build_object('keyId', OLD.id)::text);
  RETURN NULL;
END
$$`);
    await queryRunner.query(`CREATE TRIGGER api_keys_changed_notify AFTER UPDATE ON api_keys FOR EACH ROW
WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.scopes IS DISTINCT FROM NEW.scopes
      OR OLD.key_hash IS DISTINCT FROM NEW.key_hash OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
EXECUTE FUNCTION notify_api_key_changed()`);
    await queryRunner.query('CREATE TRIGGER api_keys_deleted_notify AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION notify_api_key_changed()');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER api_keys_deleted_notify ON api_keys');
    await queryRunner.query('DROP TRIGGER api_keys_changed_notify ON api_keys');
    await queryRunner.query('DROP FUNCTION notify_api_key_changed()');
  }
}
