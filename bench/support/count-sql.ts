// Preloaded into a server under test (`node --import .../count-sql.js server.js`): counts every
// SQL statement the process sends through `pg` and every HTTP request it receives, and answers
// the runner over the IPC channel, so "statements per request" is counted, not assumed. It sees
// every client: pools, TypeORM and the notification listener alike.
import { subscribe } from 'node:diagnostics_channel';
import pg from 'pg';

export interface SqlStats {
  count: number;
  /** HTTP requests the server received (counted here, so requests still in flight match). */
  requests: number;
  /** CPU time this process has used (user + system, microseconds): cost per request, whatever else runs on the machine. */
  cpuMicros: number;
  /** Host operations the process started (`HOST operation`: one host step each), from the gateway's host-operation channel. */
  hostOperations: Record<string, number>;
  /** Distinct statement texts seen (whitespace folded), with how often each ran. */
  texts: Record<string, number>;
  /** The V8 heap in use and reserved, and the resident set, now (MB): a leak grows the first, a roomier heap only the others. */
  memory?: { heapUsedMb: number; heapTotalMb: number; rssMb: number };
}

const stats: SqlStats = { count: 0, requests: 0, cpuMicros: 0, hostOperations: {}, texts: {} };
subscribe('http.server.request.start', () => {
  stats.requests++;
});
// The channel src/hosts/host-operations.ts publishes on (named here: this file is loaded before the gateway).
subscribe('gateway:host-operation', (message) => {
  const { host, operation } = message as { host: string; operation: string };
  const key = `${host} ${operation}`;
  stats.hostOperations[key] = (stats.hostOperations[key] ?? 0) + 1;
});
const MAX_TEXTS = 200;
const byText = new Map<string, number>();

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply() below
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function countingQuery(this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
  stats.count++;
  // Counted by the exact text (cheap); whitespace is folded only when reporting.
  const seen = byText.get(text);
  if (seen !== undefined) byText.set(text, seen + 1);
  else if (byText.size < MAX_TEXTS) byText.set(text, 1);
  return original.apply(this, args);
};

process.on('message', (message: unknown) => {
  if (message !== 'sql-stats') return;
  const texts: Record<string, number> = {};
  for (const [text, n] of byText) {
    const key = text.replace(/\s+/g, ' ').trim();
    texts[key] = (texts[key] ?? 0) + n;
  }
  const cpu = process.cpuUsage();
  // Started with --expose-gc (BENCH_HEAP_GC=1 in the publish bench), the heap is measured after a
  // full collection: what is still referenced, not garbage that a later collection would free.
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const memory = { heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), rssMb: mb(mem.rss) };
  process.send?.({ type: 'sql-stats', stats: { ...stats, cpuMicros: cpu.user + cpu.system, texts, memory } });
});
