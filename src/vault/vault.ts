import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './secret-keys.js';

/** A sealed value as stored: the ciphertext (base64 of iv | tag | data) and the id of the key that sealed it. */
export interface Sealed {
  ciphertext: string;
  keyId: string;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM envelope for secrets at rest (node:crypto). The associated data names the row a
 * ciphertext belongs to (`host_bindings:<id>:credentials`), so a ciphertext copied into another
 * row does not open. Messages never carry the plaintext.
 */
export class Vault {
  constructor(private readonly keys: KeyRing) {}

  get currentKeyId(): string {
    return this.keys.current.id;
  }

  get usesDevelopmentKey(): boolean {
    return this.keys.development;
  }

  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.current.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64'), keyId: this.keys.current.id };
  }

  open(sealed: Sealed, aad: string): string {
    const key = this.keys.all.get(sealed.keyId);
    if (!key) throw new VaultError(`no configured secrets key has id ${sealed.keyId} (set it in SECRETS_KEY_PREVIOUS)`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new VaultError('ciphertext is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError('ciphertext does not open with its key for this row (altered, or copied from another row)');
    }
  }

  sealJson(value: unknown, aad: string): Sealed {
    return this.seal(JSON.stringify(value), aad);
  }

  openJson<T>(sealed: Sealed, aad: string): T {
    return JSON.parse(this.open(sealed, aad)) as T;
  }

  /** The same plaintext sealed again with the current key (rotation); unchanged when it already is. */
  reseal(sealed: Sealed, aad: string): Sealed | null {
    if (sealed.keyId === this.keys.current.id) return null;
    return this.seal(this.open(sealed, aad), aad);
  }
}
