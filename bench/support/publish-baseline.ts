// The publish bench's raw baseline: the least a durable pipeline must do for the gateway's host
// steps, measured in its own process against the same sandboxes, so the gateway's worker CPU per
// host step can be read as a ratio that holds across machines and days. Each submission goes
// upload -> submitForReview -> release -> read-back with the gateway's adapters, with one SQL
// UPDATE of its row after each host step, at the worker's concurrency: no queue, no locks, no
// events. Spawned by bench/publish.bench.ts; prints one JSON line.
// Env: SANDBOX_URL (the sandboxes' admin URL), DATABASE_URL (the bench's scratch database),
// BENCH_N (mini-programs, 4 submissions each), BENCH_WORKER_CONCURRENCY, SYNC_POLL_MIN_MS.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  createHttpTransport,
  HOST_IDS,
  InMemoryTokenStore,
  type CallContext,
  type HostAdapter,
  type HostId,
  type HostVersionRef,
  type ListingDefinition,
  type VersionSpec,
} from '../../adapters/core/index.js';
import { ArtifactKind, type MiniProgramModel, type VersionModel } from '../../src/catalog/catalog.models.js';
import { listingFor, versionSpecFor } from '../../src/catalog/listing-projection.js';
import { buildHostAdapters } from '../../src/hosts/host-adapter.registry.js';
import { HOST_OPERATION_CHANNEL, observedAdapter, type HostOperationMessage } from '../../src/hosts/host-operations.js';
import { SandboxControl } from '../../src/hosts/sandbox-control.js';
import { BENCH_PROGRAM, BENCH_VERSION } from './publish-inputs.js';
import { pool } from './pool.js';

const SANDBOX_URL = required('SANDBOX_URL');
const DATABASE_URL = required('DATABASE_URL');
const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);
// Builds (Alipay, Baidu) and ByteDance's release take the host time of their own: they are read
// after the gateway's first poll interval, as the gateway reads them, so the host steps match.
const HOST_WORK_POLL_MS = Number(process.env.SYNC_POLL_MIN_MS ?? 500);
// The gateway's default (HOST_TIMEOUT_MS).
const HOST_TIMEOUT_MS = 10_000;
/** Reads of one waiting state before the run is given up (a stuck sandbox, not a slow one). */
const MAX_POLLS = 100;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

interface Submission {
  id: string;
  host: HostId;
  ctx: CallContext<unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bench's program and version as the catalog would hold them, projected per host the way the worker does. */
function listingsByHost(): Record<HostId, { def: ListingDefinition; spec: VersionSpec }> {
  const now = new Date();
  const program: MiniProgramModel = {
    id: randomUUID(),
    slug: 'baseline',
    slogan: null,
    serviceEmail: null,
    privacyPolicyUrl: null,
    ...BENCH_PROGRAM,
    hostOverrides: [],
    syndicated: false,
    archived: false,
    archivedAt: null,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  const { template } = BENCH_VERSION.artifact;
  const version: VersionModel = {
    id: randomUUID(),
    miniProgramId: program.id,
    version: BENCH_VERSION.version,
    releaseNotes: BENCH_VERSION.releaseNotes,
    artifact: {
      kind: ArtifactKind.TEMPLATE,
      packageUrl: null,
      packageSha256: null,
      packageSizeBytes: null,
      templateId: template.templateId,
      extJson: template.extJson,
      hostTemplateIds: template.hostTemplateIds,
    },
    locked: true,
    createdAt: now,
    updatedAt: now,
  };
  return Object.fromEntries(HOST_IDS.map((h) => [h, { def: listingFor(program, h), spec: versionSpecFor(version, h) }])) as Record<
    HostId,
    { def: ListingDefinition; spec: VersionSpec }
  >;
}

async function main(): Promise<void> {
  const sandboxes = new SandboxControl(SANDBOX_URL);
  const db = new pg.Pool({ connectionString: DATABASE_URL, max: CONCURRENCY });
  try {
    // Adapters as HostRuntime builds them, over the sandboxes' base URLs (a token store in memory: one process).
    const baseUrls = new Map((await sandboxes.hosts()).map((info) => [info.host, info.baseUrl]));
    const http = createHttpTransport({ defaultTimeoutMs: HOST_TIMEOUT_MS });
    const tokenStore = new InMemoryTokenStore();
    const built = buildHostAdapters(Object.fromEntries(HOST_IDS.map((h) => [h, { baseUrl: baseUrls.get(h)!, http, tokenStore, timeoutMs: HOST_TIMEOUT_MS }])));
    const adapters = Object.fromEntries(HOST_IDS.map((h) => [h, observedAdapter(h, built[h]!)])) as Record<HostId, HostAdapter>;
    const listings = listingsByHost();

    await db.query('DROP TABLE IF EXISTS baseline_submissions');
    await db.query('CREATE TABLE baseline_submissions (id uuid PRIMARY KEY, host text NOT NULL, stage text NOT NULL, host_ref jsonb, updated_at timestamptz)');
    const submissions: Submission[] = [];
    await pool([...Array(N).keys()], CONCURRENCY, async () => {
      for (const host of HOST_IDS) {
        const app = await sandboxes.createApp(host);
        submissions.push({ id: randomUUID(), host, ctx: { hostAppId: app.hostAppId, credentials: app.credentials } });
      }
    });
    await db.query(
      `INSERT INTO baseline_submissions (id, host, stage, updated_at) SELECT id, host, 'PENDING', now() FROM unnest($1::uuid[], $2::text[]) AS s(id, host)`,
      [submissions.map((s) => s.id), submissions.map((s) => s.host)],
    );
    // The gateway's worker finds each app's access token stored by connectHost's probe: so here too.
    await pool(submissions, CONCURRENCY, (s) => adapters[s.host].probe(s.ctx));
    for (const host of HOST_IDS) await sandboxes.clearCalls(host);

    const hostStepsByOperation: Record<string, number> = {};
    HOST_OPERATION_CHANNEL.subscribe((message) => {
      const { host, operation } = message as HostOperationMessage;
      const key = `${host} ${operation}`;
      hostStepsByOperation[key] = (hostStepsByOperation[key] ?? 0) + 1;
    });
    let sqlStatements = 0;
    const record = async (s: Submission, stage: string, ref: HostVersionRef | null) => {
      sqlStatements++;
      await db.query('UPDATE baseline_submissions SET stage = $2, host_ref = $3, updated_at = now() WHERE id = $1', [s.id, stage, JSON.stringify(ref)]);
    };

    const drive = async (s: Submission) => {
      const adapter = adapters[s.host];
      const { def, spec } = listings[s.host];
      const uploaded = await adapter.upload(s.ctx, def, spec);
      let ref = uploaded.ref;
      let stage: string = uploaded.status;
      await record(s, stage, ref);
      for (let polls = 0; stage === 'UPLOADING'; polls++) {
        if (polls === MAX_POLLS) throw new Error(`${s.host}: still building after ${MAX_POLLS} reads`);
        await sleep(HOST_WORK_POLL_MS);
        const state = await adapter.reviewStatus(s.ctx, ref);
        if (state.status !== 'UPLOADING' && state.status !== 'UPLOADED') throw new Error(`${s.host}: build ended ${state.status}`);
        ref = state.ref;
        stage = state.status;
        await record(s, stage, ref);
      }
      const submitted = await adapter.submitForReview(s.ctx, def, spec, ref);
      ref = submitted.ref;
      stage = submitted.status;
      await record(s, stage, ref);
      // The sandboxes decide a review at zero delay: read again at once.
      for (let polls = 0; stage !== 'APPROVED'; polls++) {
        if (polls === MAX_POLLS) throw new Error(`${s.host}: still in review after ${MAX_POLLS} reads`);
        const state = await adapter.reviewStatus(s.ctx, ref);
        if (state.status !== 'IN_REVIEW' && state.status !== 'APPROVED') throw new Error(`${s.host}: review ended ${state.status}`);
        ref = state.ref;
        stage = state.status;
        await record(s, stage, ref);
      }
      const released = await adapter.release(s.ctx, ref, {});
      stage = released.status;
      await record(s, stage, ref);
      for (let polls = 0; stage === 'RELEASING'; polls++) {
        if (polls === MAX_POLLS) throw new Error(`${s.host}: still releasing after ${MAX_POLLS} reads`);
        await sleep(HOST_WORK_POLL_MS);
        const live = await adapter.readListing(s.ctx);
        if (live.liveVersion === spec.version && !live.grayVersion) stage = 'RELEASED';
        await record(s, stage, ref);
      }
      if (stage !== 'RELEASED') throw new Error(`${s.host}: release ended ${stage}`);
      // The read-back the gateway makes after its own release (drift check).
      const live = await adapter.readListing(s.ctx);
      if (live.liveVersion !== spec.version) throw new Error(`${s.host}: ${spec.version} released but ${live.liveVersion} is live`);
      await record(s, stage, ref);
    };

    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    await pool(submissions, CONCURRENCY, drive);
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpuBefore);

    const hostSteps = Object.values(hostStepsByOperation).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        hostSteps,
        hostStepsByOperation,
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        userMs: Math.round(cpu.user / 1000),
        systemMs: Math.round(cpu.system / 1000),
        sqlStatements,
        elapsedMs: Math.round(elapsedMs),
      }),
    );
  } finally {
    await db.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
