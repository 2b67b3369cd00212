import { HOST_IDS, type AdapterOptions, type HostAdapter, type HostAdapterFactory, type HostId, type HostSandbox } from '../../adapters/core/index.js';
import { ALIPAY_PRODUCTION_BASE_URL, alipayAdapterFactory, AlipaySandbox } from '../../adapters/alipay/index.js';
import { BAIDU_PRODUCTION_BASE_URL, baiduAdapterFactory, BaiduSandbox } from '../../adapters/baidu/index.js';
import { BYTEDANCE_PRODUCTION_BASE_URL, bytedanceAdapterFactory, BytedanceSandbox } from '../../adapters/bytedance/index.js';
import { WECHAT_PRODUCTION_BASE_URL, wechatAdapterFactory, WechatSandbox } from '../../adapters/wechat/index.js';

/** Sandbox knobs the standalone sandboxes take as settings. */
export interface SandboxSettings {
  /** WeChat's platform-wide monthly submit_audit quota (default 20, as seen in the wild). */
  wechatAuditQuota?: number;
}

/** What the gateway needs to know of one host folder. */
export interface HostRegistration {
  factory: HostAdapterFactory;
  /** Where the host's real open-platform API answers (HOSTS_MODE=live). */
  productionBaseUrl: string;
  /** The host's sandbox (HOSTS_MODE=sandbox, the demo and the e2e suites). */
  createSandbox(settings?: SandboxSettings): HostSandbox;
}

/**
 * Every host the gateway speaks to, one entry each (STYLE 8.8 "Explicit registry"). Adding a
 * host is one folder in adapters/, its id in HOST_IDS and one entry here; the Record type makes
 * a missing entry a compile error. Sandboxes push no tickets on a timer: the gateway has no
 * push inbox yet, and `createApp` hands out the current ticket.
 */
export const HOST_REGISTRY: Readonly<Record<HostId, HostRegistration>> = {
  WECHAT: {
    factory: wechatAdapterFactory,
    productionBaseUrl: WECHAT_PRODUCTION_BASE_URL,
    createSandbox: (s) => new WechatSandbox({ ticketIntervalMs: 0, auditQuota: s?.wechatAuditQuota }),
  },
  ALIPAY: { factory: alipayAdapterFactory, productionBaseUrl: ALIPAY_PRODUCTION_BASE_URL, createSandbox: () => new AlipaySandbox() },
  BAIDU: { factory: baiduAdapterFactory, productionBaseUrl: BAIDU_PRODUCTION_BASE_URL, createSandbox: () => new BaiduSandbox({ ticketIntervalMs: 0 }) },
  BYTEDANCE: {
    factory: bytedanceAdapterFactory,
    productionBaseUrl: BYTEDANCE_PRODUCTION_BASE_URL,
    createSandbox: () => new BytedanceSandbox({ ticketIntervalMs: 0 }),
  },
};

export const HOST_ADAPTER_FACTORIES = Object.fromEntries(Object.entries(HOST_REGISTRY).map(([host, r]) => [host, r.factory])) as Readonly<
  Record<HostId, HostAdapterFactory>
>;

export type HostAdapters = Partial<Record<HostId, HostAdapter>>;

/** The factory of one host; throws when the host has none (a wiring mistake, not user input). */
export function hostAdapterFactory(hostId: HostId): HostAdapterFactory {
  const factory = HOST_ADAPTER_FACTORIES[hostId];
  if (!factory) throw new Error(`no adapter is registered for host ${hostId}`);
  return factory;
}

/**
 * Builds the adapters of the hosts given options, after checking every host's options, so a
 * bad base URL or a missing transport fails at boot with one message naming each host.
 */
export function buildHostAdapters(optionsByHost: Partial<Record<HostId, AdapterOptions>>): HostAdapters {
  const problems: string[] = [];
  const ready: Array<[HostId, HostAdapterFactory, AdapterOptions]> = [];
  for (const [key, options] of Object.entries(optionsByHost)) {
    if (options === undefined) continue;
    const hostId = HOST_IDS.find((h) => h === key);
    const factory = hostId ? HOST_ADAPTER_FACTORIES[hostId] : undefined;
    if (!hostId || !factory) {
      problems.push(`${key}: no adapter is registered for this host (known: ${Object.keys(HOST_ADAPTER_FACTORIES).join(', ')})`);
      continue;
    }
    try {
      factory.validateOptions(options);
      ready.push([hostId, factory, options]);
    } catch (err) {
      problems.push(`${hostId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) throw new Error(`Host adapter options are unusable:\n- ${problems.join('\n- ')}`);
  const adapters: HostAdapters = {};
  for (const [hostId, factory, options] of ready) adapters[hostId] = factory.create(options);
  return adapters;
}
