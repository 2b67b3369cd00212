import { describe, expect, it } from '@jest/globals';
import { createDecipheriv, createHash } from 'node:crypto';
import { BytedanceCryptoError, bytedanceSignature, decryptMessage, encryptMessage, pkcs7Unpad, RANDOM_PREFIX_BYTES } from './bytedance.crypto.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP = 'tt0123456789abcdef';

describe('bytedanceSignature', () => {
  it('is sha1 over the four values sorted ordinally (uppercase before lowercase)', () => {
    // Sorted by hand: "1700000000" < "Zeta" < "nonce1" < "token"
    const expected = createHash('sha1').update('1700000000Zetanonce1token').digest('hex');
    expect(bytedanceSignature('token', '1700000000', 'nonce1', 'Zeta')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('encryptMessage / decryptMessage', () => {
  it('round-trips a message with its trailing app id', () => {
    const msg = JSON.stringify({ Event: 'PACKAGE_AUDIT', AppId: 'tt1', 说明: '中文' });
    expect(decryptMessage(KEY, encryptMessage(KEY, APP, msg))).toEqual({ message: msg, appId: APP });
  });

  it('lays out 32 random bytes, a big-endian length, the message and the app id, padded to 32 bytes', () => {
    const random = Buffer.alloc(RANDOM_PREFIX_BYTES, 7);
    const enc = Buffer.from(encryptMessage(KEY, APP, 'hello', random), 'base64');
    const key = Buffer.from(`${KEY}=`, 'base64');
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(enc), d.final()]);
    expect(RANDOM_PREFIX_BYTES).toBe(32);
    expect(plain.length % 32).toBe(0);
    expect(plain.subarray(0, 32)).toEqual(random);
    expect(plain.readUInt32BE(32)).toBe(5);
    expect(plain.subarray(36, 41).toString()).toBe('hello');
    expect(plain.subarray(41, 41 + APP.length).toString()).toBe(APP);
  });

  it('refuses a ciphertext made with another key', () => {
    const other = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
    expect(() => decryptMessage(KEY, encryptMessage(other, APP, 'x'))).toThrow(BytedanceCryptoError);
  });

  it('refuses a random prefix of any length but 32 bytes (16, as WeChat and Baidu use, would not decrypt at Douyin)', () => {
    for (const n of [0, 16, 31, 33]) {
      let caught: unknown;
      try {
        encryptMessage(KEY, APP, 'x', Buffer.alloc(n));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(BytedanceCryptoError);
      expect(caught).toMatchObject({ reason: 'key', message: 'random prefix must be 32 bytes' });
    }
  });

  it('refuses a malformed key and bad padding', () => {
    expect(() => encryptMessage('short', APP, 'x')).toThrow(/43 letters/);
    expect(() => pkcs7Unpad(Buffer.from([1, 2, 3, 33]))).toThrow(/bad padding/);
    expect(() => pkcs7Unpad(Buffer.from([1, 2, 1, 2]))).toThrow(/bad padding/);
  });
});
