import type { DataSource, QueryRunner } from 'typeorm';

/** How soon a job that found its step locked by another worker is looked at again (plus jitter up to as much). */
export const BUSY_RETRY_MS = 250;

/**
 * Runs one worker step on its own connection of `db` under the PostgreSQL advisory lock `key`,
 * held on that connection so a killed worker frees it at once. When another worker holds it,
 * `onBusy` runs instead, given when to look again: the job in hand may be the very one that
 * worker has just scheduled (committed before it let go of the lock), so it must not be dropped.
 */
export async function runUnderStepLock(
  db: DataSource,
  key: string,
  work: (runner: QueryRunner) => Promise<void>,
  onBusy: (retryAt: Date) => Promise<void>,
): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  let locked = false;
  let broken: Error | undefined;
  try {
    const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])) as Array<{ ok: boolean }>;
    locked = rows[0]?.ok === true;
    if (!locked) return await onBusy(new Date(Date.now() + BUSY_RETRY_MS + Math.random() * BUSY_RETRY_MS));
    await work(runner);
  } finally {
    if (locked) {
      try {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      } catch (err) {
        // Never hand a connection that may still hold the lock back to the pool.
        broken = err as Error;
      }
    }
    await (runner as unknown as { release(err?: Error): Promise<void> }).release(broken);
  }
}
