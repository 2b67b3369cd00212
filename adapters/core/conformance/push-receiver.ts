import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readRequestBody } from '../sandbox-kit/index.js';
import type { ParsedCallback, RawCallback } from '../callbacks.js';

export interface ReceivedPush {
  raw: RawCallback;
  parsed: ParsedCallback | null;
  error: unknown;
}

/**
 * A loopback endpoint standing in for the gateway's push inbox: it keeps every push exactly as
 * received and answers with what `parse` (the adapter's parseCallback) says, so the sandbox sees
 * the reply the host would.
 */
export class ConformancePushReceiver {
  readonly received: ReceivedPush[] = [];
  private readonly server = new LoopbackServer((req, res) => this.receive(req, res));

  constructor(private readonly parse: (raw: RawCallback) => ParsedCallback) {}

  /** Starts on 127.0.0.1:0 and returns the base URL (no trailing slash). */
  start(): Promise<string> {
    return this.server.listen(0);
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readRequestBody(req);
    const url = new URL(req.url ?? '/', 'http://receiver');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const raw: RawCallback = { method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
    try {
      const parsed = this.parse(raw);
      this.received.push({ raw, parsed, error: null });
      res.writeHead(parsed.reply.status, { 'content-type': parsed.reply.contentType }).end(parsed.reply.body);
    } catch (error) {
      this.received.push({ raw, parsed: null, error });
      res.writeHead(400, { 'content-type': 'text/plain' }).end('refused');
    }
  }

  /** Accepted pushes carrying at least one review event for this app. */
  reviewPushesFor(hostAppId: string): ParsedCallback[] {
    return this.received.flatMap((r) =>
      r.parsed && r.parsed.events.some((e) => e.type.startsWith('REVIEW_') && 'hostAppId' in e && e.hostAppId === hostAppId) ? [r.parsed] : [],
    );
  }

  /**
   * Review event types received for this app, push by push in arrival order. A push that reports
   * one result several times (Douyin: one entry per host app) counts once.
   */
  reviewEventTypes(hostAppId: string): string[] {
    return this.reviewPushesFor(hostAppId).flatMap((p) => [
      ...new Set(p.events.filter((e) => e.type.startsWith('REVIEW_') && 'hostAppId' in e && e.hostAppId === hostAppId).map((e) => e.type)),
    ]);
  }

  stop(): Promise<void> {
    return this.server.close();
  }
}
