import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { eventually } from '../core/conformance/eventually.js';
import { createHttpTransport, InMemoryTokenStore, type CallContext, type HostVersionRef, type ReviewState } from '../core/index.js';
import type { BytedanceAdapter } from './bytedance.adapter.js';
import type { BytedanceCredentials } from './bytedance.credentials.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';
import { bytedanceConformanceHarness as H } from './bytedance.harness.js';
import { BytedanceSandbox, type BytedanceSandboxOptions } from './sandbox/bytedance-sandbox.js';

export type Ctx = CallContext<BytedanceCredentials>;

/** A sandbox, an adapter pointed at it and a push receiver running the adapter's parseCallback. */
export class Kit {
  readonly sandbox: BytedanceSandbox;
  readonly store = new InMemoryTokenStore();
  adapter!: BytedanceAdapter;
  receiver!: ConformancePushReceiver;

  constructor(options: BytedanceSandboxOptions = {}) {
    this.sandbox = new BytedanceSandbox({ ticketIntervalMs: 0, submitIntervalMs: 0, ...options });
  }

  async start(): Promise<this> {
    await this.sandbox.start();
    this.adapter = bytedanceAdapterFactory.create({
      baseUrl: this.sandbox.baseUrl,
      http: createHttpTransport({ defaultTimeoutMs: 10_000 }),
      tokenStore: this.store,
      timeoutMs: 10_000,
    }) as BytedanceAdapter;
    this.receiver = new ConformancePushReceiver((raw) => this.adapter.parseCallback(raw, this.sandbox.callbackSecrets));
    this.sandbox.setCallbackUrl(`${await this.receiver.start()}/callbacks/bytedance`);
    return this;
  }

  async stop(): Promise<void> {
    await this.sandbox.stop();
    await this.receiver.stop();
  }

  async app(): Promise<Ctx> {
    const a = await this.sandbox.createApp();
    return { hostAppId: a.hostAppId, credentials: a.credentials as BytedanceCredentials };
  }

  async uploaded(ctx: Ctx, v: string): Promise<HostVersionRef> {
    return (await this.adapter.upload(ctx, H.validDefinition(), H.validVersion(v))).ref;
  }

  async submitted(ctx: Ctx, v: string, ref?: HostVersionRef): Promise<HostVersionRef> {
    return (await this.adapter.submitForReview(ctx, H.validDefinition(), H.validVersion(v), ref ?? (await this.uploaded(ctx, v)))).ref;
  }

  async statusBecomes(ctx: Ctx, ref: HostVersionRef, status: ReviewState['status']): Promise<ReviewState> {
    return eventually(
      async () => {
        const s = await this.adapter.reviewStatus(ctx, ref);
        if (s.status !== status) throw new Error(`status ${s.status}, waiting for ${status}`);
        return s;
      },
      { timeoutMs: 10_000 },
    );
  }

  /** Review event types the receiver accepted for this app, in arrival order. */
  reviewEvents(hostAppId: string): string[] {
    return this.receiver.reviewEventTypes(hostAppId);
  }
}

export { eventually };
