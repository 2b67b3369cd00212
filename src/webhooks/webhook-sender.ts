import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { bareHost, nonPublicRange, publicOnlyLookup } from '../common/outbound-address.js';

export interface SenderOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  allowPrivate: boolean;
}

export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  /** Why the attempt failed, for the delivery log (never the request's headers or secret). */
  error: string | null;
}

class RefusedAddress extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddress';
  }
}

const SNIPPET = 200;

/** Posts webhook bodies with undici: a deadline on the whole call, no redirects, answers read up to a cap. */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({
      connect: { lookup: publicOnlyLookup(options.allowPrivate, (m) => new RefusedAddress(m)), timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4_000,
    });
  }

  async post(rawUrl: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(rawUrl);
    // An address written in the URL is connected to without a lookup: check it here.
    const host = bareHost(url);
    if (!this.options.allowPrivate && isIP(host)) {
      const range = nonPublicRange(host);
      if (range) return { ok: false, status: null, latencyMs: 0, error: `refused: ${host} is a ${range} address (WEBHOOKS_ALLOW_PRIVATE is off)` };
    }
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'mini-program-gateway-webhooks/1', ...headers },
        body,
        dispatcher: this.agent,
        // undici's request follows no redirect: a 3xx is a failed attempt like any non-2xx.
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await this.readCapped(res.body);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return {
        ok,
        status: res.statusCode,
        latencyMs: elapsed(),
        error: ok ? null : `HTTP ${res.statusCode}${text ? `: ${text.slice(0, SNIPPET)}` : ''}`,
      };
    } catch (err) {
      return { ok: false, status: null, latencyMs: elapsed(), error: describe(err, this.options.timeoutMs) };
    }
  }

  /** The answer's first bytes as text; reading stops at the cap and the rest is dropped. */
  private async readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= this.options.maxResponseBytes) {
        body.destroy();
        break;
      }
    }
    return Buffer.concat(chunks)
      .subarray(0, Math.max(0, Math.min(size, this.options.maxResponseBytes)))
      .toString('utf8');
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function describe(err: unknown, timeoutMs: number): string {
  let e: unknown = err;
  // undici wraps the connector's error as the cause.
  while (e instanceof Error && !(e instanceof RefusedAddress) && e.cause instanceof Error) e = e.cause;
  if (e instanceof RefusedAddress) return `refused: ${e.message} (WEBHOOKS_ALLOW_PRIVATE is off)`;
  const error = e as NodeJS.ErrnoException;
  if (error?.name === 'TimeoutError' || error?.name === 'AbortError' || /Timeout/i.test(error?.code ?? '')) return `no answer within ${timeoutMs} ms`;
  if (error?.code) return `${error.code}: ${error.message}`.slice(0, SNIPPET);
  return (error?.message ?? String(err)).slice(0, SNIPPET);
}
