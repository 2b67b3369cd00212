import type { DataSource, QueryRunner } from 'typeorm';
import { runPrepared } from '../database/prepared.js';

/** How soon a job that found its step locked by another worker is looked at again (plus jitter up to as much). */
export const BUSY_RETRY_MS = 250;

/** `SELECT pg_advisory_unlock(...), ...` of `keys` ($1..$n): frees several advisory locks in one statement. */
export function unlockStatement(keys: readonly string[]): string {
  return `SELECT ${keys.map((_, i) => `pg_advisory_unlock(hashtextextended($${i + 1}, 0))`).join(', ')}`;
}

/** Advisory locks the step took on its connection (host call slots) to free together with the step's own lock. */
export type UnlockWithStep = (keys: readonly string[]) => void;

/**
 * Runs one worker step on its own connection of `db` under the PostgreSQL advisory lock `key`,
 * held on that connection so a killed worker frees it at once. When another worker holds it,
 * `onBusy` runs instead, given when to look again: the job in hand may be the very one that
 * worker has just scheduled (committed before it let go of the lock), so it must not be dropped.
 * Locks the step hands over through `unlockWithStep` are freed in the same statement as the
 * step's own lock, once the step is done.
 */
export async function runUnderStepLock(
  db: DataSource,
  key: string,
  work: (runner: QueryRunner, unlockWithStep: UnlockWithStep) => Promise<void>,
  onBusy: (retryAt: Date) => Promise<void>,
): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  let locked = false;
  let broken: Error | undefined;
  const handedOver: string[] = [];
  try {
    const rows = await runPrepared<{ ok: boolean }>(runner, 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
    locked = rows[0]?.ok === true;
    if (!locked) return await onBusy(new Date(Date.now() + BUSY_RETRY_MS + Math.random() * BUSY_RETRY_MS));
    await work(runner, (keys) => handedOver.push(...keys));
  } finally {
    if (locked) {
      try {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        // Last taken, first freed: the handed-over slots, then the step's lock.
        const keys = [...handedOver.reverse(), key];
        await runPrepared(runner, unlockStatement(keys), keys);
      } catch (err) {
        // Never hand a connection that may still hold the lock back to the pool.
        broken = err as Error;
      }
    }
    await (runner as unknown as { release(err?: Error): Promise<void> }).release(broken);
  }
}
