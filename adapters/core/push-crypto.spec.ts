import { describe, expect, it } from '@jest/globals';
import { createCipheriv } from 'node:crypto';
import { aesKeyFrom, decryptFramed, encryptFramed, pkcs7Pad, pkcs7Unpad, PushCryptoError, signatureMatches, sortedSha1 } from './push-crypto.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const OTHER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg';

describe('push crypto shared by WeChat, Baidu and Douyin', () => {
  it.each([16, 32])('round-trips a message and its app id behind a %i-byte random prefix', (prefix) => {
    const enc = encryptFramed(KEY, 'app-1', '{"审核":"通过"}', Buffer.alloc(prefix, 7));
    expect(decryptFramed(KEY, enc, prefix)).toEqual({ message: '{"审核":"通过"}', appId: 'app-1' });
  });

  it('refuses a wrong key, a malformed key and a prefix length that does not fit, naming the reason', () => {
    const enc = encryptFramed(KEY, 'app-1', 'x', Buffer.alloc(16));
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof PushCryptoError ? err.reason : 'other';
      }
      return 'none';
    };
    expect(reason(() => decryptFramed(OTHER, enc, 16))).toBe('decrypt');
    expect(reason(() => decryptFramed('short', enc, 16))).toBe('key');
    expect(reason(() => decryptFramed(KEY, enc, 1_000))).toBe('decrypt');
  });

  it('accepts only PKCS#7 padding whose every byte is the pad length', () => {
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30), Buffer.from([1, 2])]))).toThrow(PushCryptoError);
    expect(pkcs7Unpad(Buffer.concat([Buffer.from('ab'), Buffer.alloc(30, 30)])).toString()).toBe('ab');
  });

  it('signs with sha1 over the sorted parts and compares signatures in constant time, ignoring case', () => {
    expect(sortedSha1('b', 'a', 'c')).toBe(sortedSha1('abc'));
    expect(signatureMatches(sortedSha1('a'), sortedSha1('a').toUpperCase())).toBe(true);
    expect(signatureMatches(sortedSha1('a'), sortedSha1('b'))).toBe(false);
    expect(signatureMatches(sortedSha1('a'), 'short')).toBe(false);
  });

  describe('refusals name their reason and what was wrong', () => {
    /** The error `f` throws, as `reason: message`. */
    const refusal = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        if (!(err instanceof PushCryptoError)) throw err;
        expect(err.name).toBe('PushCryptoError');
        return `${err.reason}: ${err.message}`;
      }
      throw new Error('nothing was refused');
    };
    /** AES-256-CBC of `plain` as the hosts do it (IV = key[0:16]), with no padding added: any plaintext layout. */
    const rawEncrypt = (plain: Buffer) => {
      const key = aesKeyFrom(KEY);
      const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
      cipher.setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    };
    const frame = (prefix: number, declaredLength: number, rest: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(declaredLength);
      return Buffer.concat([Buffer.alloc(prefix, 9), len, rest]);
    };

    it('an EncodingAESKey must be exactly 43 letters or digits, anchored at both ends', () => {
      expect(aesKeyFrom(KEY)).toHaveLength(32);
      for (const bad of [`-${KEY}`, `${KEY}-`, KEY.slice(1), `x${KEY}`, `${KEY.slice(0, 42)}+`]) {
        expect(refusal(() => aesKeyFrom(bad))).toBe('key: EncodingAESKey must be 43 letters or digits');
      }
    });

    it('padding must be 1 to 32 bytes, each the pad length, and may fill the whole input', () => {
      expect(refusal(() => pkcs7Unpad(Buffer.alloc(0)))).toBe('decrypt: bad padding');
      expect(refusal(() => pkcs7Unpad(Buffer.concat([Buffer.from('abc'), Buffer.alloc(29, 0)])))).toBe('decrypt: bad padding');
      expect(refusal(() => pkcs7Unpad(Buffer.alloc(64, 33)))).toBe('decrypt: bad padding');
      expect(refusal(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30), Buffer.from([1, 2])])))).toBe('decrypt: bad padding');
      expect(refusal(() => pkcs7Unpad(Buffer.from([5, 5, 5])))).toBe('decrypt: bad padding');
      expect(pkcs7Unpad(Buffer.alloc(32, 32))).toHaveLength(0);
      expect(pkcs7Unpad(pkcs7Pad(Buffer.alloc(0)))).toHaveLength(0);
      expect(pkcs7Unpad(Buffer.concat([Buffer.from('abc'), Buffer.alloc(29, 29)])).toString()).toBe('abc');
    });

    it('a ciphertext that is not whole AES blocks is a decrypt refusal, not a crypto library error', () => {
      expect(refusal(() => decryptFramed(KEY, Buffer.alloc(10, 1).toString('base64'), 16))).toBe('decrypt: ciphertext cannot be decrypted');
    });

    it('bad padding after a correct decryption is reported as bad padding', () => {
      const unpadded = rawEncrypt(Buffer.concat([frame(16, 1, Buffer.from('x')), Buffer.alloc(11, 0)]));
      expect(refusal(() => decryptFramed(KEY, unpadded, 16))).toBe('decrypt: bad padding');
    });

    it('the plaintext must hold the prefix and the length, and the message must fit in it', () => {
      expect(refusal(() => decryptFramed(KEY, encryptFramed(KEY, 'app-1', 'x', Buffer.alloc(16)), 1_000))).toBe('decrypt: plaintext too short');
      const overlong = rawEncrypt(pkcs7Pad(frame(16, 6, Buffer.from('hello'))));
      expect(refusal(() => decryptFramed(KEY, overlong, 16))).toBe('decrypt: length prefix beyond plaintext');
      const wayOver = rawEncrypt(pkcs7Pad(frame(16, 1_000, Buffer.from('hello'))));
      expect(refusal(() => decryptFramed(KEY, wayOver, 16))).toBe('decrypt: length prefix beyond plaintext');
    });

    it('a message that ends the plaintext exactly has an empty app id; an empty message and app id are allowed', () => {
      expect(decryptFramed(KEY, rawEncrypt(pkcs7Pad(frame(16, 5, Buffer.from('hello')))), 16)).toEqual({ message: 'hello', appId: '' });
      expect(decryptFramed(KEY, encryptFramed(KEY, '', '', Buffer.alloc(16)), 16)).toEqual({ message: '', appId: '' });
      expect(decryptFramed(KEY, rawEncrypt(pkcs7Pad(frame(16, 0, Buffer.alloc(0)))), 16)).toEqual({ message: '', appId: '' });
    });
  });
});
