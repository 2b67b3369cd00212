import { WebSocket } from 'ws';

export interface WsMessage {
  type: string;
  id?: string;
  payload?: any;
}

/**
 * A bare graphql-transport-ws client (no library between the test and the wire): it sends
 * connection_init with `params`, records every message and the close code and reason.
 */
export class LiveClient {
  readonly messages: WsMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private readonly socket: WebSocket;
  private readonly opened: Promise<void>;
  private readonly closedPromise: Promise<{ code: number; reason: string }>;

  constructor(baseUrl: string, params: Record<string, unknown> | null) {
    this.socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closedPromise = new Promise((resolve) =>
      this.socket.once('close', (code, reason) => {
        this.closed = { code, reason: reason.toString('utf8') };
        resolve(this.closed);
      }),
    );
    this.socket.on('message', (data) => this.messages.push(JSON.parse((data as Buffer).toString('utf8')) as WsMessage));
    void this.opened.then(() => this.socket.send(JSON.stringify({ type: 'connection_init', ...(params ? { payload: params } : {}) })));
  }

  /** Resolves once the server acknowledged the connection; rejects with the close when refused. */
  async acknowledged(timeoutMs = 10_000): Promise<void> {
    await this.until(() => this.messages.some((m) => m.type === 'connection_ack'), timeoutMs);
  }

  closure(): Promise<{ code: number; reason: string }> {
    return this.closedPromise;
  }

  subscribe(id: string, query: string, variables: Record<string, unknown> = {}): void {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  complete(id: string): void {
    this.socket.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** The `next` payloads received for subscription `id`. */
  nexts(id: string): any[] {
    return this.messages.filter((m) => m.id === id && m.type === 'next').map((m) => m.payload);
  }

  errors(id: string): any[] {
    return this.messages.filter((m) => m.id === id && m.type === 'error').flatMap((m) => m.payload);
  }

  /** Waits until `predicate` holds, or fails with what was received (and the close, if any). */
  async until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline || (this.closed && !predicate()))
        throw new Error(`not seen within ${timeoutMs} ms; closed: ${JSON.stringify(this.closed)}; messages: ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000);
    await this.closedPromise;
  }
}
