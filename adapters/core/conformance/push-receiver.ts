import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  private server: Server | null = null;

  constructor(private readonly parse: (raw: RawCallback) => ParsedCallback) {}

  /** Starts on 127.0.0.1:0 and returns the base URL (no trailing slash). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        const raw: RawCallback = { method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: Buffer.concat(chunks).toString('utf8') };
        try {
          const parsed = this.parse(raw);
          this.received.push({ raw, parsed, error: null });
          res.writeHead(parsed.reply.status, { 'content-type': parsed.reply.contentType }).end(parsed.reply.body);
        } catch (error) {
          this.received.push({ raw, parsed: null, error });
          res.writeHead(400, { 'content-type': 'text/plain' }).end('refused');
        }
      });
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Accepted pushes carrying at least one review event for this app. */
  reviewPushesFor(hostAppId: string): ParsedCallback[] {
    return this.received.flatMap((r) => (r.parsed && r.parsed.events.some((e) => e.type.startsWith('REVIEW_') && 'hostAppId' in e && e.hostAppId === hostAppId) ? [r.parsed] : []));
  }

  /**
   * Review event types received for this app, push by push in arrival order. A push that reports
   * one result several times (Douyin: one entry per host app) counts once.
   */
  reviewEventTypes(hostAppId: string): string[] {
    return this.reviewPushesFor(hostAppId).flatMap((p) => [...new Set(p.events.filter((e) => e.type.startsWith('REVIEW_') && 'hostAppId' in e && e.hostAppId === hostAppId).map((e) => e.type))]);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
