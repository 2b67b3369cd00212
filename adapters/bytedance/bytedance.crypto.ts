import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Douyin push encryption (alipay-baidu-bytedance.md C4, DY-enc + DY-skit DyMsgCryptor).
const BLOCK = 32; // PKCS#7 to 32-byte blocks, not AES's 16
// C4 UNCONFIRMED: the SDK puts 32 random bytes before the length (Baidu and WeChat use 16). Change here only.
export const RANDOM_PREFIX_BYTES = 32;

export class BytedanceCryptoError extends Error {
  constructor(readonly reason: 'key' | 'decrypt', detail: string) {
    super(detail);
    this.name = 'BytedanceCryptoError';
  }
}

/** `EncodingAESKey` (43 chars) -> the 32-byte AES key. */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAesKey)) throw new BytedanceCryptoError('key', 'EncodingAESKey must be 43 letters or digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** MsgSignature: lowercase hex sha1 of token, TimeStamp, Nonce and Encrypt sorted ordinally and concatenated. */
export function bytedanceSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  // Ordinal (code unit) order, which is what Array.prototype.sort does for strings.
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1] : 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new BytedanceCryptoError('decrypt', 'bad padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new BytedanceCryptoError('decrypt', 'bad padding');
  return data.subarray(0, data.length - n);
}

/** random ‖ 4-byte BE length ‖ message ‖ app id, padded and AES-256-CBC encrypted (IV = key[0:16]), base64. */
export function encryptMessage(encodingAesKey: string, appId: string, message: string, random: Buffer = randomBytes(RANDOM_PREFIX_BYTES)): string {
  if (random.length !== RANDOM_PREFIX_BYTES) throw new BytedanceCryptoError('key', `random prefix must be ${RANDOM_PREFIX_BYTES} bytes`);
  const key = aesKeyFrom(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const plain = pkcs7Pad(Buffer.concat([random, len, msg, Buffer.from(appId, 'utf8')]));
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts an `Encrypt` value; returns the message and the app id found after it. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKeyFrom(encodingAesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = pkcs7Unpad(Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]));
  } catch (err) {
    if (err instanceof BytedanceCryptoError) throw err;
    throw new BytedanceCryptoError('decrypt', 'ciphertext cannot be decrypted');
  }
  const head = RANDOM_PREFIX_BYTES + 4;
  if (plain.length < head) throw new BytedanceCryptoError('decrypt', 'plaintext too short');
  const len = plain.readUInt32BE(RANDOM_PREFIX_BYTES);
  if (head + len > plain.length) throw new BytedanceCryptoError('decrypt', 'length prefix beyond plaintext');
  return { message: plain.subarray(head, head + len).toString('utf8'), appId: plain.subarray(head + len).toString('utf8') };
}
