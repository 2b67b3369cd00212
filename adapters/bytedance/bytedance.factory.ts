import type { AdapterOptions, HostAdapterFactory } from '../core/index.js';
import { BytedanceAdapter } from './bytedance.adapter.js';
import { checkBytedanceCredentials, type BytedanceCredentials } from './bytedance.credentials.js';
import { BYTEDANCE_PROFILE } from './bytedance.profile.js';

export function validateBytedanceOptions(options: AdapterOptions): void {
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(options.baseUrl);
  } catch {
    problems.push(`baseUrl is not a URL: ${JSON.stringify(options.baseUrl)}`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('baseUrl must be http(s)');
  if (url && (url.search || url.hash || url.username || url.password)) problems.push('baseUrl must not carry a query, fragment or credentials');
  if (typeof options.http !== 'function') problems.push('http transport is required');
  const store = options.tokenStore as unknown as Record<string, unknown> | undefined;
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') problems.push('tokenStore is required');
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
  if (problems.length > 0) throw new Error(`Douyin adapter options: ${problems.join('; ')}`);
}

export const bytedanceAdapterFactory: HostAdapterFactory<BytedanceCredentials> = {
  hostId: 'BYTEDANCE',
  profile: BYTEDANCE_PROFILE,
  validateOptions: validateBytedanceOptions,
  create(options) {
    validateBytedanceOptions(options);
    return new BytedanceAdapter(options);
  },
  checkCredentials: checkBytedanceCredentials,
};
