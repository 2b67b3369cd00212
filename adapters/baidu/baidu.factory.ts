import type { AdapterOptions, HostAdapterFactory } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import { checkBaiduCredentials, type BaiduCredentials } from './baidu.credentials.js';
import { BAIDU_PROFILE } from './baidu.profile.js';

export function validateBaiduOptions(options: AdapterOptions): void {
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
  if (problems.length > 0) throw new Error(`Baidu adapter options: ${problems.join('; ')}`);
}

export const baiduAdapterFactory: HostAdapterFactory<BaiduCredentials> = {
  hostId: 'BAIDU',
  profile: BAIDU_PROFILE,
  validateOptions: validateBaiduOptions,
  create(options) {
    validateBaiduOptions(options);
    return new BaiduAdapter(options);
  },
  checkCredentials: checkBaiduCredentials,
};
