import { randomBytes } from 'node:crypto';
import { decryptFramed, encryptFramed, PushCryptoError, sortedSha1 } from '../core/push-crypto.js';

// WXBizMsgCrypt, the "safe mode" scheme of WeChat pushes (shared/hosts/wechat.md §6): the shared
// push encryption in adapters/core with a 16-byte random prefix.
export { aesKeyFrom, pkcs7Pad, pkcs7Unpad, PushCryptoError as WechatCryptoError } from '../core/push-crypto.js';

const RANDOM_PREFIX_BYTES = 16;

/** sha1 of the lexicographically sorted parts, lowercase hex (msg_signature with 4 parts). */
export const wechatSignature = (...parts: string[]): string => sortedSha1(...parts);

/** Encrypts `message` for `appId`; `random16` is injectable only so the published vectors can be replayed. */
export const encryptMessage = (encodingAesKey: string, appId: string, message: string, random16: Buffer = randomBytes(RANDOM_PREFIX_BYTES)): string =>
  encryptFramed(encodingAesKey, appId, message, random16);

/** Decrypts an `Encrypt` value; returns the message and the appid found after it. */
export const decryptMessage = (encodingAesKey: string, encrypted: string) => decryptFramed(encodingAesKey, encrypted, RANDOM_PREFIX_BYTES);

/** Decrypts and refuses a payload addressed to another appid (-40005 in the official samples). */
export function decryptFor(encodingAesKey: string, expectedAppId: string, encrypted: string): string {
  const { message, appId } = decryptMessage(encodingAesKey, encrypted);
  if (appId !== expectedAppId) throw new PushCryptoError('app_id', 'payload is addressed to another appid');
  return message;
}
