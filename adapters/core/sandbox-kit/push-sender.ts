import type { SandboxFaults } from '../sandbox.js';

/** One push as the host sends it: the body, its content type and any query parameters. */
export interface OutgoingPush {
  body: string;
  contentType: string;
  query?: Record<string, string>;
}

export interface PushDelivery {
  url: string;
  status: number | null;
  /** What the receiver answered (`success` ...). */
  reply: string | null;
  error: string | null;
  at: Date;
}

type PushFaults = Pick<SandboxFaults, 'pushDelayMs' | 'reorderPushes' | 'duplicatePushes'>;

/**
 * Posts a sandbox's pushes to its callback URL with the push faults applied: delayed pushes
 * wait together and, with `reorderPushes`, leave newest first; `duplicatePushes` sends each
 * twice. A push given as a function is built again for its duplicate (hosts that re-encrypt a
 * retry); a push given as a value is sent again unchanged. `hold()` keeps every push back until
 * `release()`: a delay the test ends itself, so "arrives late" never depends on a wall-clock window.
 */
export class PushSender {
  readonly deliveries: PushDelivery[] = [];
  private pending: Array<{ url: string; build: () => OutgoingPush }> = [];
  private timer: NodeJS.Timeout | null = null;
  private held = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly faults: PushFaults) {}

  enqueue(url: string | null, push: OutgoingPush | (() => OutgoingPush)): void {
    if (!url) return;
    this.pending.push({ url, build: typeof push === 'function' ? push : () => push });
    if (this.held) return;
    if (this.faults.pushDelayMs <= 0) return void this.track(this.flush(false));
    this.timer ??= setTimeout(() => this.track(this.flush(true)), this.faults.pushDelayMs);
  }

  /** Keeps every push back (pushes already in flight still arrive) until `release()`. */
  hold(): void {
    this.held = true;
  }

  /** Sends what was held, newest first with `reorderPushes`, and stops holding. */
  release(): void {
    this.held = false;
    if (this.timer) clearTimeout(this.timer);
    this.track(this.flush(true));
  }

  /** Pushes queued and not yet sent (held, or waiting out `pushDelayMs`). */
  get waiting(): number {
    return this.pending.length;
  }

  /** Waits for pushes already sent or scheduled to reach the receiver (held pushes are not waited for). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timer) {
      if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.held = false;
    this.pending = [];
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Sends everything pending; `late` pushes (delayed or held) leave newest first with `reorderPushes`. */
  private async flush(late: boolean): Promise<void> {
    this.timer = null;
    const batch = this.faults.reorderPushes && late ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const item of batch) {
      await this.send(item.url, item.build());
      if (this.faults.duplicatePushes) await this.send(item.url, item.build());
    }
  }

  private async send(url: string, push: OutgoingPush): Promise<void> {
    const target = new URL(url);
    for (const [k, v] of Object.entries(push.query ?? {})) target.searchParams.set(k, v);
    try {
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': push.contentType }, body: push.body, signal: AbortSignal.timeout(5_000) });
      this.deliveries.push({ url, status: res.status, reply: await res.text(), error: null, at: new Date() });
    } catch (err) {
      this.deliveries.push({ url, status: null, reply: null, error: (err as Error).message, at: new Date() });
    }
  }
}
