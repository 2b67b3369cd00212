import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { NotificationChannel } from './notification-channel.js';

export interface NotificationListenerOptions {
  connectionString: string;
  /** How often the connection proves it is alive (a `SELECT 1` on it). */
  heartbeatMs?: number;
  /** A heartbeat unanswered this long drops the connection and starts a new one. */
  heartbeatTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

/** Anything that runs SQL: a DataSource, or an EntityManager inside a transaction. */
export interface Queryable {
  query(text: string, parameters?: unknown[]): Promise<unknown>;
}

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD_BYTES = 7999;

interface Subscription {
  channel: NotificationChannel<unknown>;
  handlers: Set<(payload: unknown) => void>;
}

/**
 * PostgreSQL LISTEN/NOTIFY for the whole process on one dedicated connection. Subscribers
 * register typed channels; the connection is re-opened with backoff when it drops, and every
 * reconnect is announced as a gap (notifications sent meanwhile are lost), so a subscriber that
 * keeps state derived from notifications (a cache) starts over. A heartbeat on the connection
 * tells how fresh that state is: `isLive(ms)` is true when every notification committed more
 * than `ms` ago has been delivered.
 */
export class NotificationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationListener.name);
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly gapHandlers = new Set<() => void>();
  private readonly heartbeatMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  private client: pg.Client | null = null;
  private readonly retired = new WeakSet<pg.Client>();
  private started = false;
  private stopped = false;
  /** performance.now() when the last answered heartbeat was sent. */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private heartbeatSentAt: number | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(private readonly options: NotificationListenerOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 300;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 2000;
    this.reconnectMinMs = options.reconnectMinMs ?? 100;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 5000;
  }

  /** Calls `handler` with each payload sent on `channel`; returns the unsubscribe function. */
  listen<T>(channel: NotificationChannel<T>, handler: (payload: T) => void): () => void {
    let sub = this.subscriptions.get(channel.name);
    if (!sub) {
      sub = { channel, handlers: new Set() };
      this.subscriptions.set(channel.name, sub);
      // A channel added after connecting is listened to now; until then nothing of it is cached.
      if (this.client) this.client.query(`LISTEN "${channel.name}"`).catch((err: unknown) => this.lose(this.client!, err));
    }
    const h = handler as (payload: unknown) => void;
    sub.handlers.add(h);
    return () => sub.handlers.delete(h);
  }

  /** Calls `handler` after every (re)connection: notifications may have been missed before it. */
  onGap(handler: () => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  /**
   * Sends a notification through `via`. Inside a transaction it is delivered on commit and
   * dropped on rollback, so listeners never hear of a change that did not happen.
   */
  async notify<T>(channel: NotificationChannel<T>, payload: T, via: Queryable): Promise<void> {
    const text = JSON.stringify(payload);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new Error(`notification payload on ${channel.name} is too large`);
    await via.query('SELECT pg_notify($1, $2)', [channel.name, text]);
  }

  /** True when connected and every notification committed more than `maxAgeMs` ago was delivered. */
  isLive(maxAgeMs: number): boolean {
    return this.client !== null && performance.now() - this.confirmedAt <= maxAgeMs;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    // A connection being opened now is closed by connect() itself once it settles: shutdown never
    // waits on a database that does not answer.
    const client = this.client;
    this.client = null;
    if (client) {
      this.retired.add(client);
      // A connection whose server went away may never confirm the goodbye.
      await Promise.race([client.end().catch(() => undefined), new Promise((r) => setTimeout(r, this.heartbeatTimeoutMs).unref())]);
    }
  }

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'gateway-notifications',
      keepAlive: true,
      connectionTimeoutMillis: this.heartbeatTimeoutMs * 2,
    });
    client.on('notification', (msg) => this.dispatch(msg.channel, msg.payload));
    client.on('error', (err) => this.lose(client, err));
    client.on('end', () => this.lose(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const name of this.subscriptions.keys()) await client.query(`LISTEN "${name}"`);
    } catch (err) {
      this.lose(client, err);
      return;
    }
    if (this.stopped || this.retired.has(client)) {
      this.retired.add(client);
      await client.end().catch(() => undefined);
      return;
    }
    if (this.failures > 0) this.logger.log('notification connection restored');
    this.client = client;
    this.failures = 0;
    this.confirmedAt = performance.now();
    this.heartbeatSentAt = null;
    this.heartbeat = setInterval(() => this.beat(client), this.heartbeatMs);
    this.heartbeat.unref();
    // Anything sent while no connection listened is lost: state built from notifications starts over.
    for (const handler of this.gapHandlers) this.safely(handler, 'gap handler');
  }

  private beat(client: pg.Client): void {
    if (this.heartbeatSentAt !== null) {
      if (performance.now() - this.heartbeatSentAt > this.heartbeatTimeoutMs) this.lose(client, new Error('heartbeat unanswered'));
      return;
    }
    const sentAt = performance.now();
    this.heartbeatSentAt = sentAt;
    client.query('SELECT 1').then(
      () => {
        if (client !== this.client) return;
        // PostgreSQL sends a listener its pending notifications before it reads the next
        // command, so every notification committed before `sentAt` has arrived by now.
        this.confirmedAt = sentAt;
        this.heartbeatSentAt = null;
      },
      (err: unknown) => this.lose(client, err),
    );
  }

  private lose(client: pg.Client, err: unknown): void {
    if (this.retired.has(client)) return;
    this.retired.add(client);
    client.end().catch(() => undefined);
    if (client === this.client) {
      this.client = null;
      this.stopHeartbeat();
    }
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.reconnectMaxMs, this.reconnectMinMs * 2 ** Math.min(this.failures - 1, 10));
    this.logger.warn(`notification connection lost (${err instanceof Error ? err.message : String(err)}); reconnecting in ${delay} ms`);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.heartbeatSentAt = null;
  }

  private dispatch(channelName: string, text: string | undefined): void {
    const sub = this.subscriptions.get(channelName);
    if (!sub) return;
    let payload: unknown;
    try {
      payload = sub.channel.parse(JSON.parse(text ?? 'null'));
    } catch (err) {
      this.logger.warn(`ignored a malformed notification on ${channelName}: ${(err as Error).message}`);
      return;
    }
    for (const handler of sub.handlers) this.safely(() => handler(payload), `handler of ${channelName}`);
  }

  private safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (err) {
      this.logger.error(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
