import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * `statementTimeoutMs` cuts any one SQL statement after that long (0 or unset: no limit); a new
 * connection that cannot be made in 10 s fails instead of waiting forever.
 */
export function dataSourceOptions(url: string, poolSize: number, migrationsRun: boolean, statementTimeoutMs = 0): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}) },
  };
}
