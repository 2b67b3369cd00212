import { defineChannel } from './notification-channel.js';

/**
 * Sent in every transaction that appends listing events (PostgreSQL sends one per transaction):
 * a wake-up only. Listeners read the events from `listing_events` under the visibility rule;
 * the payload carries nothing they rely on.
 */
export const LISTING_EVENTS_APPENDED = defineChannel<Record<string, never>>('gw_listing_events', (payload) => {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('expected an object');
  return {};
});
