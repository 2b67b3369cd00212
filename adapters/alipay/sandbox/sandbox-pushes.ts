import { randomUUID } from 'node:crypto';
import type { RawCallback } from '../../core/index.js';
import { notifySignString, sha256WithRsa } from './sandbox-crypto.js';
import type { AlipaySandboxFaults } from './sandbox-faults.js';

/** A msgapi push as form fields (A4.1), signed V1 with the given "Alipay" private key (A4.2). */
export function buildPushForm(msgMethod: string, biz: Record<string, unknown>, appId: string, privateKey: string): string {
  const fields: Record<string, string> = {
    msg_method: msgMethod,
    biz_content: JSON.stringify(biz),
    notify_id: randomUUID().replaceAll('-', ''),
    utc_timestamp: String(Date.now()),
    version: '1.1',
    app_id: appId,
    charset: 'utf-8',
    sign_type: 'RSA2',
  };
  fields.sign = sha256WithRsa(notifySignString(fields), privateKey);
  return new URLSearchParams(fields).toString();
}

export function asRawCallback(body: string, path = '/'): RawCallback {
  return { method: 'POST', path, query: {}, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body };
}

export interface Delivery {
  url: string;
  status: number | null;
  reply: string | null;
  error: string | null;
  at: Date;
}

/** Posts pushes to the callback URL, with the duplicate / delay / reorder faults applied. */
export class PushSender {
  readonly deliveries: Delivery[] = [];
  private pending: Array<{ url: string; body: string }> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly faults: AlipaySandboxFaults) {}

  enqueue(url: string | null, body: string): void {
    if (!url) return;
    this.pending.push({ url, body });
    if (this.faults.pushDelayMs <= 0) return void this.track(this.flush());
    this.timer ??= setTimeout(() => this.track(this.flush()), this.faults.pushDelayMs);
  }

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
    const batch = this.faults.reorderPushes && this.faults.pushDelayMs > 0 ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const item of batch) {
      await this.send(item);
      // A4.1: a retried notify keeps its notify_id, so a duplicate is the same form again.
      if (this.faults.duplicatePushes) await this.send(item);
    }
  }

  private async send({ url, body }: { url: string; body: string }): Promise<void> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body, signal: AbortSignal.timeout(5_000) });
      this.deliveries.push({ url, status: res.status, reply: await res.text(), error: null, at: new Date() });
    } catch (err) {
      this.deliveries.push({ url, status: null, reply: null, error: (err as Error).message, at: new Date() });
    }
  }
}
