import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './data-dir-lock.js';
import { isPostgresFor, processStartTime } from './process-info.js';

describe('DATA_DIR lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const writeOwner = (owner: object) => writeFile(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), since: '2026-01-01T00:00:00.000Z', ...owner }));

  it('is held by one owner at a time and freed on release', async () => {
    const lock = await lockDataDir(dir);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, startTime: processStartTime(process.pid) });
    await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`^DATA_DIR ${dir} is in use by another gateway \\(pid ${process.pid} on `));
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('refuses while a live owner holds it', async () => {
    const owner = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeOwner({ pid: owner.pid, startTime: processStartTime(owner.pid!) });
      await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      owner.kill('SIGKILL');
    }
  });

  it('takes over from an owner that is gone, or whose pid now belongs to a process started later', async () => {
    const gone = spawn('true', { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    await writeOwner({ pid: gone.pid, startTime: '1' });
    const first = await lockDataDir(dir);
    await first.release();
    // Our own pid, but with another start time: a reused pid, not the owner.
    await writeOwner({ pid: process.pid, startTime: 'not-this-process' });
    const second = await lockDataDir(dir);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).startTime).toBe(processStartTime(process.pid));
    await second.release();
  });

  it('takes over from an unreadable lock file', async () => {
    await writeFile(join(dir, LOCK_FILE), 'garbage');
    const lock = await lockDataDir(dir);
    await lock.release();
  });
});

describe('isPostgresFor', () => {
  it("does not take an unrelated process for a data directory's PostgreSQL", async () => {
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      expect(isPostgresFor(other.pid!, join(tmpdir(), 'any'))).toBe(false);
      expect(isPostgresFor(process.pid, process.cwd())).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
