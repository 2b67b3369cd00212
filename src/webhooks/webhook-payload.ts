import type { AppendedListingEvent } from '../events/events.service.js';
import { encodeChangeCursor } from '../feed/change-cursor.js';
import type { StoredEventFilter } from './webhook-endpoint.entity.js';

/** Whether an endpoint's filter lets an event through (a list left out matches every value). */
export function matchesFilter(filter: StoredEventFilter, event: Pick<AppendedListingEvent, 'host' | 'type' | 'miniProgramId'>): boolean {
  if (filter.hosts?.length && !filter.hosts.includes(event.host)) return false;
  if (filter.types?.length && !filter.types.includes(event.type)) return false;
  if (filter.miniProgramIds?.length && !filter.miniProgramIds.includes(event.miniProgramId)) return false;
  return true;
}

/**
 * The JSON body of a delivery, fixed when the event is written: the event in the ListingEvent
 * shape (as MiniProgram.events reads it, evidence for the owner only), with its change-feed
 * cursor (a receiver that fell behind resumes the feed from it).
 */
export function deliveryBody(event: AppendedListingEvent, withEvidence: boolean): string {
  return JSON.stringify({
    type: 'listing.event',
    cursor: encodeChangeCursor({ txId: BigInt(event.txId), seq: BigInt(event.seq) }),
    event: {
      seq: event.seq,
      miniProgramId: event.miniProgramId,
      bindingId: event.bindingId,
      submissionId: event.submissionId,
      host: event.host,
      type: event.type,
      fromStage: event.fromStage ?? null,
      toStage: event.toStage ?? null,
      nativeStatus: event.nativeStatus ?? null,
      evidence: withEvidence ? (event.evidence ?? {}) : {},
      createdAt: event.createdAt.toISOString(),
    },
  });
}
