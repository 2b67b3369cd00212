import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FieldViolation } from '../common/gateway-error.js';
import { bareHost, nonPublicRange } from '../common/outbound-address.js';

export type Resolver = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Every reason `raw` cannot be a webhook URL, naming the field: an http(s) URL without
 * credentials, whose host resolves only to public addresses (every address checked, IPv4 and
 * IPv6) unless `allowPrivate` (WEBHOOKS_ALLOW_PRIVATE).
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean, resolve: Resolver = resolveAll, field = 'url'): Promise<FieldViolation | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { field, rule: 'isUrl', message: `${field} is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { field, rule: 'httpUrl', message: `${field} must use http or https, not ${url.protocol.slice(0, -1)}` };
  if (url.username || url.password) return { field, rule: 'noCredentials', message: `${field} must not carry a user name or password` };
  if (url.hash) return { field, rule: 'noFragment', message: `${field} must not have a #fragment` };
  if (allowPrivate) return null;
  const host = bareHost(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return { field, rule: 'resolvable', message: `${field}: the host ${host} does not resolve` };
    }
    if (addresses.length === 0) return { field, rule: 'resolvable', message: `${field}: the host ${host} does not resolve` };
  }
  for (const address of addresses) {
    const range = nonPublicRange(address);
    if (range) {
      return {
        field,
        rule: 'publicAddress',
        message: `${field}: ${host === address ? host : `${host} resolves to ${address}`}, a ${range} address; webhooks go to public addresses only (the operator setting WEBHOOKS_ALLOW_PRIVATE allows others)`,
      };
    }
  }
  return null;
}
