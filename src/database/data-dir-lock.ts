import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive, processStartTime } from './process-info.js';

/** Another live gateway owns the data directory. */
export class DataDirInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirInUseError';
  }
}

interface LockOwner {
  pid: number;
  /** /proc start time of the owner, so a pid reused by another process is not taken for it. */
  startTime: string | null;
  host: string;
  since: string;
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

export const LOCK_FILE = 'gateway.lock';

function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && Number.isInteger(owner.pid) && owner.pid > 0 ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

function ownerIsAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine's process: we cannot tell, so keep out
  if (!isAlive(owner.pid)) return false;
  const startTime = processStartTime(owner.pid);
  return owner.startTime === null || startTime === null || startTime === owner.startTime;
}

/**
 * Takes DATA_DIR for this process: a lock file created exclusively, holding our pid and start
 * time. A lock whose owner is alive is refused; one whose owner is gone (killed, crashed) is taken
 * over. The takeover moves the stale file aside atomically and checks it moved the one it judged,
 * so two starts racing for a stale lock cannot both win.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const path = join(dir, LOCK_FILE);
  const mine: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid), host: hostname(), since: new Date().toISOString() };
  const text = JSON.stringify(mine);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx', mode: 0o644 });
      return {
        release: async () => {
          const current = await readFile(path, 'utf8').catch(() => null);
          if (current === text) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const staleText = await readFile(path, 'utf8').catch(() => null);
    if (staleText === null) continue; // removed meanwhile: try again
    const owner = parseOwner(staleText);
    if (owner === null && attempt === 0) {
      // Possibly being written this very moment by another start: look again once.
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (owner && ownerIsAlive(owner)) {
      throw new DataDirInUseError(
        `DATA_DIR ${dir} is in use by another gateway (pid ${owner.pid} on ${owner.host}, since ${owner.since}): stop that one first, or set another DATA_DIR`,
      );
    }
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = await readFile(aside, 'utf8').catch(() => null);
    if (moved !== staleText) await link(aside, path).catch(() => undefined); // a racer's fresh lock: put it back
    await unlink(aside).catch(() => undefined);
  }
  throw new DataDirInUseError(`DATA_DIR ${dir}: could not take its lock file ${path}; another start is racing for it`);
}
