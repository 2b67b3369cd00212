import { randomAlnum, sandboxEncrypt, sandboxSignature } from './sandbox-crypto.js';
import type { BytedanceSandboxFaults } from './sandbox-faults.js';

export interface PushSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

/** The JSON envelope of C4: `{Nonce, TimeStamp, Encrypt, MsgSignature}`; each build has a fresh nonce and random prefix. */
export function buildPush(secrets: PushSecrets, message: Record<string, unknown>, override: { token?: string; appId?: string } = {}): string {
  const Encrypt = sandboxEncrypt(secrets.encodingAesKey, override.appId ?? secrets.componentAppId, JSON.stringify(message));
  const TimeStamp = String(Math.floor(Date.now() / 1000));
  const Nonce = randomAlnum(16);
  const MsgSignature = sandboxSignature([override.token ?? secrets.token, TimeStamp, Nonce, Encrypt]);
  return JSON.stringify({ Nonce, TimeStamp, Encrypt, MsgSignature });
}

export interface Delivery {
  url: string;
  status: number | null;
  body: string | null;
  error: string | null;
  at: Date;
}

/**
 * Sends pushes to the callback URL with the duplicate / delay / reorder faults. A duplicate is
 * re-encrypted like a host retry would be (C4: retried 3 times when the reply is not `success`).
 */
export class PushSender {
  readonly deliveries: Delivery[] = [];
  private pending: Array<{ url: string; build: () => string }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly faults: BytedanceSandboxFaults) {}

  enqueue(url: string | null, build: () => string): void {
    if (!url) return;
    this.pending.push({ url, build });
    if (this.faults.pushDelayMs <= 0) return void this.track(this.flush());
    this.timer ??= setTimeout(() => this.track(this.flush()), this.faults.pushDelayMs);
  }

  /** Waits for pushes already sent or scheduled to reach the receiver. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timer) {
      if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = this.faults.reorderPushes && this.faults.pushDelayMs > 0 ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const item of batch) {
      await this.send(item.url, item.build());
      if (this.faults.duplicatePushes) await this.send(item.url, item.build());
    }
  }

  private async send(url: string, body: string): Promise<void> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
      this.deliveries.push({ url, status: res.status, body: await res.text(), error: null, at: new Date() });
    } catch (err) {
      this.deliveries.push({ url, status: null, body: null, error: (err as Error).message, at: new Date() });
    }
  }
}
