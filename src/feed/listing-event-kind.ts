import { registerEnumType } from '@nestjs/graphql';
import type { ListingEventType } from '../events/events.service.js';

/** The kinds of listing events, as the `type` field of ListingEvent spells them. */
export const LISTING_EVENT_TYPES: readonly ListingEventType[] = [
  'STAGE_CHANGED',
  'ACTION_REQUESTED',
  'ACTION_FAILED',
  'REVIEW_SPEED_UP_REQUESTED',
  'DRIFT_DETECTED',
  'DRIFT_CLEARED',
  'AUTHORIZATION_REVOKED',
  'BASIC_INFO_REQUESTED',
  'BASIC_INFO_IN_REVIEW',
  'BASIC_INFO_APPLIED',
  'BASIC_INFO_REJECTED',
  'BASIC_INFO_FAILED',
];

export enum ListingEventKind {
  STAGE_CHANGED = 'STAGE_CHANGED',
  ACTION_REQUESTED = 'ACTION_REQUESTED',
  ACTION_FAILED = 'ACTION_FAILED',
  REVIEW_SPEED_UP_REQUESTED = 'REVIEW_SPEED_UP_REQUESTED',
  DRIFT_DETECTED = 'DRIFT_DETECTED',
  DRIFT_CLEARED = 'DRIFT_CLEARED',
  AUTHORIZATION_REVOKED = 'AUTHORIZATION_REVOKED',
  BASIC_INFO_REQUESTED = 'BASIC_INFO_REQUESTED',
  BASIC_INFO_IN_REVIEW = 'BASIC_INFO_IN_REVIEW',
  BASIC_INFO_APPLIED = 'BASIC_INFO_APPLIED',
  BASIC_INFO_REJECTED = 'BASIC_INFO_REJECTED',
  BASIC_INFO_FAILED = 'BASIC_INFO_FAILED',
}
registerEnumType(ListingEventKind, {
  name: 'ListingEventKind',
  description: 'The kind of a listing event (the `type` field of ListingEvent).',
  valuesMap: {
    STAGE_CHANGED: { description: 'A submission moved from one stage to another (fromStage -> toStage).' },
    ACTION_REQUESTED: { description: 'Someone asked for a release, gray change, rollback or withdrawal.' },
    ACTION_FAILED: { description: 'The host refused a requested action.' },
    REVIEW_SPEED_UP_REQUESTED: { description: 'A faster review was asked for.' },
    DRIFT_DETECTED: { description: "The host's read-back differs from what the gateway expects." },
    DRIFT_CLEARED: { description: "The host's read-back agrees again." },
    AUTHORIZATION_REVOKED: { description: "The mini-program's owner withdrew the gateway's authorization on the host." },
    BASIC_INFO_REQUESTED: { description: 'Listing sync asked the host to change one basic-info field (name, icon ...).' },
    BASIC_INFO_IN_REVIEW: { description: 'The host reviews that basic-info change.' },
    BASIC_INFO_APPLIED: { description: 'The host shows the basic-info change.' },
    BASIC_INFO_REJECTED: { description: 'The host refused the basic-info change in review.' },
    BASIC_INFO_FAILED: { description: 'The basic-info change could not be made.' },
  },
});
