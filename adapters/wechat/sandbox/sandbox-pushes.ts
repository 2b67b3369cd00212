import type { RawCallback } from '../../core/index.js';
import { randomAlnum, sandboxEncrypt, sandboxSha1Signature } from './sandbox-crypto.js';
import type { WechatSandboxFaults } from './sandbox-faults.js';

export interface PushSecrets {
  componentAppId: string;
  token: string;
  encodingAesKey: string;
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** Builds an encrypted push exactly as wechat.md §5.1 shows it, both signatures in the query. */
export function buildPush(
  secrets: PushSecrets,
  inner: Record<string, string | number>,
  envelope: { AppId: string } | { ToUserName: string },
  override: { token?: string; appId?: string } = {},
): Pick<RawCallback, 'query' | 'body'> {
  const xml = `<xml>${Object.entries(inner).map(([k, v]) => `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`).join('')}</xml>`;
  const encrypt = sandboxEncrypt(secrets.encodingAesKey, override.appId ?? secrets.componentAppId, xml);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
  const token = override.token ?? secrets.token;
  const query: Record<string, string> = {
    signature: sandboxSha1Signature([token, timestamp, nonce]),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: sandboxSha1Signature([token, timestamp, nonce, encrypt]),
  };
  const head = 'AppId' in envelope ? `<AppId>${cdata(envelope.AppId)}</AppId>` : `<ToUserName>${cdata(envelope.ToUserName)}</ToUserName>`;
  if ('ToUserName' in envelope) query.openid = `o${randomAlnum(27)}`;
  return { query, body: `<xml>${head}<Encrypt>${cdata(encrypt)}</Encrypt></xml>` };
}

export interface Delivery {
  url: string;
  status: number | null;
  error: string | null;
  at: Date;
}

/** Sends pushes to the callback URL, with the duplicate / delay / reorder faults applied. */
export class PushSender {
  readonly deliveries: Delivery[] = [];
  private pending: Array<{ url: string; push: Pick<RawCallback, 'query' | 'body'> }> = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly faults: WechatSandboxFaults) {}

  enqueue(url: string | null, push: Pick<RawCallback, 'query' | 'body'>): void {
    if (!url) return;
    this.pending.push({ url, push });
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
    const batch = this.faults.reorderPushes && this.faults.pushDelayMs > 0 ? this.pending.reverse() : this.pending;
    this.pending = [];
    for (const item of batch) {
      await this.send(item);
      if (this.faults.duplicatePushes) await this.send(item);
    }
  }

  private async send({ url, push }: { url: string; push: Pick<RawCallback, 'query' | 'body'> }): Promise<void> {
    const target = new URL(url);
    for (const [k, v] of Object.entries(push.query)) target.searchParams.set(k, v);
    try {
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: push.body, signal: AbortSignal.timeout(5_000) });
      await res.text();
      this.deliveries.push({ url, status: res.status, error: null, at: new Date() });
    } catch (err) {
      this.deliveries.push({ url, status: null, error: (err as Error).message, at: new Date() });
    }
  }
}
