import { ArgsType, Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { ConnectionType } from '../common/pagination/connection.js';
import { SubmissionStage } from '../publishing/publishing.models.js';

@ObjectType('ListingEvent', {
  description: 'One change to a listing, in the global order of all changes. Written in the same transaction as the change it records; never edited.',
})
export class ListingEventModel {
  @Field({ description: 'Position in the global sequence of listing events (a decimal integer, increasing with every event).' })
  seq: string;
  @Field(() => ID, { description: 'The mini-program.' }) miniProgramId: string;
  @Field(() => ID, { nullable: true, description: 'The host binding, when the event concerns one.' }) bindingId: string | null;
  @Field(() => ID, { nullable: true, description: 'The submission, when the event concerns one.' }) submissionId: string | null;
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({
    description:
      'STAGE_CHANGED (fromStage -> toStage), ACTION_REQUESTED (a user asked for release, rollback ...), ACTION_FAILED (the host refused it; see evidence), REVIEW_SPEED_UP_REQUESTED, DRIFT_DETECTED / DRIFT_CLEARED (the host read back differs / agrees again; evidence.part is basicInfo for listing fields), AUTHORIZATION_REVOKED; listing sync: BASIC_INFO_REQUESTED, BASIC_INFO_IN_REVIEW, BASIC_INFO_APPLIED, BASIC_INFO_REJECTED (evidence.reason), BASIC_INFO_FAILED (evidence.error), each with evidence.field and evidence.runId.',
  })
  type: string;
  @Field(() => SubmissionStage, { nullable: true, description: 'Stage before a STAGE_CHANGED; null for the first stage and other types.' })
  fromStage: SubmissionStage | null;
  @Field(() => SubmissionStage, { nullable: true, description: 'Stage after a STAGE_CHANGED; null for other types.' })
  toStage: SubmissionStage | null;
  @Field(() => String, { nullable: true, description: "The host's native status at the change, verbatim, when known." })
  nativeStatus: string | null;
  @Field(() => JSONObjectScalar, {
    description: 'Evidence of the change: rejection reason and screenshots, native error code, message and request id, drift pictures ... Never secrets.',
  })
  evidence: Record<string, unknown>;
  @Field(() => GraphQLISODateTime, { description: 'When the change was recorded.' }) createdAt: Date;
}

export const ListingEventConnection = ConnectionType(ListingEventModel, 'ListingEvent', { item: 'listing event', items: 'listing events, oldest first' });

@ArgsType()
export class EventsArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1-200.' }) @IsInt() @Min(1) @Max(200) first: number;
  @Field({ nullable: true, description: 'Cursor of the last event already read; events after it are returned, oldest first.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
  @Field(() => ID, { nullable: true, description: 'Only the events of this submission.' })
  @IsOptional()
  @IsUUID('all')
  submissionId?: string;
}
