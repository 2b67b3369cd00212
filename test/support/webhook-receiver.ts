import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  /** The status the receiver answered. */
  answered: number;
  /** The signature checked out with the secret, over the raw body, within 5 minutes. */
  signatureValid: boolean;
}

/**
 * A plain node:http receiver that checks signatures the way the README tells partners to,
 * written here from that description and not from the gateway's signer: parse
 * `t=<unix>,v1=<hex>`, HMAC-SHA256 over `${t}.${rawBody}` with the secret, compare in constant time.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secret = '';
  /** Answer with this status (else 200); may look at what arrived so far. */
  respond: (req: { raw: string; index: number }) => number = () => 200;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const answered = this.respond({ raw, index: this.received.length });
        this.received.push({
          at: Date.now(),
          headers: req.headers,
          raw,
          answered,
          signatureValid: verify(String(req.headers['x-gateway-signature'] ?? ''), raw, this.secret),
        });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : `receiver says no (${answered})`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  /** Bodies the receiver accepted (answered 200), parsed. */
  accepted(): Array<{ type: string; cursor: string; event: Record<string, any> }> {
    return this.received.filter((r) => r.answered === 200).map((r) => JSON.parse(r.raw));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function verify(header: string, raw: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  if (Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}
