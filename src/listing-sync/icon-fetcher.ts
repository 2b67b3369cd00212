import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';

/** Why an icon could not be fetched or used; `rule` names it for the API's error. */
export class IconFetchError extends Error {
  constructor(
    readonly rule: 'iconUrlScheme' | 'iconAddressRefused' | 'iconFetchFailed' | 'iconTooLarge' | 'iconChecksumMismatch' | 'iconNotAnImage',
    message: string,
  ) {
    super(message);
    this.name = 'IconFetchError';
  }
}

export interface IconFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Loopback and private addresses allowed (tests serve icons from a loopback server). */
  allowPrivate: boolean;
}

export interface FetchedIcon {
  bytes: Buffer;
  /** What the server said; the image's real type is read from its bytes when it is prepared. */
  contentType: string | null;
  sha256: string;
}

// Addresses an icon URL may not reach unless ICON_FETCH_ALLOW_PRIVATE: loopback, private,
// link-local, carrier-grade NAT, benchmarking, multicast, reserved and unspecified ranges.
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Whether `address` (an IP literal) is loopback, private or otherwise not a public host. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/**
 * A DNS lookup that refuses private answers: the check happens on the addresses the socket then
 * connects to, so a name that resolves differently the second time (DNS rebinding) gains nothing.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses;
      const refused = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(new IconFetchError('iconAddressRefused', `${hostname} resolves to ${refused.address}, a private address`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * Fetches an icon over http(s) with a size and a time limit, no redirects, and loopback and
 * private addresses refused unless allowed; returns its bytes and sha256.
 */
export async function fetchIcon(rawUrl: string, options: IconFetchOptions): Promise<FetchedIcon> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new IconFetchError('iconUrlScheme', `the icon URL ${rawUrl} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new IconFetchError('iconUrlScheme', `icons are fetched over http or https only, not ${url.protocol}`);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal))
    throw new IconFetchError('iconAddressRefused', `the icon URL points at ${literal}, a private address`);
  const dispatcher = new Agent({
    connect: { lookup: guardedLookup(options.allowPrivate), timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await request(url, { method: 'GET', dispatcher, signal, headers: { accept: 'image/*' } });
    if (res.statusCode !== 200) {
      await res.body.dump();
      const where = res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed: give the final URL)' : '';
      throw new IconFetchError('iconFetchFailed', `the icon URL answered HTTP ${res.statusCode}${where}`);
    }
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      res.body.destroy();
      throw new IconFetchError('iconTooLarge', `the icon is ${declared} bytes; at most ${options.maxBytes} are fetched`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        res.body.destroy();
        throw new IconFetchError('iconTooLarge', `the icon is over ${options.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    const type = res.headers['content-type'];
    return { bytes, contentType: typeof type === 'string' ? type : null, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (err) {
    if (err instanceof IconFetchError) throw err;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof IconFetchError) throw cause;
    const e = err as Error;
    throw new IconFetchError(
      'iconFetchFailed',
      `the icon could not be fetched: ${e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${options.timeoutMs} ms` : e.message}`,
    );
  } finally {
    await dispatcher.close();
  }
}

/** Fetches the icon and checks it is the image the definition declares. */
export async function fetchCheckedIcon(icon: { url: string; sha256: string }, options: IconFetchOptions): Promise<FetchedIcon> {
  const fetched = await fetchIcon(icon.url, options);
  if (fetched.sha256 !== icon.sha256)
    throw new IconFetchError('iconChecksumMismatch', `the icon at ${icon.url} has sha256 ${fetched.sha256}; the definition declares ${icon.sha256}`);
  return fetched;
}
