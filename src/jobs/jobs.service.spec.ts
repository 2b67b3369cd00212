import { GatewayConfig } from '../config/gateway-config.js';
import { JobsService, QUEUES } from './jobs.service.js';

type Job = { id: string; name: string; data: Record<string, string> };

/** pg-boss as the fetch loop sees it: queued jobs handed out by fetch, and every fetch, complete and fail recorded. */
function fakeBoss(queued: Job[]) {
  const calls = { fetches: [] as number[], completed: [] as string[][], failed: [] as Array<{ id: string; message: string }> };
  const boss = {
    fetch: async (_queue: string, options: { batchSize: number }) => {
      calls.fetches.push(options.batchSize);
      return queued.splice(0, options.batchSize);
    },
    complete: async (_queue: string, ids: string[]) => void calls.completed.push([...ids]),
    fail: async (_queue: string, id: string, data: { message: string }) => void calls.failed.push({ id, message: data.message }),
    send: async (queue: string, data: Record<string, string>) => void queued.push({ id: `job-${data.submissionId.slice(4)}`, name: queue, data }),
    stop: async () => undefined,
  };
  return { boss, calls };
}

/** A JobsService that works one queue with `concurrency` slots on the fake pg-boss (no database). */
function serviceWith(queued: Job[], concurrency: number, handler: (data: Record<string, string>) => Promise<void>) {
  const config = Object.assign(new GatewayConfig(), { WORKERS: true, WORKER_CONCURRENCY: concurrency, WORKER_POLL_INTERVAL_MS: 60_000 });
  const jobs = new JobsService('postgres://unused', config);
  const { boss, calls } = fakeBoss(queued);
  (jobs as unknown as { boss: unknown }).boss = boss;
  jobs.register(QUEUES.submissionStep, handler);
  return { jobs, calls };
}

const job = (n: number): Job => ({ id: `job-${n}`, name: QUEUES.submissionStep, data: { submissionId: `sub-${n}` } });

/** A promise whose settlement the test controls. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe('JobsService fetch loop', () => {
  it('fetches as many jobs as it has free slots in one statement, runs them side by side, and completes them together', async () => {
    const gate = deferred();
    const started: string[] = [];
    const { jobs, calls } = serviceWith([job(1), job(2), job(3), job(4)], 3, async (data) => {
      started.push(data.submissionId);
      await gate.promise;
    });
    await jobs.onApplicationBootstrap();
    await until(() => started.length === 3, 'three jobs running');
    // One fetch for the three free slots; all three run at once.
    expect(calls.fetches).toEqual([3]);
    gate.resolve();
    // That fetch filled every slot, so a freed slot fetches again at once (the poll interval is a minute).
    await until(() => started.length === 4, 'the fourth job fetched when a slot freed');
    await until(() => calls.completed.flat().length === 4, 'all four completed');
    // The first three finished together and were completed in one statement (the fourth may have joined them).
    expect(calls.completed[0]).toEqual(expect.arrayContaining(['job-1', 'job-2', 'job-3']));
    expect(calls.completed.flat().sort()).toEqual(['job-1', 'job-2', 'job-3', 'job-4']);
    await jobs.onApplicationShutdown();
  });

  it('fails a job whose handler throws, so that pg-boss retries it, and never completes it', async () => {
    const { jobs, calls } = serviceWith([job(1)], 2, async () => {
      throw new Error('host down');
    });
    await jobs.onApplicationBootstrap();
    await until(() => calls.failed.length === 1, 'the job failed');
    expect(calls.failed).toEqual([{ id: 'job-1', message: 'host down' }]);
    await jobs.onApplicationShutdown();
    expect(calls.completed.flat()).toEqual([]);
  });

  it('fetches again at once when a job it ran queued another job of its queue due now', async () => {
    const queued: Job[] = [job(1)];
    const ran: string[] = [];
    const { jobs, calls } = serviceWith(queued, 4, async (data) => {
      ran.push(data.submissionId);
      // What a step does: queue its next step, due at once.
      if (data.submissionId === 'sub-1') await jobs.send(QUEUES.submissionStep, { submissionId: 'sub-2' });
    });
    await jobs.onApplicationBootstrap();
    await until(() => ran.length === 2, 'the queued job ran');
    // The first fetch was not full (1 of 4): only the due job woke the loop, not the poll interval of a minute.
    expect(calls.fetches.slice(0, 2)).toEqual([4, 4]);
    await jobs.onApplicationShutdown();
    expect(calls.completed.flat().sort()).toEqual(['job-1', 'job-2']);
  });
});
