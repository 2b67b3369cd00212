import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Host } from '../common/host.enum.js';
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
];

export enum ListingEventKind {
  STAGE_CHANGED = 'STAGE_CHANGED',
  ACTION_REQUESTED = 'ACTION_REQUESTED',
  ACTION_FAILED = 'ACTION_FAILED',
  REVIEW_SPEED_UP_REQUESTED = 'REVIEW_SPEED_UP_REQUESTED',
  DRIFT_DETECTED = 'DRIFT_DETECTED',
  DRIFT_CLEARED = 'DRIFT_CLEARED',
  AUTHORIZATION_REVOKED = 'AUTHORIZATION_REVOKED',
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
  },
});

/** Which events a subscription or a webhook endpoint receives; every list left out matches all. */
@InputType('ListingChangeFilterInput', {
  description: 'Which listing events to receive. A list left out (or null) matches every value; lists are combined with AND.',
})
export class ListingChangeFilterInput {
  @Field(() => [Host], { nullable: true, description: 'Only events on these hosts (at most 4).' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(Host, { each: true })
  hosts?: Host[] | null;

  @Field(() => [ListingEventKind], { nullable: true, description: 'Only events of these kinds (at most 7).' })
  @IsOptional()
  @ArrayMaxSize(7)
  @IsIn(LISTING_EVENT_TYPES, { each: true })
  types?: ListingEventKind[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only events of these mini-programs (at most 100).' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  miniProgramIds?: string[] | null;
}

@ArgsType()
export class ListingChangedArgs {
  @Field(() => ListingChangeFilterInput, { nullable: true, description: 'Which events to receive; all the key may see when left out.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ListingChangeFilterInput)
  filter?: ListingChangeFilterInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Resume after this cursor (the `cursor` of the last change received, or an endCursor of `changes`): the events after it are replayed first, then live ones follow, with none missed or repeated. Without it, only events from now on.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string | null;
}
