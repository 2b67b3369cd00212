import type pg from 'pg';
import type { QueryRunner } from 'typeorm';

/** How many distinct statement texts are prepared; any beyond are sent unnamed (parsed each time). */
const PREPARED_TEXTS = 100;
const names = new Map<string, string>();

/**
 * Sends a statement on the query runner's own connection as a named prepared statement: parsed
 * and planned once per connection, then only bound and run, and without TypeORM's per-query
 * logging and events. For the workers' hot statements, whose texts are a small fixed set; the
 * name follows the text, so a name is never reused for another statement.
 */
export async function runPrepared<T>(runner: QueryRunner, text: string, values: unknown[]): Promise<T[]> {
  const client = (await runner.connect()) as pg.PoolClient;
  let name = names.get(text);
  if (name === undefined && names.size < PREPARED_TEXTS) names.set(text, (name = `gw_${names.size + 1}`));
  return (await client.query<T & pg.QueryResultRow>(name === undefined ? { text, values } : { name, text, values })).rows;
}
