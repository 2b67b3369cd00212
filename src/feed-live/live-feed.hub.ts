import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { sqlPool } from '../database/sql-pool.js';
import { LISTING_EVENTS_APPENDED } from '../events/listing-events.channel.js';
import { NotificationListener } from '../events/notification-listener.js';
import { isAfter, type ChangePosition } from '../feed/change-cursor.js';
import type { FeedChangeFilterInput } from '../feed/feed.inputs.js';
import { LiveSubscriber } from './live-subscriber.js';
import type { Principal } from '../auth/principal.js';
import { currentHorizon, positionBelow, readVisibleChanges } from '../feed/visible-changes.js';

const BATCH = 100;

/**
 * The live subscriptions of this process. Every instance hears every commit of listing events
 * through LISTEN/NOTIFY (and polls every SUBSCRIPTION_POLL_MS, since an event also becomes
 * visible when an unrelated older transaction ends, which notifies nobody; a read that finds
 * events held back that way looks again sooner); each wake-up makes
 * every subscriber read on from its own position in the database. A notification is only a
 * wake-up, so one lost (a reconnect) or forged changes nothing but timing.
 */
@Injectable()
export class LiveFeedHub implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveFeed');
  private readonly subscribers = new Set<LiveSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private unlisten: Array<() => void> = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationListener,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.unlisten.push(this.notifications.listen(LISTING_EVENTS_APPENDED, () => this.wakeAll()));
    this.unlisten.push(this.notifications.onGap(() => this.wakeAll()));
  }

  onApplicationShutdown(): void {
    for (const stop of this.unlisten) stop();
    this.unlisten = [];
    for (const s of [...this.subscribers]) void s.return();
    this.stopTimer();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * A subscriber that first replays the events after `after` (or, without it, starts at the
   * current horizon: events from now on), then follows live ones.
   */
  async subscribe(principal: Principal, filter: FeedChangeFilterInput | null, after: ChangePosition | null): Promise<LiveSubscriber> {
    const start = after ?? positionBelow(await currentHorizon(sqlPool(this.dataSource)));
    const subscriber = new LiveSubscriber(
      start,
      principal,
      filter,
      (s) => {
        this.subscribers.delete(s);
        if (this.subscribers.size === 0) this.stopTimer();
      },
      (s) => this.wake(s),
    );
    this.subscribers.add(subscriber);
    if (!this.timer) {
      this.timer = setInterval(() => this.wakeAll(), this.config.SUBSCRIPTION_POLL_MS);
      this.timer.unref();
    }
    this.wake(subscriber);
    return subscriber;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private wakeAll(): void {
    for (const s of this.subscribers) this.wake(s);
  }

  private wake(s: LiveSubscriber): void {
    if (s.closed) return;
    if (s.reading) {
      s.again = true;
      return;
    }
    s.reading = true;
    void this.readOn(s).finally(() => (s.reading = false));
  }

  /**
   * Committed events an older transaction still holds back show when it ends, which notifies
   * nobody: look again soon (50 ms, doubling up to SUBSCRIPTION_POLL_MS) rather than at the poll.
   */
  private lookAgainIfHeld(s: LiveSubscriber, held: boolean): void {
    if (!held) {
      s.heldRetryMs = 0;
      return;
    }
    if (s.heldTimer) return; // one look-again at a time
    s.heldRetryMs = Math.min(this.config.SUBSCRIPTION_POLL_MS, s.heldRetryMs ? s.heldRetryMs * 2 : 50);
    s.heldTimer = setTimeout(() => {
      s.heldTimer = null;
      this.wake(s);
    }, s.heldRetryMs);
    s.heldTimer.unref();
  }

  private async readOn(s: LiveSubscriber): Promise<void> {
    const pool = sqlPool(this.dataSource);
    try {
      for (;;) {
        s.again = false;
        if (s.closed || s.full) return;
        const batch = await readVisibleChanges(pool, { after: s.position, limit: BATCH, principal: s.principal, filter: s.filter, askHeld: true });
        for (const { position, node } of batch.changes) {
          s.push(position, node);
          s.position = position;
        }
        if (batch.changes.length < BATCH) {
          // Everything of transactions below the horizon has been read: skip past it, so the
          // next read starts there instead of scanning events this filter does not match again.
          const below = positionBelow(batch.horizon);
          if (isAfter(below, s.position)) s.position = below;
          this.lookAgainIfHeld(s, batch.held);
          if (!s.again) return;
        }
      }
    } catch (err) {
      // The next wake-up (at the latest the poll timer) tries again from the same position.
      this.logger.warn(`reading listing events for a subscription failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
