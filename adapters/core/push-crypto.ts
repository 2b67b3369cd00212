import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

// The push encryption WeChat, Baidu and Douyin share (wechat.md §6; alipay-baidu-bytedance.md B4,
// C4): AES-256-CBC with IV = key[0:16], PKCS#7 padding to 32-byte blocks, and a plaintext of
// random prefix ‖ 4-byte big-endian length ‖ message ‖ app id. Hosts differ only in the length
// of the random prefix and in how they name and sign the envelope, which stays in their folder.
const BLOCK = 32; // PKCS#7 to 32-byte blocks, not AES's 16 (official samples: block_size = 32)

export class PushCryptoError extends Error {
  constructor(
    readonly reason: 'key' | 'decrypt' | 'app_id',
    detail: string,
  ) {
    super(detail);
    this.name = 'PushCryptoError';
  }
}

/** `EncodingAESKey` (43 letters or digits) -> the 32-byte AES key: base64 of the key plus "=". */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAesKey)) throw new PushCryptoError('key', 'EncodingAESKey must be 43 letters or digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** Lowercase hex sha1 of the parts sorted ordinally (UTF-16 code units, as `sort()` does) and joined. */
export function sortedSha1(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of two hex signatures, case-insensitive. */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1] : 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new PushCryptoError('decrypt', 'bad padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new PushCryptoError('decrypt', 'bad padding');
  return data.subarray(0, data.length - n);
}

/** Encrypts `message` for `appId` behind the given random prefix; base64 of the ciphertext. */
export function encryptFramed(encodingAesKey: string, appId: string, message: string, randomPrefix: Buffer): string {
  const key = aesKeyFrom(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = pkcs7Pad(Buffer.concat([randomPrefix, len, msg, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts an `Encrypt` value whose random prefix is `prefixBytes` long: the message and the app id after it. */
export function decryptFramed(encodingAesKey: string, encrypted: string, prefixBytes: number): { message: string; appId: string } {
  const key = aesKeyFrom(encodingAesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = pkcs7Unpad(Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]));
  } catch (err) {
    if (err instanceof PushCryptoError) throw err;
    throw new PushCryptoError('decrypt', 'ciphertext cannot be decrypted');
  }
  const head = prefixBytes + 4;
  if (plain.length < head) throw new PushCryptoError('decrypt', 'plaintext too short');
  const len = plain.readUInt32BE(prefixBytes);
  if (head + len > plain.length) throw new PushCryptoError('decrypt', 'length prefix beyond plaintext');
  return { message: plain.subarray(head, head + len).toString('utf8'), appId: plain.subarray(head + len).toString('utf8') };
}
