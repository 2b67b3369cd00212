import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayUnique, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { ArtifactKind } from '../catalog/catalog.models.js';
import { HOST_IDS } from '../../adapters/core/index.js';
import { Host } from '../common/host.enum.js';
import { hostRulesDoc } from './host-rule-docs.js';

export enum HostModeValue {
  SANDBOX = 'SANDBOX',
  LIVE = 'LIVE',
  OFF = 'OFF',
}
registerEnumType(HostModeValue, {
  name: 'HostMode',
  description: 'How this gateway instance reaches the hosts (the HOSTS_MODE setting); the same for every host.',
  valuesMap: {
    SANDBOX: { description: "A simulator of the host's API started with the gateway on a loopback port: nothing reaches the real host." },
    LIVE: { description: "The host's real open-platform API." },
    OFF: { description: 'No host is called: every operation that needs one is refused.' },
  },
});

@ObjectType('GrayReleaseCapability', {
  description: `How a host runs a gray (staged) release: a new version served to a percentage of users first.${hostRulesDoc('grayRelease')}`,
})
export class GrayReleaseCapabilityModel {
  @Field(() => [Int], {
    nullable: true,
    description: 'The only percentages the host accepts (ALIPAY: 10, 30, 50); null means any whole number from min to max.',
  })
  allowedPercentages: number[] | null;
  @Field(() => Int, { description: 'Smallest percentage of users, 1-100.' }) min: number;
  @Field(() => Int, { description: 'Largest percentage of users, 1-100.' }) max: number;
  @Field({ description: 'True when a new percentage may not be lower than the current one.' }) mustIncrease: boolean;
  @Field({ description: 'True when a running gray release can be cancelled.' }) cancellable: boolean;
}

@ObjectType('HostCapabilities', { description: 'What the host offers through its open-platform API; the gateway refuses the rest.' })
export class HostCapabilitiesModel {
  @Field(() => GrayReleaseCapabilityModel, {
    nullable: true,
    description: 'How the host runs gray releases; null when it has none.',
  })
  grayRelease: GrayReleaseCapabilityModel | null;
  @Field({ description: 'True when a release can be rolled back to the previous one.' }) rollback: boolean;
  @Field({ description: 'True when a version in review can be withdrawn.' }) withdrawReview: boolean;
  @Field({ description: 'True when an expedited review can be requested.' }) speedUpReview: boolean;
  @Field({ description: 'True when daily visit figures can be read.' }) analytics: boolean;
  @Field({ description: 'True when the host pushes review results; otherwise the gateway polls for them.' }) reviewPushes: boolean;
  @Field({ description: 'True when name, icon and description can be changed through the API (otherwise in the host console).' }) basicInfoSync: boolean;
  @Field(() => [ArtifactKind], { description: 'The kinds of version artifact the host can take.' }) artifactKinds: ArtifactKind[];
}

@ObjectType('HostLimit', { description: 'One limit a host applies, as its adapter states it (the facts of docs/hosts.md).' })
export class HostLimitModel {
  @Field({ description: 'What is limited, e.g. `name length`.' }) rule: string;
  @Field({ description: 'The limit in words, e.g. `2-10 characters (assumed)`; "(assumed)" marks a reading the host does not document.' }) value: string;
  @Field({ description: 'Where the fact comes from (a section of the host notes), or that it is an assumption.' }) source: string;
}

@ObjectType('HostInfo', { description: 'One super-app host as this gateway instance speaks to it.' })
export class HostInfoModel {
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({ description: 'Human-readable name, with the platform the gateway uses on that host.' }) displayName: string;
  @Field(() => HostModeValue, { description: 'How this instance reaches the host.' }) mode: HostModeValue;
  @Field(() => String, { nullable: true, description: 'Base URL of the host API this instance calls (a loopback URL in SANDBOX mode); null when OFF.' })
  baseUrl: string | null;
  @Field(() => HostCapabilitiesModel, { description: 'What the host offers; the gateway refuses the rest before calling it.' })
  capabilities: HostCapabilitiesModel;
  @Field(() => [HostLimitModel], { description: "The limits the host applies, in its adapter's order." }) limits: HostLimitModel[];
}

@ObjectType('HostViolation', { description: 'One host rule the definition or the version breaks.' })
export class HostViolationModel {
  @Field(() => Host, { description: 'The host whose rule it is.' }) host: Host;
  @Field({
    description:
      'Dotted path of the field in the definition (as that host sees it, override applied) or in the version, e.g. `name`, `icon.url`, `keywords.2`, `version`, `artifact.templateId`.',
  })
  field: string;
  @Field({ description: 'Stable rule id, for programs: e.g. `minLength`, `maxLength`, `required`, `versionFormat`, `categoryUnmapped`, `artifactKind`.' })
  rule: string;
  @Field({ description: 'What is wrong, in English, for people; its wording may change.' }) message: string;
}

@ObjectType('HostValidation', { description: "The result of one host's listing rules." })
export class HostValidationModel {
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({ description: 'True when the host has no objection (violations is empty).' }) valid: boolean;
  @Field(() => [HostViolationModel], { description: 'Every rule of this host that is broken, empty when valid.' }) violations: HostViolationModel[];
}

@ArgsType()
export class ValidateMiniProgramArgs {
  @Field(() => ID, { description: 'The mini-program (a UUID).' }) @IsUUID('all') id: string;
  @Field(() => ID, { description: 'A version of this mini-program (a UUID); a version of another one is NOT_FOUND.' }) @IsUUID('all') versionId: string;
  @Field(() => [Host], { nullable: true, description: 'Hosts to check against, each at most once; all hosts when omitted.' })
  @IsOptional()
  @ArrayMaxSize(HOST_IDS.length)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts?: Host[] | null;
}
