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

/**
 * BEGIN and a first statement in one round trip: the simple query protocol takes several
 * statements at once, but no parameters, so `statement` gets its values as literals quoted by
 * the driver (`literal`). The transaction is the caller's to end on the same runner with
 * `endTransaction`. TypeORM is not told of it: nothing run inside may start a transaction of its
 * own (a repository's save() would).
 */
export async function beginWith<T>(runner: QueryRunner, statement: (literal: (value: string) => string) => string): Promise<T[]> {
  const client = (await runner.connect()) as pg.PoolClient;
  const results = (await client.query(`BEGIN; ${statement((value) => client.escapeLiteral(value))}`)) as unknown as Array<
    pg.QueryResult<T & pg.QueryResultRow>
  >;
  return results[1].rows;
}

/** Ends a transaction `beginWith` started. */
export async function endTransaction(runner: QueryRunner, end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  const client = (await runner.connect()) as pg.PoolClient;
  await client.query(end);
}
