import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives the embedded, sandboxed defaults with no settings', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './.data', LOG_LEVEL: 'info', HOSTS_MODE: 'sandbox', MIGRATIONS_RUN: true });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.playgroundEnabled).toBe(true);
  });

  it('reads and converts settings', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@h:5432/db',
      MIGRATIONS_RUN: 'false',
      NODE_ENV: 'production',
      SECRETS_KEY: 'a'.repeat(64),
    });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@h:5432/db', MIGRATIONS_RUN: false });
    expect(config.playgroundEnabled).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid setting PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid setting DATABASE_URL: DATABASE_URL must be a postgres/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid setting LOG_LEVEL: LOG_LEVEL must be one of/],
    [{ GATEWAY_ADMIN_KEY: 'short' }, /^Invalid setting GATEWAY_ADMIN_KEY: GATEWAY_ADMIN_KEY must be at least 24/],
    [{ NODE_ENV: 'production' }, /^Invalid setting SECRETS_KEY: /],
  ])('stops with one line naming the setting for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('never puts a secret value in its message', () => {
    try {
      loadConfig({ GATEWAY_ADMIN_KEY: 'tooshort-secret' });
    } catch (err) {
      expect((err as Error).message).not.toContain('tooshort-secret');
    }
  });
});
