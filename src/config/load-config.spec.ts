import { ConfigError, loadConfig } from './load-config.js';

/** The ConfigError `loadConfig` throws for `env`; fails the test when it throws none. */
function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

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
    const error = configErrorOf(env);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('never puts a secret value in its message', () => {
    expect.assertions(3);
    const error = configErrorOf({ GATEWAY_ADMIN_KEY: 'tooshort-secret' });
    expect(error.message).toMatch(/^Invalid setting GATEWAY_ADMIN_KEY: /);
    expect(error.message).not.toContain('tooshort-secret');
  });

  it('takes an operator key of exactly 24 characters and refuses one of 23', () => {
    expect(loadConfig({ GATEWAY_ADMIN_KEY: 'k'.repeat(24) }).GATEWAY_ADMIN_KEY).toBe('k'.repeat(24));
    expect(configErrorOf({ GATEWAY_ADMIN_KEY: 'k'.repeat(23) }).message).toBe(
      'Invalid setting GATEWAY_ADMIN_KEY: GATEWAY_ADMIN_KEY must be at least 24 characters',
    );
  });
});
