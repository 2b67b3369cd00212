import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedCallback, RawCallback } from '../../core/index.js';

/** A loopback endpoint that hands each push to `parse` (an adapter's parseCallback) and keeps the results. */
export class PushReceiver {
  readonly accepted: ParsedCallback[] = [];
  readonly refused: Error[] = [];
  private server: Server | null = null;
  url = '';

  constructor(private readonly parse: (raw: RawCallback) => ParsedCallback) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const raw: RawCallback = { method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: Buffer.concat(chunks).toString('utf8') };
        try {
          const parsed = this.parse(raw);
          this.accepted.push(parsed);
          res.writeHead(parsed.reply.status, { 'content-type': parsed.reply.contentType }).end(parsed.reply.body);
        } catch (err) {
          this.refused.push(err as Error);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks/wechat`;
    return this.url;
  }

  events() {
    return this.accepted.flatMap((p) => p.events);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
