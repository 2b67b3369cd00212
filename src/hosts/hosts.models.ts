import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayUnique, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ArtifactKind } from '../catalog/catalog.models.js';
import { HOST_IDS } from '../../adapters/core/index.js';
import { Host } from '../common/host.enum.js';

export enum HostModeValue {
  SANDBOX = 'SANDBOX',
  LIVE = 'LIVE',
  OFF = 'OFF',
}
registerEnumType(HostModeValue, {
  name: 'HostMode',
  description: 'SANDBOX: the host simulator started with the gateway; LIVE: the real host; OFF: no host is called.',
});

@ObjectType('GrayReleaseCapability')
export class GrayReleaseCapabilityModel {
  @Field(() => [Int], { nullable: true, description: 'Percentages the host accepts; null means any whole number from min to max.' })
  allowedPercentages: number[] | null;
  @Field(() => Int) min: number;
  @Field(() => Int) max: number;
  @Field({ description: 'A new percentage may not be lower than the current one.' }) mustIncrease: boolean;
  @Field({ description: 'A gray release can be cancelled.' }) cancellable: boolean;
}

@ObjectType('HostCapabilities', { description: 'What the host offers through its open-platform API; the gateway refuses the rest.' })
export class HostCapabilitiesModel {
  @Field(() => GrayReleaseCapabilityModel, { nullable: true, description: 'Null when the host has no gray release.' })
  grayRelease: GrayReleaseCapabilityModel | null;
  @Field() rollback: boolean;
  @Field() withdrawReview: boolean;
  @Field() speedUpReview: boolean;
  @Field() analytics: boolean;
  @Field({ description: 'The host pushes review results; otherwise they are polled.' }) reviewPushes: boolean;
  @Field({ description: 'Name, icon and description can be changed through the API.' }) basicInfoSync: boolean;
  @Field(() => [ArtifactKind]) artifactKinds: ArtifactKind[];
}

@ObjectType('HostLimit')
export class HostLimitModel {
  @Field() rule: string;
  @Field() value: string;
  @Field({ description: 'Where the fact comes from.' }) source: string;
}

@ObjectType('HostInfo', { description: 'One super-app host as this gateway instance speaks to it.' })
export class HostInfoModel {
  @Field(() => Host) host: Host;
  @Field() displayName: string;
  @Field(() => HostModeValue) mode: HostModeValue;
  @Field(() => String, { nullable: true, description: "Base URL of the host's API this instance calls; null when OFF." })
  baseUrl: string | null;
  @Field(() => HostCapabilitiesModel) capabilities: HostCapabilitiesModel;
  @Field(() => [HostLimitModel]) limits: HostLimitModel[];
}

@ObjectType('HostViolation', { description: 'One broken host rule; field is a path into the definition or the version.' })
export class HostViolationModel {
  @Field(() => Host) host: Host;
  @Field() field: string;
  @Field({ description: 'Stable rule id such as maxLength, versionFormat, categoryUnmapped.' }) rule: string;
  @Field() message: string;
}

@ObjectType('HostValidation')
export class HostValidationModel {
  @Field(() => Host) host: Host;
  @Field({ description: 'True when the host has no objection.' }) valid: boolean;
  @Field(() => [HostViolationModel]) violations: HostViolationModel[];
}

@ArgsType()
export class ValidateMiniProgramArgs {
  @Field(() => ID) @IsUUID('all') id: string;
  @Field(() => ID, { description: 'A version of this mini-program.' }) @IsUUID('all') versionId: string;
  @Field(() => [Host], { nullable: true, description: 'Hosts to check against; all hosts when omitted.' })
  @IsOptional()
  @ArrayMaxSize(HOST_IDS.length)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts?: Host[] | null;
}
