import { randomBytes } from 'node:crypto';
import { decryptFramed, encryptFramed, sortedSha1 } from '../core/push-crypto.js';

// Baidu push encryption (alipay-baidu-bytedance.md B4): the shared push encryption in
// adapters/core with a 16-byte random prefix and a JSON message.
export { aesKeyFrom, pkcs7Pad, pkcs7Unpad, PushCryptoError as BaiduCryptoError, signatureMatches } from '../core/push-crypto.js';

const RANDOM_BYTES = 16;

/** The push envelope as POSTed (B4). */
export interface BaiduPushEnvelope {
  Nonce: string;
  TimeStamp: string;
  Encrypt: string;
  MsgSignature: string;
}

/** Lowercase hex sha1 of (token, TimeStamp, Nonce, Encrypt) sorted ordinally and concatenated (B4, BD-skit). */
export const baiduSignature = (token: string, timeStamp: string, nonce: string, encrypt: string): string => sortedSha1(token, timeStamp, nonce, encrypt);

/** Encrypts `message` for `appId`; `random16` is injectable only for fixed test vectors. */
export const encryptMessage = (encodingAesKey: string, appId: string, message: string, random16: Buffer = randomBytes(RANDOM_BYTES)): string =>
  encryptFramed(encodingAesKey, appId, message, random16);

/** Decrypts an `Encrypt` value into the JSON message and the app id that trails it. */
export const decryptMessage = (encodingAesKey: string, encrypted: string) => decryptFramed(encodingAesKey, encrypted, RANDOM_BYTES);

/** Builds a complete envelope (used by specs and tools; the sandbox has its own implementation). */
export function sealEnvelope(
  secrets: { token: string; encodingAesKey: string },
  appId: string,
  message: string,
  timeStamp: string,
  nonce: string,
): BaiduPushEnvelope {
  const Encrypt = encryptMessage(secrets.encodingAesKey, appId, message);
  return { Nonce: nonce, TimeStamp: timeStamp, Encrypt, MsgSignature: baiduSignature(secrets.token, timeStamp, nonce, Encrypt) };
}
