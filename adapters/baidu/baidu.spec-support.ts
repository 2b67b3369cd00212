import { ConformancePushReceiver } from '../core/conformance/push-receiver.js';
import { createHttpTransport, InMemoryTokenStore, type CallContext } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import type { BaiduCredentials } from './baidu.credentials.js';
import { BaiduSandbox, type BaiduSandboxOptions } from './sandbox/baidu-sandbox.js';

/** A sandbox, an adapter pointed at it (upload does not wait, so specs see the async path) and a push receiver. */
export class BaiduSpecRig {
  sandbox!: BaiduSandbox;
  adapter!: BaiduAdapter;
  store!: InMemoryTokenStore;
  receiver!: ConformancePushReceiver;

  constructor(private readonly options: BaiduSandboxOptions = {}) {}

  async start(): Promise<void> {
    this.sandbox = new BaiduSandbox({ ticketIntervalMs: 0, rollbackDelayMs: 100, failingTemplateIds: ['666'], ...this.options });
    await this.sandbox.start();
    this.store = new InMemoryTokenStore();
    this.adapter = this.newAdapter(this.store);
    this.receiver = new ConformancePushReceiver((raw) => this.adapter.parseCallback(raw, this.sandbox.callbackSecrets));
    this.sandbox.setCallbackUrl(`${await this.receiver.start()}/callbacks/baidu`);
  }

  async stop(): Promise<void> {
    await this.sandbox?.stop();
    await this.receiver?.stop();
  }

  newAdapter(store = new InMemoryTokenStore(), timeoutMs = 10_000): BaiduAdapter {
    return new BaiduAdapter(
      { baseUrl: this.sandbox.baseUrl, http: createHttpTransport({ defaultTimeoutMs: timeoutMs }), tokenStore: store, timeoutMs },
      { uploadSettleMs: 0 },
    );
  }

  async newApp(): Promise<CallContext<BaiduCredentials>> {
    const app = await this.sandbox.createApp();
    return { hostAppId: app.hostAppId, credentials: app.credentials as BaiduCredentials };
  }

  callsTo(path: string | RegExp, since = 0): number {
    return this.sandbox.calls.slice(since).filter((c) => (typeof path === 'string' ? c.path === path : path.test(c.path))).length;
  }
}
