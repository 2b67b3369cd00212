import type pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg pool TypeORM opened for `dataSource`. Hot read paths send their one statement on it
 * directly and map plain rows themselves, skipping TypeORM's query runner and entity hydration;
 * writes keep going through TypeORM. One pool per process either way (DATABASE_POOL_SIZE).
 */
export function sqlPool(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('the data source is not initialized');
  return pool;
}
