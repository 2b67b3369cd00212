import { Agent, request } from 'undici';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-call deadline in milliseconds. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text(): string;
}

/** The transport adapters are given. Injected so tests can count, refuse or fake calls. */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;

export class HttpTimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${new URL(url).origin} within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

export class HttpNetworkError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach ${new URL(url).origin}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'HttpNetworkError';
  }
}

// One keep-alive pool per process; every call has a deadline so a hung host never hangs a worker.
const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

export function createHttpTransport(options: { defaultTimeoutMs?: number; agent?: Agent } = {}): HttpTransport {
  const agent = options.agent ?? sharedAgent;
  const defaultTimeout = options.defaultTimeoutMs ?? 10_000;
  return async (req) => {
    const timeoutMs = req.timeoutMs ?? defaultTimeout;
    // The deadline is cleared once the answer is in: AbortSignal.timeout's timer would fire later
    // anyway, after every call, building an error no one reads.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: deadline.signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
      }
      return { status: res.statusCode, headers, body, text: () => body.toString('utf8') };
    } catch (err) {
      // The abort signal fails with a DOMException whose `code` is a number (23), so read the name too.
      const { code, name } = err as { code?: unknown; name?: string };
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError' || name === 'AbortError') {
        throw new HttpTimeoutError(req.url, timeoutMs);
      }
      throw new HttpNetworkError(req.url, err);
    } finally {
      clearTimeout(timer);
    }
  };
}
