import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  createHttpTransport,
  HOST_IDS,
  InMemoryTokenStore,
  type HostAdapter,
  type HostId,
  type HostSandbox,
  type HttpTransport,
} from '../../adapters/core/index.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { buildHostAdapters, HOST_REGISTRY } from './host-adapter.registry.js';

/** Every host call while HOSTS_MODE=off ends here, before any network use. */
export class HostCallsOffError extends Error {
  constructor(url: string) {
    super(`host calls are off (HOSTS_MODE=off); refused a call to ${new URL(url).origin}`);
    this.name = 'HostCallsOffError';
  }
}

const refusingTransport: HttpTransport = (req) => Promise.reject(new HostCallsOffError(req.url));

/**
 * The adapters this instance uses, one per host, and in sandbox mode the four host sandboxes
 * they talk to, started on free loopback ports with the gateway and stopped with it.
 */
@Injectable()
export class HostRuntime implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Hosts');
  private readonly sandboxes = new Map<HostId, HostSandbox>();
  private readonly baseUrls = new Map<HostId, string>();
  private adapters: Partial<Record<HostId, HostAdapter>> = {};

  constructor(private readonly config: GatewayConfig) {}

  get mode(): GatewayConfig['HOSTS_MODE'] {
    return this.config.HOSTS_MODE;
  }

  async onModuleInit(): Promise<void> {
    if (this.mode === 'sandbox') {
      try {
        for (const host of HOST_IDS) {
          const sandbox = HOST_REGISTRY[host].createSandbox();
          this.sandboxes.set(host, sandbox);
          this.baseUrls.set(host, await sandbox.start());
        }
      } catch (err) {
        await this.stopSandboxes();
        throw err;
      }
      this.logger.log(`host sandboxes listening: ${HOST_IDS.map((h) => `${h} ${this.baseUrls.get(h)}`).join(', ')}`);
    } else {
      for (const host of HOST_IDS) this.baseUrls.set(host, HOST_REGISTRY[host].productionBaseUrl);
    }
    // Tokens live in this process until the credential vault keeps them in PostgreSQL.
    const http = this.mode === 'off' ? refusingTransport : createHttpTransport();
    const tokenStore = new InMemoryTokenStore();
    this.adapters = buildHostAdapters(Object.fromEntries(HOST_IDS.map((h) => [h, { baseUrl: this.baseUrls.get(h)!, http, tokenStore }])));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopSandboxes();
  }

  adapter(host: HostId): HostAdapter {
    const adapter = this.adapters[host];
    if (!adapter) throw new Error(`no adapter was built for ${host}`);
    return adapter;
  }

  /** The base URL this instance calls for a host; null when host calls are off. */
  baseUrl(host: HostId): string | null {
    return this.mode === 'off' ? null : (this.baseUrls.get(host) ?? null);
  }

  /** The running sandbox of a host (sandbox mode only), for the demo and the e2e suites. */
  sandbox(host: HostId): HostSandbox | null {
    return this.sandboxes.get(host) ?? null;
  }

  private async stopSandboxes(): Promise<void> {
    const running = [...this.sandboxes.values()];
    this.sandboxes.clear();
    await Promise.allSettled(running.map((s) => s.stop()));
  }
}
