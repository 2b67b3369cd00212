import type { FeedChangeModel } from '../feed/feed.models.js';
import { encodeChangeCursor, type ChangePosition } from '../feed/change-cursor.js';
import type { FeedChangeFilterInput } from '../feed/feed.inputs.js';
import type { Principal } from '../auth/principal.js';

/** What `listingChanged` sends: an edge of `changes` (FeedChangeEdge). */
export interface ListingChangePayload {
  cursor: string;
  node: FeedChangeModel;
}

// A subscriber whose client reads slower than events arrive stops being read for at this many
// queued events; its position stays in the database's terms, so reading resumes without a gap.
export const HIGH_WATER = 500;
const LOW_WATER = 100;

/**
 * One subscription: where it has read up to, and the events read but not yet taken by graphql-ws.
 * An async iterator; `return()` (client completes, connection closes) ends it.
 */
export class LiveSubscriber implements AsyncIterableIterator<ListingChangePayload> {
  private readonly queue: ListingChangePayload[] = [];
  private waiting: ((r: IteratorResult<ListingChangePayload>) => void) | null = null;
  private failure: ((err: Error) => void) | null = null;
  closed = false;
  /** A read for this subscriber is running; another wake-up during it asks for one more round. */
  reading = false;
  again = false;
  /** While committed events are held back by an older transaction: how long until it looks again. */
  heldRetryMs = 0;
  heldTimer: NodeJS.Timeout | null = null;

  constructor(
    public position: ChangePosition,
    readonly principal: Principal,
    readonly filter: FeedChangeFilterInput | null,
    private readonly onEnd: (s: LiveSubscriber) => void,
    /** Called when the queue drained below the low-water mark after being full. */
    private readonly onDrained: (s: LiveSubscriber) => void,
  ) {}

  get full(): boolean {
    return this.queue.length >= HIGH_WATER;
  }

  push(position: ChangePosition, node: FeedChangeModel): void {
    if (this.closed) return;
    const payload = { cursor: encodeChangeCursor(position), node };
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failure = null;
      resolve({ value: payload, done: false });
    } else this.queue.push(payload);
  }

  /** Ends the subscription with an error the client receives. */
  fail(err: Error): void {
    if (this.closed) return;
    const reject = this.failure;
    void this.return();
    reject?.(err);
  }

  next(): Promise<IteratorResult<ListingChangePayload>> {
    if (this.queue.length > 0) {
      const wasFull = this.queue.length >= HIGH_WATER;
      const value = this.queue.shift()!;
      if (wasFull || this.queue.length === LOW_WATER) this.onDrained(this);
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failure = reject;
    });
  }

  return(): Promise<IteratorResult<ListingChangePayload>> {
    if (!this.closed) {
      this.closed = true;
      if (this.heldTimer) clearTimeout(this.heldTimer);
      this.queue.length = 0;
      this.onEnd(this);
      const resolve = this.waiting;
      this.waiting = null;
      this.failure = null;
      resolve?.({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<ListingChangePayload>> {
    void this.return();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
