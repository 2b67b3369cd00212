import { describe, expect, it } from '@jest/globals';
import { HostError } from '../host-error.js';
import { leakedSecrets, secretStringsOf } from './secrets.js';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', '-----END PRIVATE KEY-----'].join('\n');

describe('secretStringsOf', () => {
  it('takes long values under secret-looking keys, at any depth', () => {
    const found = secretStringsOf({
      componentAppSecret: 'a'.repeat(32),
      authorizerRefreshToken: 'refreshtoken@@@xyz',
      nested: { encodingAesKey: 'k'.repeat(43), token: 'pushtoken123' },
    });
    expect(found.sort()).toEqual(['a'.repeat(32), 'k'.repeat(43), 'pushtoken123', 'refreshtoken@@@xyz'].sort());
  });

  it('leaves out identifiers, public keys and short values', () => {
    expect(
      secretStringsOf({ componentAppId: 'wx0123456789abcdef', authorizerAppId: 'wxfedcba9876543210', alipayPublicKey: PEM, token: 'short', signType: 'RSA2' }),
    ).toEqual([]);
  });

  it('adds the long lines of a multi-line key so a body cannot leak line by line', () => {
    expect(secretStringsOf({ privateKey: PEM })).toEqual([PEM, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj']);
  });
});

describe('leakedSecrets', () => {
  const secret = 'S3cr3t-value-1234';

  it('finds a secret in a result, raw or JSON-escaped', () => {
    expect(leakedSecrets({ response: { echo: `x${secret}y` } }, [secret])).toEqual([secret]);
    expect(leakedSecrets({ response: PEM }, [PEM])).toEqual([PEM]);
  });

  it('finds a secret in a HostError message and in its JSON', () => {
    const inMessage = new HostError({ host: 'WECHAT', kind: 'auth', nativeCode: '40001', nativeMessage: `bad ${secret}`, retryable: false });
    expect(leakedSecrets(inMessage, [secret])).toEqual([secret]);
  });

  it('finds a secret in a plain error message', () => {
    expect(leakedSecrets(new Error(`token ${secret} refused`), [secret])).toEqual([secret]);
  });

  it('reports nothing when the secret is absent', () => {
    const clean = new HostError({ host: 'ALIPAY', kind: 'unavailable', nativeCode: null, nativeMessage: 'HTTP 503', retryable: true });
    expect(leakedSecrets([clean, { liveVersion: '1.0.0' }], [secret])).toEqual([]);
  });
});
