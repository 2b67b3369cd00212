import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, OmitType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SUBMISSION_STATUSES } from '../../adapters/core/index.js';
import { IsCanonicalCategory } from '../catalog/catalog.validators.js';
import { Host } from '../common/host.enum.js';
import { LISTING_EVENT_TYPES, ListingEventKind } from './listing-event-kind.js';
import { SubmissionStage } from '../publishing/publishing.models.js';

/**
 * Which listings a feed reader wants. Every field narrows the set (AND); a list matches when any
 * of its values does (OR). Shared by `listings` and the live feed (subscription, webhooks).
 */
@InputType({
  description: 'Narrows the feed. Every field given must match (AND); a list matches when any of its values does (OR). Omit a field to not filter on it.',
})
export class ListingFilterInput {
  @Field(() => [Host], { nullable: true, description: 'Listed on one of these hosts (an active host binding): 1-4 hosts, no duplicates.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts?: Host[];

  @Field(() => [SubmissionStage], {
    nullable: true,
    description:
      'With a host whose current review stage (the stage of its latest submission) is one of these: 1-12 stages, no duplicates. With hosts, the same host must match both.',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUBMISSION_STATUSES.length)
  @ArrayUnique()
  @IsEnum(SubmissionStage, { each: true })
  stages?: SubmissionStage[];

  @Field(() => [String], {
    nullable: true,
    description: 'In one of these categories (codes from `categories`; a top-level code also matches its children): 1-20 codes, no duplicates.',
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsCanonicalCategory({ each: true })
  categories?: string[];

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Changed at or after this instant: the definition, a host binding or the latest submission on a host (see Listing.updatedAt).',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  updatedSince?: Date;

  @Field({ nullable: true, description: 'Text found (case-insensitive) in the name, the short name or a keyword: 1-60 characters.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  search?: string;
}

@ArgsType()
export class ListingsArgs {
  @Field(() => ListingFilterInput, { nullable: true, description: 'Which listings; all the key may see when omitted.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ListingFilterInput)
  filter?: ListingFilterInput;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1-100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number;

  @Field({ nullable: true, description: 'Cursor of the last listing already read (endCursor of the previous page).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

/**
 * Which changes a `changes` poller or a `listingChanged` subscriber wants: the changes of the
 * listings that `listings` would return now for the same hosts, stages, categories and search
 * (FeedScope.filter, the one matcher), narrowed by event kind and mini-program. No updatedSince:
 * a change is itself the update, and `after` says where to start.
 */
@InputType('FeedChangeFilterInput', {
  description:
    'Which changes: those of the listings that `listings` returns now for the same hosts, stages, categories and search (same rules: every field given must match, a list matches when any of its values does), narrowed by event kind and mini-program. No updatedSince: `after` says where to start.',
})
export class FeedChangeFilterInput extends OmitType(ListingFilterInput, ['updatedSince'] as const, InputType) {
  @Field(() => [ListingEventKind], { nullable: true, description: 'Only changes of these kinds (at most 12); every kind when left out or null.' })
  @IsOptional()
  @ArrayMaxSize(LISTING_EVENT_TYPES.length)
  @IsIn(LISTING_EVENT_TYPES, { each: true })
  types?: ListingEventKind[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only changes of these mini-programs (at most 100); every one when left out or null.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  miniProgramIds?: string[] | null;
}

@ArgsType()
export class ChangesArgs {
  @Field(() => FeedChangeFilterInput, { nullable: true, description: 'Which changes; all the key may see when omitted. The same filter as `listingChanged`.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeedChangeFilterInput)
  filter?: FeedChangeFilterInput | null;

  @Field({ nullable: true, description: 'The endCursor you stored; omit it to start from the first change.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @Field(() => Int, { defaultValue: 100, description: 'Page size, 1-500.' })
  @IsInt()
  @Min(1)
  @Max(500)
  first: number;
}
