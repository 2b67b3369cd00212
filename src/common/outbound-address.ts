import ipaddr from 'ipaddr.js';
import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

// The addresses the gateway's own outbound calls (webhooks, icon fetches) may reach: public
// unicast only, unless an operator setting allows others. One policy for every caller.

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

/** The hostname of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * A DNS lookup for an undici Agent's `connect.lookup` that resolves the name once per connection,
 * checks every address and connects only to checked ones: a name that changed its answer since
 * it was checked (DNS rebinding) is refused at connect time, not trusted. `refuse` builds the error.
 */
export function publicOnlyLookup(allowPrivate: boolean, refuse: (message: string) => Error): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...(options as object), all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      if (!allowPrivate) {
        for (const a of addresses) {
          const range = nonPublicRange(a.address);
          if (range) return callback(refuse(`${hostname} resolves to ${a.address}, a ${range} address`), '', 4);
        }
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
