import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { loadKeyRing } from './secret-keys.js';
import { Vault } from './vault.js';

// `npm run secrets:rotate`: re-encrypts every stored secret with SECRETS_KEY. Run it after moving
// the old key to SECRETS_KEY_PREVIOUS; once it reports nothing left, the old key can go.
// Each row is re-sealed under its own row lock, so running gateways keep working meanwhile.
async function main(): Promise<void> {
  const config = loadConfig();
  const vault = new Vault(await loadKeyRing(config));
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, (m) => console.log(m));
  const db = new DataSource(dataSourceOptions(config.DATABASE_URL ?? embedded!.url, 2, false));
  await db.initialize();
  try {
    let bindings = 0;
    let tokens = 0;
    const bindingIds: Array<{ id: string }> = await db.query('SELECT id FROM host_bindings WHERE credentials_key_id IS NOT NULL AND credentials_key_id <> $1', [
      vault.currentKeyId,
    ]);
    for (const { id } of bindingIds) {
      await db.transaction(async (m) => {
        const rows: Array<{ credentials_ciphertext: string | null; credentials_key_id: string | null }> = await m.query(
          'SELECT credentials_ciphertext, credentials_key_id FROM host_bindings WHERE id = $1 FOR UPDATE',
          [id],
        );
        const row = rows[0];
        if (!row?.credentials_ciphertext || !row.credentials_key_id) return;
        const next = vault.reseal({ ciphertext: row.credentials_ciphertext, keyId: row.credentials_key_id }, `host_bindings:${id}:credentials`);
        if (!next) return;
        await m.query('UPDATE host_bindings SET credentials_ciphertext = $2, credentials_key_id = $3 WHERE id = $1', [id, next.ciphertext, next.keyId]);
        bindings++;
      });
    }
    const tokenKeys: Array<{ key: string }> = await db.query('SELECT key FROM host_tokens WHERE key_id <> $1', [vault.currentKeyId]);
    for (const { key } of tokenKeys) {
      await db.transaction(async (m) => {
        const rows: Array<{ ciphertext: string; key_id: string }> = await m.query('SELECT ciphertext, key_id FROM host_tokens WHERE key = $1 FOR UPDATE', [
          key,
        ]);
        const row = rows[0];
        if (!row) return;
        const next = vault.reseal({ ciphertext: row.ciphertext, keyId: row.key_id }, `host_tokens:${key}`);
        if (!next) return;
        await m.query('UPDATE host_tokens SET ciphertext = $2, key_id = $3 WHERE key = $1', [key, next.ciphertext, next.keyId]);
        tokens++;
      });
    }
    let webhooks = 0;
    const endpointIds: Array<{ id: string }> = await db.query('SELECT id FROM webhook_endpoints WHERE secret_key_id <> $1', [vault.currentKeyId]);
    for (const { id } of endpointIds) {
      await db.transaction(async (m) => {
        const rows: Array<{ secret_ciphertext: string; secret_key_id: string }> = await m.query(
          'SELECT secret_ciphertext, secret_key_id FROM webhook_endpoints WHERE id = $1 FOR UPDATE',
          [id],
        );
        const row = rows[0];
        if (!row) return;
        // The same associated data as src/webhooks/webhooks.service.ts (secretAad).
        const next = vault.reseal({ ciphertext: row.secret_ciphertext, keyId: row.secret_key_id }, `webhook_endpoints:${id}:secret`);
        if (!next) return;
        await m.query('UPDATE webhook_endpoints SET secret_ciphertext = $2, secret_key_id = $3 WHERE id = $1', [id, next.ciphertext, next.keyId]);
        webhooks++;
      });
    }
    const [left] = await db.query<Array<{ n: string }>>(
      `SELECT (SELECT count(*) FROM host_bindings WHERE credentials_key_id IS NOT NULL AND credentials_key_id <> $1)
            + (SELECT count(*) FROM host_tokens WHERE key_id <> $1)
            + (SELECT count(*) FROM webhook_endpoints WHERE secret_key_id <> $1) AS n`,
      [vault.currentKeyId],
    );
    console.log(
      `re-encrypted ${bindings} binding credentials, ${tokens} host tokens and ${webhooks} webhook secrets with key ${vault.currentKeyId}; ${left.n} rows still use another key`,
    );
  } finally {
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
