import type { AdapterOptions, HostAdapterFactory } from '../core/index.js';
import { AlipayAdapter } from './alipay.adapter.js';
import { checkAlipayCredentials, type AlipayCredentials } from './alipay.credentials.js';
import { ALIPAY_PROFILE } from './alipay.profile.js';

export function validateAlipayOptions(options: AdapterOptions): void {
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(options.baseUrl);
  } catch {
    problems.push(`baseUrl is not a URL: ${JSON.stringify(options.baseUrl)}`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('baseUrl must be http(s)');
  // System params are added to the gateway URL's query (A1.1), so it must not carry one.
  if (url && (url.search || url.hash || url.username)) problems.push('baseUrl must not carry a query, fragment or credentials');
  if (typeof options.http !== 'function') problems.push('http transport is required');
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) problems.push('timeoutMs must be a positive number');
  if (problems.length > 0) throw new Error(`Alipay adapter options: ${problems.join('; ')}`);
}

export const alipayAdapterFactory: HostAdapterFactory<AlipayCredentials> = {
  hostId: 'ALIPAY',
  profile: ALIPAY_PROFILE,
  validateOptions: validateAlipayOptions,
  create(options) {
    validateAlipayOptions(options);
    return new AlipayAdapter(options);
  },
  checkCredentials: checkAlipayCredentials,
};
