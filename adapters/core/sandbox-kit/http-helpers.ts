import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Holds a call for `ms` like a hung host, but lets go as soon as the caller gives up, so no
 * timer outlives the connection (a stopped sandbox must not keep the process alive). Resolves
 * true when the caller is gone and nothing should be answered.
 */
export async function hangUnlessAbandoned(res: ServerResponse, ms: number): Promise<boolean> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return res.destroyed || res.writableEnded;
}

/** A sandbox's HTTP server on 127.0.0.1; `handle` answers every request. */
export class LoopbackServer {
  private server: Server | null = null;

  /** `faults`: with `shouldResetAfterAct`, a drawn call is handled (the host acts) and its answer dropped. */
  constructor(
    private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    private readonly faults?: { shouldResetAfterAct(): boolean },
  ) {}

  /** Listens on `port` (0: a free one) and resolves to the base URL. */
  async listen(port = 0): Promise<string> {
    // A handler that fails anyway (a client gone mid-body) only loses that connection.
    const server = createServer((req, res) => {
      // Reset after the host acted: the call is routed as usual, then the connection is cut
      // instead of answering, so the caller cannot tell whether it took effect.
      if (this.faults?.shouldResetAfterAct()) res.end = () => res.destroy();
      void this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Drops open connections (a hung call included) and stops listening. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
