import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// WXBizMsgCrypt, the "safe mode" scheme of WeChat pushes (shared/hosts/wechat.md §6).
const BLOCK = 32; // PKCS#7 to 32-byte blocks, not AES's 16 (§6: official PHP sample block_size = 32)

export class WechatCryptoError extends Error {
  constructor(readonly reason: 'key' | 'decrypt' | 'app_id', detail: string) {
    super(detail);
    this.name = 'WechatCryptoError';
  }
}

/** `EncodingAESKey` (43 chars) -> the 32-byte AES key. */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAesKey)) throw new WechatCryptoError('key', 'EncodingAESKey must be 43 letters or digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** sha1 of the lexicographically sorted parts, lowercase hex (msg_signature with 4 parts). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

export function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1] : 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new WechatCryptoError('decrypt', 'bad padding');
  return data.subarray(0, data.length - n);
}

/** Encrypts `message` for `appId`; `random16` is injectable only so the published vectors can be replayed. */
export function encryptMessage(encodingAesKey: string, appId: string, message: string, random16: Buffer = randomBytes(16)): string {
  const key = aesKeyFrom(encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = pkcs7Pad(Buffer.concat([random16, len, msg, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts an `Encrypt` value; returns the message and the appid found after it. */
export function decryptMessage(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = aesKeyFrom(encodingAesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = pkcs7Unpad(Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]));
  } catch (err) {
    if (err instanceof WechatCryptoError) throw err;
    throw new WechatCryptoError('decrypt', 'ciphertext cannot be decrypted');
  }
  if (plain.length < 20) throw new WechatCryptoError('decrypt', 'plaintext too short');
  const len = plain.readUInt32BE(16);
  if (20 + len > plain.length) throw new WechatCryptoError('decrypt', 'length prefix beyond plaintext');
  return { message: plain.subarray(20, 20 + len).toString('utf8'), appId: plain.subarray(20 + len).toString('utf8') };
}

/** Decrypts and refuses a payload addressed to another appid (-40005 in the official samples). */
export function decryptFor(encodingAesKey: string, expectedAppId: string, encrypted: string): string {
  const { message, appId } = decryptMessage(encodingAesKey, encrypted);
  if (appId !== expectedAppId) throw new WechatCryptoError('app_id', 'payload is addressed to another appid');
  return message;
}
