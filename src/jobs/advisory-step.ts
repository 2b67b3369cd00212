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
 * A statement that tries the step's lock only when its row has work due, in one round trip: it
 * answers `ok` true (locked), false (busy: another worker holds it) or null, or no row (nothing
 * due, no lock tried). A job that finds nothing to do then costs one statement, not three (lock,
 * read, unlock). What it read is not what the step acts on: the step reads its row again under
 * the lock (this statement's snapshot was taken before the lock was).
 */
export interface StepLockGuard {
  sql: string;
  params: unknown[];
}

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
  guard?: StepLockGuard,
): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.connect();
  let locked = false;
  let broken: Error | undefined;
  const handedOver: string[] = [];
  try {
    const rows = guard
      ? await runPrepared<{ ok: boolean | null }>(runner, guard.sql, guard.params)
      : await runPrepared<{ ok: boolean }>(runner, 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
    // Nothing to do (the guard found no work): no lock was tried.
    if (guard && (rows[0]?.ok ?? null) === null) return;
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
