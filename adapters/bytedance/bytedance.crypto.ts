import { randomBytes } from 'node:crypto';
import { decryptFramed, encryptFramed, PushCryptoError, sortedSha1 } from '../core/push-crypto.js';

// Douyin push encryption (alipay-baidu-bytedance.md C4, DY-enc + DY-skit DyMsgCryptor): the
// shared push encryption in adapters/core with a longer random prefix.
export { aesKeyFrom, pkcs7Pad, pkcs7Unpad, PushCryptoError as BytedanceCryptoError } from '../core/push-crypto.js';

// C4: 32 random bytes before the length (Baidu and WeChat use 16): DY-skit, confirmed by the official
// 2019 ByteDance PHP and Go demos (shared/hosts "Confirmed later").
export const RANDOM_PREFIX_BYTES = 32;

/** MsgSignature: lowercase hex sha1 of token, TimeStamp, Nonce and Encrypt sorted ordinally and concatenated. */
export const bytedanceSignature = (token: string, timestamp: string, nonce: string, encrypt: string): string => sortedSha1(token, timestamp, nonce, encrypt);

/** random ‖ 4-byte BE length ‖ message ‖ app id, padded and AES-256-CBC encrypted (IV = key[0:16]), base64. */
export function encryptMessage(encodingAesKey: string, appId: string, message: string, random: Buffer = randomBytes(RANDOM_PREFIX_BYTES)): string {
  if (random.length !== RANDOM_PREFIX_BYTES) throw new PushCryptoError('key', `random prefix must be ${RANDOM_PREFIX_BYTES} bytes`);
  return encryptFramed(encodingAesKey, appId, message, random);
}

/** Decrypts an `Encrypt` value; returns the message and the app id found after it. */
export const decryptMessage = (encodingAesKey: string, encrypted: string) => decryptFramed(encodingAesKey, encrypted, RANDOM_PREFIX_BYTES);
