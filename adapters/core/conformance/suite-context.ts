import { expect } from '@jest/globals';
import type { HostAdapter, CallContext } from '../host-adapter.js';
import { HostError } from '../host-error.js';
import { createHttpTransport } from '../http.js';
import type { HostVersionRef, ReviewState, VersionSpec } from '../listing.js';
import type { HostSandbox, ReviewPolicy } from '../sandbox.js';
import { CapturingLogger, RecordingTokenStore, secretsInLines } from './capturing-logger.js';
import { eventually } from './eventually.js';
import type { ConformanceHarness } from './harness.js';
import { ConformancePushReceiver } from './push-receiver.js';
import { secretStringsOf } from './secrets.js';

/** Per-call deadline of the suite's adapter; short enough to keep the suite fast on loopback. */
export const SUITE_TIMEOUT_MS = 2_000;
/** How long an async outcome (build, review, push, release) may take on a loopback sandbox. */
export const OUTCOME_WITHIN_MS = 5_000;

/**
 * Shared state of one host's conformance run: its sandbox, an adapter pointed at it, and the
 * push receiver. Fields are filled in `start()` (beforeAll); tests reach them lazily.
 */
export class SuiteContext<C = unknown> {
  sandbox!: HostSandbox;
  adapter!: HostAdapter<C>;
  receiver!: ConformancePushReceiver;
  /** Every line any of the suite's adapters logs, at debug level and above. */
  readonly logger = new CapturingLogger();
  private readonly tokenStores: RecordingTokenStore[] = [];
  private readonly appCredentials: unknown[] = [];

  constructor(readonly harness: ConformanceHarness<C>) {}

  get hostId() {
    return this.harness.hostId;
  }

  async start(): Promise<void> {
    this.sandbox = this.harness.createSandbox();
    await this.sandbox.start();
    this.adapter = this.newAdapter(SUITE_TIMEOUT_MS);
    this.receiver = new ConformancePushReceiver((raw) => this.adapter.parseCallback(raw, this.sandbox.callbackSecrets));
    const base = await this.receiver.start();
    this.sandbox.setCallbackUrl(`${base}${this.harness.pushPath ?? `/callbacks/${this.hostId.toLowerCase()}`}`);
  }

  async stop(): Promise<void> {
    await this.sandbox?.stop();
    await this.receiver?.stop();
  }

  /** An adapter exactly as the registry would build it, with its own token store. */
  newAdapter(timeoutMs: number): HostAdapter<C> {
    const options = {
      baseUrl: this.sandbox.baseUrl,
      http: createHttpTransport({ defaultTimeoutMs: timeoutMs }),
      tokenStore: this.recordingTokenStore(),
      logger: this.logger,
      timeoutMs,
    };
    this.harness.factory.validateOptions(options);
    return this.harness.factory.create(options);
  }

  private recordingTokenStore(): RecordingTokenStore {
    const store = new RecordingTokenStore();
    this.tokenStores.push(store);
    return store;
  }

  /**
   * Credentials, push secrets and tokens found in any logged line so far (empty when none
   * leaked), each shown by its first characters with the line it appeared in.
   */
  secretsInLogs(): Array<{ secret: string; line: string }> {
    const secrets = [
      ...this.appCredentials.flatMap((c) => secretStringsOf(c)),
      ...secretStringsOf(this.sandbox.callbackSecrets),
      ...this.tokenStores.flatMap((store) => [...store.values].filter((t) => t.length >= 8)),
    ];
    return secretsInLines(this.logger.lines, secrets).map(({ secret, line }) => ({ secret: `${secret.slice(0, 6)}…`, line }));
  }

  async newApp(policy?: ReviewPolicy): Promise<CallContext<C>> {
    const app = await this.sandbox.createApp();
    this.appCredentials.push(app.credentials);
    if (policy) this.sandbox.setReviewPolicy(app.hostAppId, policy);
    return { hostAppId: app.hostAppId, credentials: app.credentials as C };
  }

  version(semver: string): VersionSpec {
    return this.harness.validVersion(semver);
  }

  /** Uploads a version and waits until the host says it is built and ready for review. */
  async uploaded(ctx: CallContext<C>, semver: string): Promise<HostVersionRef> {
    const up = await this.adapter.upload(ctx, this.harness.validDefinition(), this.version(semver));
    expect(up.ref.version).toBe(semver);
    expect(['UPLOADING', 'UPLOADED']).toContain(up.status);
    if (up.status === 'UPLOADING') await this.statusBecomes(ctx, up.ref, 'UPLOADED');
    return up.ref;
  }

  async submitted(ctx: CallContext<C>, semver: string, ref: HostVersionRef): Promise<HostVersionRef> {
    const sub = await this.adapter.submitForReview(ctx, this.harness.validDefinition(), this.version(semver), ref);
    expect(['IN_REVIEW', 'APPROVED']).toContain(sub.status);
    return sub.ref;
  }

  /** Uploaded and approved under the app's current (approving) policy. */
  async approved(ctx: CallContext<C>, semver: string): Promise<HostVersionRef> {
    const ref = await this.submitted(ctx, semver, await this.uploaded(ctx, semver));
    await this.statusBecomes(ctx, ref, 'APPROVED');
    return ref;
  }

  async statusBecomes(ctx: CallContext<C>, ref: HostVersionRef, status: ReviewState['status']): Promise<ReviewState> {
    return eventually(
      async () => {
        const state = await this.adapter.reviewStatus(ctx, ref);
        expect(state.status).toBe(status);
        return state;
      },
      { timeoutMs: OUTCOME_WITHIN_MS, intervalMs: 50 },
    );
  }

  /** The adapter's read-back and the sandbox's own view agree, and match `expected`. */
  async liveBecomes(ctx: CallContext<C>, expected: { liveVersion: string | null; grayVersion?: string | null; grayPercentage?: number | null }): Promise<void> {
    await eventually(
      async () => {
        const listing = await this.adapter.readListing(ctx);
        const truth = this.sandbox.live(ctx.hostAppId);
        expect(truth).toMatchObject(expected);
        expect({ liveVersion: listing.liveVersion, grayVersion: listing.grayVersion, grayPercentage: listing.grayPercentage }).toEqual({
          liveVersion: truth.liveVersion,
          grayVersion: truth.grayVersion,
          grayPercentage: truth.grayPercentage,
        });
      },
      { timeoutMs: OUTCOME_WITHIN_MS, intervalMs: 50 },
    );
  }

  /** Review events pushed for this app (empty forever on hosts without review pushes). */
  async pushedReviewEvents(hostAppId: string, expected: string[]): Promise<void> {
    await eventually(() => expect(this.receiver.reviewEventTypes(hostAppId)).toEqual(expected), { timeoutMs: OUTCOME_WITHIN_MS });
  }
}

/** Awaits a promise that must fail and returns its error (a HostError unless said otherwise). */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

export async function hostErrorOf(promise: Promise<unknown>): Promise<HostError> {
  const error = await failureOf(promise);
  if (!(error instanceof HostError)) throw new Error(`expected a HostError, got ${String(error)}`);
  return error;
}
