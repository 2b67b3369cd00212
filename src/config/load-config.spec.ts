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
    [{ NODE_ENV: 'production' }, /^Invalid setting SECRETS_KEY: SECRETS_KEY is required when NODE_ENV=production/],
    [{ SECRETS_KEY: 'abc' }, /^Invalid setting SECRETS_KEY: SECRETS_KEY must be 32 bytes/],
    [{ PORT: 'abc' }, /^Invalid setting PORT: PORT must be a whole number from 0 to 65535$/],
    [{ PORT: '1e3' }, /^Invalid setting PORT: PORT must be a whole number from 0 to 65535$/],
    [{ PORT: '70000' }, /^Invalid setting PORT: PORT must be a whole number from 0 to 65535$/],
    [{ DATABASE_POOL_SIZE: '2.5' }, /^Invalid setting DATABASE_POOL_SIZE: DATABASE_POOL_SIZE must be a whole number from 1 to 100$/],
    [{ MIGRATIONS_RUN: 'yes' }, /^Invalid setting MIGRATIONS_RUN: MIGRATIONS_RUN must be true, false, 1 or 0$/],
    [{ GRAPHQL_PLAYGROUND: 'on' }, /^Invalid setting GRAPHQL_PLAYGROUND: GRAPHQL_PLAYGROUND must be true, false, 1 or 0$/],
    [{ QUERY_MAX_TOKENS: '100000' }, /^Invalid setting QUERY_MAX_TOKENS: QUERY_MAX_TOKENS must be a whole number from 100 to 3000$/],
    [{ QUERY_MAX_COST: '0' }, /^Invalid setting QUERY_MAX_COST: QUERY_MAX_COST must be a whole number from 1 to/],
    [{ RATE_LIMIT_REQUESTS: '-1' }, /^Invalid setting RATE_LIMIT_REQUESTS: RATE_LIMIT_REQUESTS must be a whole number from 0 to/],
    [{ REQUEST_TIMEOUT_MS: 'soon' }, /^Invalid setting REQUEST_TIMEOUT_MS: REQUEST_TIMEOUT_MS must be a whole number from 100 to/],
    [
      { NODE_ENV: 'production', SECRETS_KEY: 'a'.repeat(64), GATEWAY_ADMIN_KEY: 'local-operator-key-change-me' },
      /^Invalid setting GATEWAY_ADMIN_KEY: GATEWAY_ADMIN_KEY is the README's example key, which is refused when NODE_ENV=production/,
    ],
  ])('stops with one line naming the setting for %j', (env, message) => {
    const error = configErrorOf(env);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('reads switches as exactly true/false/1/0', () => {
    expect(loadConfig({ MIGRATIONS_RUN: '0' }).MIGRATIONS_RUN).toBe(false);
    expect(loadConfig({ MIGRATIONS_RUN: '1' }).MIGRATIONS_RUN).toBe(true);
    expect(loadConfig({ GRAPHQL_PLAYGROUND: 'false' }).playgroundEnabled).toBe(false);
  });

  it("accepts the README's example operator key outside production", () => {
    expect(loadConfig({ GATEWAY_ADMIN_KEY: 'local-operator-key-change-me' }).GATEWAY_ADMIN_KEY).toBe('local-operator-key-change-me');
  });

  it('gives the query limits, rate limit and deadline their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      QUERY_MAX_COST: 5000,
      QUERY_MAX_DEPTH: 12,
      QUERY_MAX_ALIASES: 20,
      QUERY_MAX_TOKENS: 2000,
      RATE_LIMIT_REQUESTS: 1200,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      REQUEST_TIMEOUT_MS: 30000,
    });
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
