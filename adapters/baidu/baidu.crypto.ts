import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Baidu push encryption (alipay-baidu-bytedance.md B4): AES-256-CBC, IV = key[0:16], PKCS#7 to 32-byte blocks,
// plaintext = 16 random bytes ‖ 4-byte big-endian length ‖ JSON message ‖ app id.
const BLOCK = 32;
const RANDOM_BYTES = 16;

export class BaiduCryptoError extends Error {
  constructor(readonly reason: 'key' | 'decrypt', detail: string) {
    super(detail);
    this.name = 'BaiduCryptoError';
  }
}

/** The push envelope as POSTed (B4). */
export interface BaiduPushEnvelope {
  Nonce: string;
  TimeStamp: string;
  Encrypt: string;
  MsgSignature: string;
}

/** `EncodingAESKey` (43 chars) -> the 32-byte AES key: base64 of the key plus "=". */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAesKey)) throw new BaiduCryptoError('key', 'EncodingAESKey must be 43 letters or digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** Lowercase hex sha1 of (token, TimeStamp, Nonce, Encrypt) sorted ordinally and concatenated (B4, BD-skit). */
export function baiduSignature(token: string, timeStamp: string, nonce: string, encrypt: string): string {
  // Ordinal (UTF-16 code unit) order, which is what Array.prototype.sort does without a comparator.
  return createHash('sha1').update([token, timeStamp, nonce, encrypt].sort().join('')).digest('hex');
}

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
  if (n < 1 || n > BLOCK || n > data.length) throw new BaiduCryptoError('decrypt', 'bad padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new BaiduCryptoError('decrypt', 'bad padding');
  return data.subarray(0, data.length - n);
}

/** Encrypts `message` for `appId`; `random16` is injectable only for fixed test vectors. */
export function encryptMessage(encodingAesKey: string, appId: string, message: string, random16: Buffer = randomBytes(RANDOM_BYTES)): string {
  const key = aesKeyFrom(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = pkcs7Pad(Buffer.concat([random16, len, msg, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts an `Encrypt` value into the JSON message and the app id that trails it. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKeyFrom(encodingAesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = pkcs7Unpad(Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]));
  } catch (err) {
    if (err instanceof BaiduCryptoError) throw err;
    throw new BaiduCryptoError('decrypt', 'ciphertext cannot be decrypted');
  }
  const head = RANDOM_BYTES + 4;
  if (plain.length < head) throw new BaiduCryptoError('decrypt', 'plaintext too short');
  const len = plain.readUInt32BE(RANDOM_BYTES);
  if (head + len > plain.length) throw new BaiduCryptoError('decrypt', 'length prefix beyond plaintext');
  return { message: plain.subarray(head, head + len).toString('utf8'), appId: plain.subarray(head + len).toString('utf8') };
}

/** Builds a complete envelope (used by specs and tools; the sandbox has its own implementation). */
export function sealEnvelope(secrets: { token: string; encodingAesKey: string }, appId: string, message: string, timeStamp: string, nonce: string): BaiduPushEnvelope {
  const Encrypt = encryptMessage(secrets.encodingAesKey, appId, message);
  return { Nonce: nonce, TimeStamp: timeStamp, Encrypt, MsgSignature: baiduSignature(secrets.token, timeStamp, nonce, Encrypt) };
}
