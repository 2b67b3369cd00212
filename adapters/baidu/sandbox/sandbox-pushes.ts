import { randomDigits, pushEncrypt, pushSignature } from './sandbox-crypto.js';
import type { BaiduSandboxFaults } from './sandbox-faults.js';

export interface PushSecrets {
  tpAppId: string;
  token: string;
  encodingAesKey: string;
}

/** The JSON envelope of B4, encrypted for `override.appId ?? tpAppId` and signed with `override.token ?? token`. */
export function buildPush(secrets: PushSecrets, message: Record<string, unknown>, override: { token?: string; appId?: string } = {}): string {
  const Encrypt = pushEncrypt(secrets.encodingAesKey, override.appId ?? secrets.tpAppId, JSON.stringify(message));
  const TimeStamp = String(Math.floor(Date.now() / 1000));
  const Nonce = randomDigits(10);
  return JSON.stringify({ Nonce, TimeStamp, Encrypt, MsgSignature: pushSignature([override.token ?? secrets.token, TimeStamp, Nonce, Encrypt]) });
}

export interface Delivery {
  url: string;
  status: number | null;
  reply: string | null;
  error: string | null;
  at: Date;
}

/** Sends pushes to the callback URL, with the duplicate / delay / reorder faults applied. */
export class PushSender {
  readonly deliveries: Delivery[] = [];
  private pending: Array<{ url: string; body: string }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly faults: BaiduSandboxFaults) {}

  enqueue(url: string | null, body: string): void {
    if (!url) return;
    this.pending.push({ url, body });
    if (this.faults.pushDelayMs <= 0) return void this.track(this.flush());
    this.timer ??= setTimeout(() => this.track(this.flush()), this.faults.pushDelayMs);
  }

  /** Waits for pushes already sent or scheduled to reach the receiver. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
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
    // Delayed pushes wait together; with reorderPushes they leave newest first.
    const batch = this.faults.reorderPushes && this.faults.pushDelayMs > 0 ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const item of batch) {
      await this.send(item);
      if (this.faults.duplicatePushes) await this.send(item);
    }
  }

  private async send({ url, body }: { url: string; body: string }): Promise<void> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
      this.deliveries.push({ url, status: res.status, reply: await res.text(), error: null, at: new Date() });
    } catch (err) {
      this.deliveries.push({ url, status: null, reply: null, error: (err as Error).message, at: new Date() });
    }
  }
}
