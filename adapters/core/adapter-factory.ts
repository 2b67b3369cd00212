import type { AdapterOptions, HostAdapter, HostAdapterFactory, HostProfile } from './host-adapter.js';
import type { HostId } from './host-id.js';

/**
 * Problems with the options every adapter takes, in words an operator can act on at boot.
 * `needsTokenStore`: the host issues access tokens the adapter must cache (Alipay signs instead).
 */
export function adapterOptionProblems(options: AdapterOptions, needsTokenStore: boolean): string[] {
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(options.baseUrl);
  } catch {
    problems.push(`baseUrl is not a URL: ${JSON.stringify(options.baseUrl)}`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('baseUrl must be http(s)');
  // Adapters add their own query parameters (tokens, Alipay's system params) to the base URL.
  if (url && (url.search || url.hash || url.username || url.password)) problems.push('baseUrl must not carry a query, fragment or credentials');
  if (typeof options.http !== 'function') problems.push('http transport is required');
  if (needsTokenStore) {
    const store = options.tokenStore as unknown as Record<string, unknown> | undefined;
    if (!store || typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function')
      problems.push('tokenStore is required');
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
  return problems;
}

/** A host's factory: options are checked (throwing one line naming the host) before `create` builds. */
export function defineHostAdapterFactory<C>(spec: {
  hostId: HostId;
  /** Short name for messages: `WeChat`, `Douyin`. */
  label: string;
  profile: HostProfile;
  needsTokenStore: boolean;
  build(options: AdapterOptions): HostAdapter<C>;
  checkCredentials(credentials: unknown): string[];
}): HostAdapterFactory<C> {
  const validateOptions = (options: AdapterOptions): void => {
    const problems = adapterOptionProblems(options, spec.needsTokenStore);
    if (problems.length > 0) throw new Error(`${spec.label} adapter options: ${problems.join('; ')}`);
  };
  return {
    hostId: spec.hostId,
    profile: spec.profile,
    validateOptions,
    create(options) {
      validateOptions(options);
      return spec.build(options);
    },
    checkCredentials: (credentials) => spec.checkCredentials(credentials),
  };
}
