import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// The sandbox's own implementation of the documented push scheme (alipay-baidu-bytedance.md C4),
// written apart from the adapter's so each checks the other.
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  return Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
}

export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

/** sha1 hex of the values sorted by code unit and joined. */
export function sandboxSignature(values: string[]): string {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha1').update(sorted.join(''), 'utf8').digest('hex');
}

/** 32 random bytes, BE length, message, app id; PKCS#7 to 32; AES-256-CBC with IV = first 16 key bytes. */
export function sandboxEncrypt(encodingAesKey: string, appId: string, message: string): string {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  const body = Buffer.from(message, 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length, 0);
  const raw = Buffer.concat([randomBytes(32), size, body, Buffer.from(appId, 'utf8')]);
  const pad = 32 - (raw.length % 32);
  const padded = Buffer.concat([raw, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}
