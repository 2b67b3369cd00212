import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId, loadKeyRing } from './secret-keys.js';
import { Vault, VaultError } from './vault.js';

const hexKey = () => randomBytes(32).toString('hex');

describe('Vault', () => {
  it('opens what it sealed for the same row, and never shows the plaintext in the ciphertext', async () => {
    const vault = new Vault(await loadKeyRing({ SECRETS_KEY: hexKey(), DATA_DIR: '/nonexistent', NODE_ENV: 'test' }));
    const sealed = vault.sealJson({ refreshToken: 'very-secret-refresh' }, 'host_bindings:1:credentials');
    expect(sealed.ciphertext).not.toContain('very-secret');
    expect(sealed.keyId).toBe(vault.currentKeyId);
    expect(vault.openJson(sealed, 'host_bindings:1:credentials')).toEqual({ refreshToken: 'very-secret-refresh' });
    // Two seals of one value differ (fresh IV each time).
    expect(vault.seal('x', 'a').ciphertext).not.toBe(vault.seal('x', 'a').ciphertext);
  });

  it('refuses a ciphertext moved to another row or altered, without echoing anything secret', async () => {
    const vault = new Vault(await loadKeyRing({ SECRETS_KEY: hexKey(), DATA_DIR: '/nonexistent', NODE_ENV: 'test' }));
    const sealed = vault.seal('secret-value', 'host_bindings:1:credentials');
    expect(() => vault.open(sealed, 'host_bindings:2:credentials')).toThrow(VaultError);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => vault.open({ ...sealed, ciphertext: raw.toString('base64') }, 'host_bindings:1:credentials')).toThrow(/does not open/);
  });

  it('opens ciphertexts of a previous key and reseals them with the current one (rotation)', async () => {
    const oldKey = hexKey();
    const newKey = randomBytes(32).toString('base64');
    const before = new Vault(await loadKeyRing({ SECRETS_KEY: oldKey, DATA_DIR: '/x', NODE_ENV: 'test' }));
    const sealed = before.seal('token', 'host_tokens:k');
    const after = new Vault(await loadKeyRing({ SECRETS_KEY: newKey, SECRETS_KEY_PREVIOUS: oldKey, DATA_DIR: '/x', NODE_ENV: 'test' }));
    expect(after.open(sealed, 'host_tokens:k')).toBe('token');
    const resealed = after.reseal(sealed, 'host_tokens:k')!;
    expect(resealed.keyId).toBe(keyId(Buffer.from(newKey, 'base64')));
    expect(after.reseal(resealed, 'host_tokens:k')).toBeNull();
    const onlyNew = new Vault(await loadKeyRing({ SECRETS_KEY: newKey, DATA_DIR: '/x', NODE_ENV: 'test' }));
    expect(() => onlyNew.open(sealed, 'host_tokens:k')).toThrow(/SECRETS_KEY_PREVIOUS/);
    expect(onlyNew.open(resealed, 'host_tokens:k')).toBe('token');
  });

  it('makes a development key once in DATA_DIR (mode 600) and reads it back on the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-'));
    const first = await loadKeyRing({ DATA_DIR: dir, NODE_ENV: 'development' });
    const second = await loadKeyRing({ DATA_DIR: dir, NODE_ENV: 'development' });
    expect(first.development).toBe(true);
    expect(second.current.id).toBe(first.current.id);
    expect((await stat(join(dir, 'secrets.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'secrets.key'), 'utf8')).trim()).toHaveLength(44);
    await expect(loadKeyRing({ DATA_DIR: dir, NODE_ENV: 'production' })).rejects.toThrow('SECRETS_KEY is required');
  });

  it('gives processes that start at the same moment one development key, and leaves no draft behind', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = await mkdtemp(join(tmpdir(), 'vault-race-'));
      const rings = await Promise.all(Array.from({ length: 8 }, () => loadKeyRing({ DATA_DIR: dir, NODE_ENV: 'development' })));
      expect(new Set(rings.map((r) => r.current.id)).size).toBe(1);
      expect(await readdir(dir)).toEqual(['secrets.key']);
    }
  });
});
