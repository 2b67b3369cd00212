import { readFileSync, readlinkSync } from 'node:fs';

// Facts about another process, read from /proc (Linux). Used to tell a live owner from a pid
// that was reused after its owner died, and a data directory's PostgreSQL from any other process.

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function processCommandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
  } catch {
    return null;
  }
}

export function processWorkingDirectory(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/**
 * True only when `pid` is a PostgreSQL server for `dataDir`: its program is `postgres` and it was
 * started with `-D <dataDir>` (PostgreSQL also makes the data directory its working directory).
 */
export function isPostgresFor(pid: number, dataDir: string): boolean {
  const argv = processCommandLine(pid);
  if (!argv || argv.length === 0) return false;
  const program = argv[0].split('/').pop() ?? '';
  if (program !== 'postgres' && !program.startsWith('postgres:')) return false;
  const d = argv.indexOf('-D');
  if (d >= 0 && argv[d + 1] !== undefined) return argv[d + 1] === dataDir;
  return processWorkingDirectory(pid) === dataDir;
}
