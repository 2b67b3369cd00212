import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { bareHost, nonPublicRange, publicOnlyLookup } from '../common/outbound-address.js';

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
  const literal = bareHost(url);
  const range = isIP(literal) && !options.allowPrivate ? nonPublicRange(literal) : null;
  if (range) throw new IconFetchError('iconAddressRefused', `the icon URL points at ${literal}, a ${range} address`);
  const dispatcher = new Agent({
    connect: { lookup: publicOnlyLookup(options.allowPrivate, (m) => new IconFetchError('iconAddressRefused', m)), timeout: options.timeoutMs },
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
