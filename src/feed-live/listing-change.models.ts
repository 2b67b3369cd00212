import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Host } from '../common/host.enum.js';
import { FeedChangeFilterInput } from '../feed/feed.inputs.js';
import { LISTING_EVENT_TYPES, ListingEventKind } from '../feed/listing-event-kind.js';

/** Which events a webhook endpoint receives; every list left out matches all. (Subscriptions take FeedChangeFilterInput.) */
@InputType('ListingChangeFilterInput', {
  description: 'Which listing events to receive. A list left out (or null) matches every value; lists are combined with AND.',
})
export class ListingChangeFilterInput {
  @Field(() => [Host], { nullable: true, description: 'Only events on these hosts (at most 4).' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(Host, { each: true })
  hosts?: Host[] | null;

  @Field(() => [ListingEventKind], { nullable: true, description: 'Only events of these kinds (at most 12).' })
  @IsOptional()
  @ArrayMaxSize(LISTING_EVENT_TYPES.length)
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
  @Field(() => FeedChangeFilterInput, {
    nullable: true,
    description: 'Which changes to receive, the same filter as `changes`; all the key may see when left out.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeedChangeFilterInput)
  filter?: FeedChangeFilterInput | null;

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
