import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// The sandbox's own WXBizMsgCrypt, written from shared/hosts/wechat.md §6 (never the adapter's code).

export function sandboxSha1Signature(values: string[]): string {
  const sorted = values.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const h = createHash('sha1');
  for (const v of sorted) h.update(v);
  return h.digest('hex');
}

function keyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  return key;
}

/** random(16) ‖ uint32 BE length ‖ message ‖ appid, PKCS#7 padded to 32-byte blocks, AES-256-CBC with IV = key[0..16). */
export function sandboxEncrypt(encodingAesKey: string, appId: string, message: string): string {
  const key = keyOf(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const head = Buffer.alloc(20);
  randomBytes(16).copy(head, 0);
  head.writeUInt32BE(body.length, 16);
  const raw = Buffer.concat([head, body, Buffer.from(appId, 'utf8')]);
  const padLength = 32 - (raw.length % 32);
  const padded = Buffer.concat([raw, Buffer.from(new Array<number>(padLength).fill(padLength))]);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(padded), c.final()]).toString('base64');
}

export function sandboxDecrypt(encodingAesKey: string, encrypted: string): { message: string; appId: string } {
  const key = keyOf(encodingAesKey);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
  const pad = plain[plain.length - 1];
  const unpadded = plain.subarray(0, plain.length - pad);
  const length = unpadded.readUInt32BE(16);
  return { message: unpadded.subarray(20, 20 + length).toString('utf8'), appId: unpadded.subarray(20 + length).toString('utf8') };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  return Array.from(randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join('');
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
