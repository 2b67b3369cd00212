import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  createHttpTransport,
  HOST_IDS,
  type CallbackSecrets,
  type HostAdapter,
  type HostId,
  type HostSandbox,
  type HttpTransport,
  type ReviewPolicy,
} from '../../adapters/core/index.js';
import { SandboxAdminServer } from '../../adapters/core/sandbox-kit/index.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { Vault } from '../vault/vault.js';
import { buildHostAdapters, HOST_REGISTRY } from './host-adapter.registry.js';
import { observedAdapter } from './host-operations.js';
import { SandboxControl } from './sandbox-control.js';
import { PostgresTokenStore } from './tokens/postgres-token-store.js';

/** Every host call while HOSTS_MODE=off ends here, before any network use. */
export class HostCallsOffError extends Error {
  constructor(url: string) {
    super(`host calls are off (HOSTS_MODE=off); refused a call to ${new URL(url).origin}`);
    this.name = 'HostCallsOffError';
  }
}

const refusingTransport: HttpTransport = (req) => Promise.reject(new HostCallsOffError(req.url));

const BASE_URL_SETTING = {
  WECHAT: 'WECHAT_BASE_URL',
  ALIPAY: 'ALIPAY_BASE_URL',
  BAIDU: 'BAIDU_BASE_URL',
  BYTEDANCE: 'BYTEDANCE_BASE_URL',
} as const satisfies Record<HostId, keyof GatewayConfig>;

/** The review policy the sandbox settings give new sandbox apps. */
export function sandboxReviewPolicy(config: Pick<GatewayConfig, 'SANDBOX_REVIEW_DELAY_MS' | 'SANDBOX_REVIEW_OUTCOME'>): ReviewPolicy {
  if (config.SANDBOX_REVIEW_OUTCOME === 'hold') return { decision: 'hold' };
  if (config.SANDBOX_REVIEW_OUTCOME === 'reject')
    return { decision: 'reject', reason: 'sandbox review policy: rejected (SANDBOX_REVIEW_OUTCOME=reject)', afterMs: config.SANDBOX_REVIEW_DELAY_MS };
  return { decision: 'approve', afterMs: config.SANDBOX_REVIEW_DELAY_MS };
}

/**
 * The adapters this instance uses, one per host, sharing the PostgreSQL token store. In sandbox
 * mode the hosts are the four sandboxes: started in this process with their admin route, or, with
 * SANDBOX_URL, the ones `npm run sandboxes` runs (several gateways and workers then share them).
 */
@Injectable()
export class HostRuntime implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Hosts');
  private readonly sandboxes = new Map<HostId, HostSandbox>();
  private readonly baseUrls = new Map<HostId, string>();
  private readonly secrets = new Map<HostId, CallbackSecrets>();
  private admin: SandboxAdminServer | null = null;
  private control: SandboxControl | null = null;
  private adapters: Partial<Record<HostId, HostAdapter>> = {};
  private store: PostgresTokenStore | null = null;

  constructor(
    private readonly config: GatewayConfig,
    private readonly dataSource: DataSource,
    private readonly vault: Vault,
  ) {}

  get mode(): GatewayConfig['HOSTS_MODE'] {
    return this.config.HOSTS_MODE;
  }

  async onModuleInit(): Promise<void> {
    if (this.mode === 'sandbox') await this.startSandboxes();
    else {
      for (const host of HOST_IDS) this.baseUrls.set(host, HOST_REGISTRY[host].productionBaseUrl);
      this.readLiveCallbackSecrets();
    }
    for (const host of HOST_IDS) {
      const override = this.config[BASE_URL_SETTING[host]];
      if (override) this.baseUrls.set(host, override);
    }
    const http = this.mode === 'off' ? refusingTransport : createHttpTransport({ defaultTimeoutMs: this.config.HOST_TIMEOUT_MS });
    const tokenStore = new PostgresTokenStore(this.dataSource, this.vault);
    this.store = tokenStore;
    const built = buildHostAdapters(
      Object.fromEntries(HOST_IDS.map((h) => [h, { baseUrl: this.baseUrls.get(h)!, http, tokenStore, timeoutMs: this.config.HOST_TIMEOUT_MS }])),
    );
    this.adapters = Object.fromEntries(HOST_IDS.filter((h) => built[h]).map((h) => [h, observedAdapter(h, built[h]!)]));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopSandboxes();
  }

  adapter(host: HostId): HostAdapter {
    const adapter = this.adapters[host];
    if (!adapter) throw new Error(`no adapter was built for ${host}`);
    return adapter;
  }

  /** The shared token store the adapters use (also keeps pushed platform tickets). */
  get tokenStore(): PostgresTokenStore {
    if (!this.store) throw new Error('host runtime is not started');
    return this.store;
  }

  /** The base URL this instance calls for a host; null when host calls are off. */
  baseUrl(host: HostId): string | null {
    return this.mode === 'off' ? null : (this.baseUrls.get(host) ?? null);
  }

  /** Platform secrets that verify and decrypt this host's pushes; null when none are configured. */
  callbackSecrets(host: HostId): CallbackSecrets | null {
    return this.secrets.get(host) ?? null;
  }

  /** The sandboxes' admin route (sandbox mode only). */
  sandboxControl(): SandboxControl | null {
    return this.control;
  }

  /** The running in-process sandbox of a host (sandbox mode without SANDBOX_URL). */
  sandbox(host: HostId): HostSandbox | null {
    return this.sandboxes.get(host) ?? null;
  }

  /**
   * Called once the HTTP server listens: in-process sandboxes push to this gateway's callback
   * endpoints (WeChat's message URL carries `$APPID$`, which the host replaces with the app id).
   */
  async gatewayListening(baseUrl: string): Promise<void> {
    if (this.sandboxes.size === 0) return;
    const base = (this.config.PUBLIC_URL ?? baseUrl).replace(/\/+$/, '');
    for (const [host, sandbox] of this.sandboxes) sandbox.setCallbackUrl(callbackUrlFor(base, host));
  }

  private async startSandboxes(): Promise<void> {
    if (this.config.SANDBOX_URL) {
      this.control = new SandboxControl(this.config.SANDBOX_URL);
      for (const info of await this.control.hosts()) {
        this.baseUrls.set(info.host, info.baseUrl);
        this.secrets.set(info.host, info.callbackSecrets);
      }
      this.logger.log(`using the standalone host sandboxes at ${this.config.SANDBOX_URL}`);
      return;
    }
    try {
      for (const host of HOST_IDS) {
        const sandbox = HOST_REGISTRY[host].createSandbox();
        this.sandboxes.set(host, sandbox);
        this.baseUrls.set(host, await sandbox.start());
        this.secrets.set(host, { ...sandbox.callbackSecrets });
      }
      this.admin = new SandboxAdminServer(this.sandboxes, () => sandboxReviewPolicy(this.config));
      this.control = new SandboxControl(await this.admin.start());
    } catch (err) {
      await this.stopSandboxes();
      throw err;
    }
    this.logger.log(`host sandboxes listening: ${HOST_IDS.map((h) => `${h} ${this.baseUrls.get(h)}`).join(', ')}; sandbox admin ${this.control.adminUrl}`);
  }

  private readLiveCallbackSecrets(): void {
    if (!this.config.HOST_CALLBACK_SECRETS) return;
    const parsed = JSON.parse(this.config.HOST_CALLBACK_SECRETS) as Record<string, unknown>;
    for (const host of HOST_IDS) {
      const value = parsed[host];
      if (value && typeof value === 'object') this.secrets.set(host, value as CallbackSecrets);
    }
  }

  private async stopSandboxes(): Promise<void> {
    const running = [...this.sandboxes.values()];
    this.sandboxes.clear();
    await this.admin?.stop();
    this.admin = null;
    await Promise.allSettled(running.map((s) => s.stop()));
  }
}

/** Where a host's pushes go on a gateway at `base`: `/hosts/<host>/callbacks` (WeChat adds `$APPID$`). */
export function callbackUrlFor(base: string, host: HostId): string {
  const path = `${base}/hosts/${host.toLowerCase()}/callbacks`;
  return host === 'WECHAT' ? `${path}/$APPID$` : path;
}
