import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';

/** One 32-byte key and its id: the id is stored beside every ciphertext the key wrote. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/** A 32-byte key given as base64 (44 characters) or hex (64). */
export function parseKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('a secrets key must be 32 bytes');
  return key;
}

/** A short, stable fingerprint of a key; it names the key and reveals nothing usable about it. */
export function keyId(key: Buffer): string {
  return `k${createHash('sha256').update('mp-gateway secrets key id\n').update(key).digest('hex').slice(0, 12)}`;
}

export interface KeyRing {
  current: SecretKey;
  /** Every key that may have written a stored ciphertext, the current one included. */
  all: ReadonlyMap<string, SecretKey>;
  /** True when the key was made for development and kept in DATA_DIR (no SECRETS_KEY set). */
  development: boolean;
}

/**
 * The keys of this process: SECRETS_KEY (current) and SECRETS_KEY_PREVIOUS. Outside production,
 * with no SECRETS_KEY, a development key is made once and kept in DATA_DIR/secrets.key (mode 600),
 * so restarts can still open what earlier runs stored. Production requires SECRETS_KEY (config).
 */
export async function loadKeyRing(config: Pick<GatewayConfig, 'SECRETS_KEY' | 'SECRETS_KEY_PREVIOUS' | 'DATA_DIR' | 'NODE_ENV'>): Promise<KeyRing> {
  let development = false;
  let currentKey: Buffer;
  if (config.SECRETS_KEY) currentKey = parseKey(config.SECRETS_KEY);
  else {
    if (config.NODE_ENV === 'production') throw new Error('SECRETS_KEY is required in production');
    currentKey = await developmentKey(config.DATA_DIR);
    development = true;
  }
  const current = { id: keyId(currentKey), key: currentKey };
  const all = new Map<string, SecretKey>([[current.id, current]]);
  for (const text of (config.SECRETS_KEY_PREVIOUS ?? '').split(',').filter((t) => t !== '')) {
    const key = parseKey(text);
    all.set(keyId(key), { id: keyId(key), key });
  }
  return { current, all, development };
}

async function developmentKey(dataDir: string): Promise<Buffer> {
  const dir = resolve(dataDir);
  const file = join(dir, 'secrets.key');
  try {
    return parseKey((await readFile(file, 'utf8')).trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true });
  const key = randomBytes(32);
  // Written whole under a name of its own, then linked into place: a process starting at the
  // same moment sees no file or the whole key, never an empty one. A link that finds the file
  // there already (EEXIST) means another process won: its key is read back.
  const draft = join(dir, `secrets.key.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(draft, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, file);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parseKey((await readFile(file, 'utf8')).trim());
  } finally {
    await unlink(draft);
  }
}
