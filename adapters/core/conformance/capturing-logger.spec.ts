import { describe, expect, it } from '@jest/globals';
import { aesKeyFrom } from '../push-crypto.js';
import { CapturingLogger, keyMaterialForms, RecordingTokenStore, secretsInLines } from './capturing-logger.js';
import { secretStringsOf } from './secrets.js';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj', '-----END PRIVATE KEY-----'].join('\n');
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const CREDENTIALS = { appId: 'wx0123456789abcdef', appSecret: 'app-secret-0123456789', privateKey: PEM, encodingAesKey: AES_KEY };
const SECRETS = secretStringsOf(CREDENTIALS);

function leaksOf(log: (logger: CapturingLogger) => void): string[] {
  const logger = new CapturingLogger();
  log(logger);
  return secretsInLines(logger.lines, SECRETS).map((f) => f.secret);
}

describe('capturing adapter logger', () => {
  it('keeps debug and warn lines as JSON with their level, message and fields', () => {
    const logger = new CapturingLogger();
    logger.debug({ host: 'WECHAT', nativeCode: '40001' }, 'token refused');
    logger.warn({ host: 'ALIPAY' });
    expect(logger.lines.map((l) => JSON.parse(l))).toEqual([
      { level: 'debug', msg: 'token refused', host: 'WECHAT', nativeCode: '40001' },
      { level: 'warn', host: 'ALIPAY' },
    ]);
    logger.clear();
    expect(logger.lines).toEqual([]);
  });

  it('finds a credential logged as a field, inside a nested object, or in a message', () => {
    expect(leaksOf((l) => l.debug({ creds: CREDENTIALS }))).toEqual(expect.arrayContaining(['app-secret-0123456789', PEM, AES_KEY]));
    expect(leaksOf((l) => l.debug({ request: { query: { secret: 'app-secret-0123456789' } } }))).toEqual(['app-secret-0123456789']);
    expect(leaksOf((l) => l.warn({}, `signing with ${PEM}`))).toEqual(expect.arrayContaining([PEM]));
  });

  it('finds a private key logged line by line, and a secret inside an error message, stack or field', () => {
    expect(leaksOf((l) => l.debug({ keyLine: 'BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj' }))).toEqual(['BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj']);
    const error = Object.assign(new Error('refused app-secret-0123456789'), { body: `x=${AES_KEY}` });
    expect(leaksOf((l) => l.debug({ err: error })).sort()).toEqual([AES_KEY, 'app-secret-0123456789'].sort());
    const causeOnly = new Error('outer', { cause: new Error('inner app-secret-0123456789') });
    expect(leaksOf((l) => l.debug({ err: causeOnly }))).toEqual(['app-secret-0123456789']);
  });

  it('finds key material logged as bytes: the AES key behind an EncodingAESKey', () => {
    expect(leaksOf((l) => l.debug({ key: aesKeyFrom(AES_KEY) }))).toEqual([AES_KEY]);
    expect(leaksOf((l) => l.debug({ keyHex: aesKeyFrom(AES_KEY).toString('hex') }))).toEqual([AES_KEY]);
    expect(keyMaterialForms(AES_KEY)).toEqual(expect.arrayContaining([AES_KEY, aesKeyFrom(AES_KEY).toString('hex')]));
  });

  it('reports nothing for lines that carry only ids, codes and operations', () => {
    expect(leaksOf((l) => l.debug({ host: 'WECHAT', appId: CREDENTIALS.appId, operation: 'upload', nativeCode: '40001' }, 'token refused'))).toEqual([]);
  });

  it('survives values JSON cannot hold (cycles, bigints)', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const logger = new CapturingLogger();
    logger.debug({ cyclic, size: 10n });
    expect(JSON.parse(logger.lines[0])).toEqual({ level: 'debug', cyclic: { name: 'loop', self: '[circular]' }, size: '10' });
  });
});

describe('recording token store', () => {
  it('remembers every token set, and serves them like the store it wraps', async () => {
    const store = new RecordingTokenStore();
    await store.set('wechat:authorizer:a', 'token-one-123456', null);
    await store.set('wechat:authorizer:a', 'token-two-123456', null);
    expect(await store.get('wechat:authorizer:a')).toEqual({ value: 'token-two-123456', expiresAt: null });
    await store.delete('wechat:authorizer:a');
    expect(await store.get('wechat:authorizer:a')).toBeNull();
    expect([...store.values]).toEqual(['token-one-123456', 'token-two-123456']);
  });
});
