import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { SUBMISSION_STATUSES, type SubmissionStatus } from '../../adapters/core/index.js';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { ConnectionType } from '../common/pagination/connection.js';
import { HostFailureModel } from '../hosts/bindings.models.js';

export const SubmissionStage = Object.fromEntries(SUBMISSION_STATUSES.map((s) => [s, s])) as { [K in SubmissionStatus]: K };
export type SubmissionStage = SubmissionStatus;
registerEnumType(SubmissionStage, {
  name: 'SubmissionStage',
  description:
    'Where one version stands on one host: PENDING, UPLOADING (the host builds it), UPLOADED, IN_REVIEW, APPROVED, REJECTED (see rejectionReason), WITHDRAWN, RELEASING, GRAY (staged release), RELEASED, ROLLED_BACK, FAILED (see lastError).',
  valuesMap: {
    PENDING: { description: 'Queued: no host call made yet.' },
    UPLOADING: { description: 'The code was sent; the host is still building it.' },
    UPLOADED: { description: 'The host holds the built version; not yet submitted for review.' },
    IN_REVIEW: { description: "Submitted; the host's review has not ended." },
    APPROVED: { description: 'The review passed; waiting to be released (MANUAL), or about to be (AUTO).' },
    REJECTED: { description: 'The review failed; rejectionReason and rejectionScreenshots say why. A fixed version can be resubmitted.' },
    WITHDRAWN: { description: 'The review was withdrawn at our request before it ended.' },
    RELEASING: { description: 'A release was asked of the host and has not shown yet.' },
    GRAY: { description: 'Live for a share of users (grayPercentage) in a staged release.' },
    RELEASED: { description: 'Live for every user.' },
    ROLLED_BACK: { description: 'Was live; the previous version was put back.' },
    FAILED: { description: 'Stopped: a permanent host error or too many attempts; lastError keeps the host evidence. retrySubmission starts it again.' },
  },
});

export enum ReleaseMode {
  AUTO = 'AUTO',
  MANUAL = 'MANUAL',
}
registerEnumType(ReleaseMode, {
  name: 'ReleaseMode',
  description: 'AUTO: released on each host as soon as its review approves; MANUAL: waits on APPROVED for the release mutation.',
  valuesMap: {
    AUTO: { description: 'Release on each host as soon as its review approves (gray first when grayPercentage is given).' },
    MANUAL: { description: 'Stop at APPROVED on each host until the release mutation is called.' },
  },
});

@ObjectType('SubmissionAction', { description: 'A host operation asked for by a user and not yet carried out by the workers.' })
export class SubmissionActionModel {
  @Field({ description: 'The operation: release, cancelGray, rollback, withdraw, speedUp, resubmit, restart or cancel.' }) op: string;
  @Field(() => Int, { nullable: true, description: 'For release: the gray percentage asked for; null for a full release.' })
  grayPercentage: number | null;
}

@ObjectType('HostVersionIds', { description: "The host's own ids for this version, as the host named them." })
export class HostIdModel {
  @Field({ description: 'Name of the id: auditId, packageId, appVersion, templateId ...' }) name: string;
  @Field({ description: 'The value, verbatim.' }) value: string;
}

@ObjectType('Submission', { description: 'One version on one host, advanced by the workers one step at a time through the lifecycle.' })
export class SubmissionModel {
  @Field(() => ID, { description: 'Submission id.' }) id: string;
  @Field(() => ID, { description: 'The publish run it belongs to.' }) runId: string;
  @Field(() => ID, { description: 'The host binding it publishes through.' }) bindingId: string;
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({ description: 'The semantic version being published.' }) version: string;
  @Field(() => SubmissionStage, { description: 'Current stage.' }) stage: SubmissionStage;
  @Field(() => [HostIdModel], { description: "The host's ids for this version (audit id, package id ...), once it gave them." })
  hostIds: HostIdModel[];
  @Field(() => String, { nullable: true, description: "The host's native status as last seen, verbatim." }) nativeStatus: string | null;
  @Field(() => String, { nullable: true, description: "The host's rejection reason, when REJECTED." }) rejectionReason: string | null;
  @Field(() => [String], { description: 'Screenshot URLs the host attached to a rejection.' }) screenshots: string[];
  @Field({ description: 'The host said the review is delayed (still IN_REVIEW).' }) reviewDelayed: boolean;
  @Field(() => HostFailureModel, { nullable: true, description: 'The last host failure of this submission (native code, message, request id).' })
  lastError: HostFailureModel | null;
  @Field(() => Int, { description: 'Failed tries of the current step; reset when a step succeeds.' }) attempts: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the workers look at it next; null when it waits for you or is done.' })
  nextAttemptAt: Date | null;
  @Field(() => ReleaseMode, { description: 'How it is released once approved.' }) releaseMode: ReleaseMode;
  @Field(() => Int, { nullable: true, description: 'Gray percentage of the automatic release; null for a full release.' }) grayPercentage: number | null;
  @Field(() => SubmissionActionModel, { nullable: true, description: 'A requested operation the workers have not carried out yet.' })
  pendingAction: SubmissionActionModel | null;
  @Field(() => String, { nullable: true, description: 'What happened to the last requested operation when it could not run as asked.' })
  note: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When it was created.' }) createdAt: Date;
  @Field(() => GraphQLISODateTime, { description: 'When it last changed.' }) updatedAt: Date;
}

@ObjectType('PublishProgress', { description: 'Where the submissions of a run stand, counted by what they wait for.' })
export class PublishProgressModel {
  @Field(() => Int, { description: 'Submissions in the run (one per host).' }) total: number;
  @Field(() => Int, { description: 'RELEASED (or ROLLED_BACK after release) on their host.' }) released: number;
  @Field(() => Int, { description: 'Live to a gray slice of users (GRAY).' }) gray: number;
  @Field(() => Int, { description: 'Waiting on the host review (IN_REVIEW).' }) inReview: number;
  @Field(() => Int, { description: 'Being worked on by the gateway (PENDING, UPLOADING, UPLOADED, RELEASING, or APPROVED with AUTO release).' })
  inProgress: number;
  @Field(() => Int, { description: 'Waiting for you: APPROVED with MANUAL release, REJECTED or WITHDRAWN.' }) waitingForYou: number;
  @Field(() => Int, { description: 'FAILED (see lastError).' }) failed: number;
  @Field({ description: 'True when no submission is being worked on or reviewed any more.' }) settled: boolean;
}

@ObjectType('PublishRun', { description: 'One publish of a version to several hosts, with its submissions.' })
export class PublishRunModel {
  @Field(() => ID, { description: 'Run id.' }) id: string;
  @Field(() => ID, { description: 'The mini-program.' }) miniProgramId: string;
  @Field(() => ID, { description: 'The version published.' }) versionId: string;
  @Field({ description: 'The semantic version published.' }) version: string;
  @Field(() => [Host], { description: 'The hosts, in the order given.' }) hosts: Host[];
  @Field(() => ReleaseMode, { description: 'AUTO or MANUAL release.' }) release: ReleaseMode;
  @Field(() => Int, { nullable: true, description: 'Gray percentage of the automatic release; null for a full release.' }) grayPercentage: number | null;
  @Field(() => String, { nullable: true, description: 'The idempotency key given, if any.' }) idempotencyKey: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the run was cancelled; null otherwise.' }) cancelledAt: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'When the run was created.' }) createdAt: Date;
}

export const PublishRunConnection = ConnectionType(PublishRunModel, 'PublishRun', {
  item: 'publish run',
  items: 'publish runs of one mini-program, newest first',
});

@InputType({ description: 'Publishes one version of a mini-program to several hosts in one call.' })
export class PublishInput {
  @Field(() => ID, { description: 'The mini-program.' }) @IsUUID('all') miniProgramId: string;
  @Field(() => ID, { description: 'One of its versions; it is locked (can no longer change) from now on.' }) @IsUUID('all') versionId: string;
  @Field(() => [Host], { description: 'The hosts to publish to, each bound to the mini-program (1-4, no repeats).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts: Host[];
  @Field(() => ReleaseMode, { defaultValue: ReleaseMode.AUTO, description: 'AUTO (default) releases on approval; MANUAL waits for release.' })
  @IsEnum(ReleaseMode)
  release: ReleaseMode;
  @Field(() => Int, {
    nullable: true,
    description: 'With AUTO: release to this share of users first (gray), on hosts that offer it; every host named must accept the percentage.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  grayPercentage?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Up to 128 characters [A-Za-z0-9._:-]. The same key with the same input returns the same run; with another input, CONFLICT.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'idempotencyKey may hold letters, digits and . _ : - only' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Releases an approved (or gray) submission: in full, or to a gray slice where the host offers it.' })
export class ReleaseInput {
  @Field(() => ID, { description: 'The submission.' }) @IsUUID('all') submissionId: string;
  @Field(() => Int, { nullable: true, description: 'Gray percentage (1-100) for a staged release; omit for a full release.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  grayPercentage?: number | null;
}

@ArgsType()
export class SubmissionIdArgs {
  @Field(() => ID, { description: 'The submission.' }) @IsUUID('all') submissionId: string;
}

@ArgsType()
export class BindingIdArgs {
  @Field(() => ID, { description: 'The host binding.' }) @IsUUID('all') bindingId: string;
}

@ArgsType()
export class RunIdArgs {
  @Field(() => ID, { description: 'The publish run.' }) @IsUUID('all') id: string;
}

export { JSONObjectScalar };
