import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FieldViolation } from '../common/gateway-error.js';

/**
 * Why `address` is not a public unicast address ('loopback', 'private', 'linkLocal',
 * 'uniqueLocal', 'carrierGradeNat', 'multicast', 'reserved', ... as ipaddr.js names its ranges),
 * or null when it is one. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6
 * addresses are judged by their IPv4 address; NAT64, 6to4 and Teredo addresses, which also
 * carry an IPv4 address inside, are refused as ranges of their own.
 */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((p) => p === 0)) {
      // ::a.b.c.d (deprecated IPv4-compatible form), :: and ::1 included.
      const range = v6.range();
      if (range !== 'unicast') return range;
      const [hi, lo] = v6.parts.slice(6);
      ip = ipaddr.IPv4.parse(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
  }
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** The hostname of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

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
