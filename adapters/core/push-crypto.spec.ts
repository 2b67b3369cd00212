import { describe, expect, it } from '@jest/globals';
import { decryptFramed, encryptFramed, pkcs7Unpad, PushCryptoError, signatureMatches, sortedSha1 } from './push-crypto.js';

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
});
