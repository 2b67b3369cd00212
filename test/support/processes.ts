import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface NodeProcess {
  child: ChildProcess;
  /** Every line the process printed (stdout and stderr). */
  lines: string[];
  /** Resolves with the first printed line matching `pattern`; rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node <script>` from the build (dist/) with `env` on top of this process's environment. */
export function startNode(script: string, env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, [join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let exited = false;
  const onData = (buf: Buffer) => {
    for (const line of buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    child,
    lines,
    waitFor(pattern, timeoutMs = 30_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script} printed no ${pattern} within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`)), timeoutMs);
        void exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`${script} exited before printing ${pattern}:\n${lines.slice(-20).join('\n')}`));
        });
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async kill(signal = 'SIGTERM') {
      if (exited) return;
      child.kill(signal);
      await Promise.race([exit, new Promise((r) => setTimeout(r, 10_000))]);
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** `npm run sandboxes` as a child; resolves with its admin URL. */
export async function startSandboxesProcess(env: Record<string, string> = {}) {
  const proc = startNode('dist/src/hosts/sandboxes-main.js', { SANDBOX_PORT: '0', ...env });
  const line = await proc.waitFor(/host sandboxes listening/);
  return { proc, adminUrl: (JSON.parse(line) as { adminUrl: string }).adminUrl };
}

/** A gateway (`node dist/src/main.js`) as a child; resolves with its base URL. */
export async function startGatewayProcess(env: Record<string, string>) {
  const proc = startNode('dist/src/main.js', { PORT: '0', LOG_LEVEL: 'info', ...env });
  const line = await proc.waitFor(/gateway listening/, 60_000);
  const url = (JSON.parse(line) as { url: string }).url;
  return { proc, baseUrl: url.replace(/\/graphql$/, '') };
}

/** `npm run worker` as a child. */
export async function startWorkerProcess(env: Record<string, string>) {
  const proc = startNode('dist/src/worker.js', { LOG_LEVEL: 'info', ...env });
  await proc.waitFor(/worker running/, 60_000);
  return proc;
}
