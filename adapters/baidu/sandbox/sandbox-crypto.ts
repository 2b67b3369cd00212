import { createCipheriv, createHash, randomBytes, randomInt } from 'node:crypto';

// The sandbox's own implementation of the documented push scheme (alipay-baidu-bytedance.md B4),
// written separately from the adapter's so that each checks the other.

export function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function randomDigits(length: number): string {
  return `${randomInt(1, 10)}${Array.from({ length: length - 1 }, () => randomInt(10)).join('')}`;
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/** sha1 (lowercase hex) over token, TimeStamp, Nonce and Encrypt in ordinal order, joined. */
export function pushSignature(parts: [string, string, string, string]): string {
  const sorted = [...parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha1').update(sorted.join(''), 'utf8').digest('hex');
}

/** AES-256-CBC over 16 random bytes ‖ BE length ‖ message ‖ app id, PKCS#7 to 32-byte blocks, base64. */
export function pushEncrypt(encodingAesKey: string, appId: string, message: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.from([(body.length >>> 24) & 0xff, (body.length >>> 16) & 0xff, (body.length >>> 8) & 0xff, body.length & 0xff]);
  const unpadded = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')]);
  const pad = 32 - (unpadded.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}
