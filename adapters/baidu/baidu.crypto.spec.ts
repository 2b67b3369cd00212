import { createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  aesKeyFrom,
  baiduSignature,
  BaiduCryptoError,
  decryptMessage,
  encryptMessage,
  pkcs7Pad,
  pkcs7Unpad,
  sealEnvelope,
  signatureMatches,
} from './baidu.crypto.js';
import { pushEncrypt, pushSignature } from './sandbox/sandbox-crypto.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const OTHER_KEY = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
const MESSAGE = JSON.stringify({ appId: '16118475', tpAppId: '90000001', event: 'PACKAGE_AUDIT_PASS', packageId: 123, packageVersion: '1.0.0' });

describe('Baidu push crypto (B4)', () => {
  it('round-trips a message and returns the trailing app id', () => {
    const encrypted = encryptMessage(KEY, '90000001', MESSAGE);
    expect(decryptMessage(KEY, encrypted)).toEqual({ message: MESSAGE, appId: '90000001' });
  });

  it('lays out 16 random bytes, a big-endian length, the message and the app id', () => {
    const random = Buffer.alloc(16, 7);
    const encrypted = encryptMessage(KEY, 'tp1', 'hi', random);
    // Decrypt by hand with padding removal off, to read the raw layout.
    const key = aesKeyFrom(KEY);
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
    expect(plain.subarray(0, 16)).toEqual(random);
    expect(plain.readUInt32BE(16)).toBe(2);
    expect(plain.subarray(20, 25).toString()).toBe('hitp1');
    expect(plain.length % 32).toBe(0);
  });

  it('reads what the sandbox encrypts with its own implementation', () => {
    expect(decryptMessage(KEY, pushEncrypt(KEY, '90000001', MESSAGE))).toEqual({ message: MESSAGE, appId: '90000001' });
  });

  it('refuses a ciphertext made with another key', () => {
    const encrypted = encryptMessage(OTHER_KEY, '90000001', MESSAGE);
    expect(() => decryptMessage(KEY, encrypted)).toThrow(BaiduCryptoError);
  });

  it('refuses a malformed EncodingAESKey', () => {
    expect(() => aesKeyFrom('short')).toThrow(/43 letters/);
  });

  it('signs the four strings sorted ordinally, lowercase hex sha1', () => {
    const expected = createHash('sha1').update(['Tok', '1700000000', '123456', 'ENC'].sort().join('')).digest('hex');
    expect(baiduSignature('Tok', '1700000000', '123456', 'ENC')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{40}$/);
    // Ordinal: upper case sorts before lower case.
    expect(['b', 'B', 'a'].sort().join('')).toBe('Bab');
    expect(baiduSignature('token', '1', '2', 'x')).toBe(pushSignature(['token', '1', '2', 'x']));
  });

  it('tells a wrong signature apart', () => {
    const env = sealEnvelope({ token: 'tok', encodingAesKey: KEY }, '90000001', MESSAGE, '1700000000', '42');
    expect(signatureMatches(baiduSignature('tok', env.TimeStamp, env.Nonce, env.Encrypt), env.MsgSignature)).toBe(true);
    expect(signatureMatches(baiduSignature('tok2', env.TimeStamp, env.Nonce, env.Encrypt), env.MsgSignature)).toBe(false);
    expect(signatureMatches('abc', env.MsgSignature)).toBe(false);
  });

  it('pads to 32-byte blocks: a full block of 32 when the data is already aligned', () => {
    const aligned = pkcs7Pad(Buffer.alloc(32, 1));
    expect(aligned.length).toBe(64);
    expect([...aligned.subarray(32)]).toEqual(Array(32).fill(32));
    expect(pkcs7Pad(Buffer.alloc(31)).subarray(31)).toEqual(Buffer.from([1]));
    expect(pkcs7Unpad(aligned)).toEqual(Buffer.alloc(32, 1));
  });

  it('refuses bad padding', () => {
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(31), Buffer.from([33])]))).toThrow(/padding/);
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30), Buffer.from([1, 2])]))).toThrow(/padding/);
  });
});
