import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';

export enum Visibility {
  VISIBLE = 'VISIBLE',
  HIDDEN = 'HIDDEN',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Visibility, {
  name: 'Visibility',
  description: 'Whether users can find and open the mini-program on the host: VISIBLE, HIDDEN, or UNKNOWN before the first read-back.',
  valuesMap: {
    VISIBLE: { description: 'Users can find and open it on the host.' },
    HIDDEN: { description: 'The host hides it from search and opening (unpublished, suspended or set invisible).' },
    UNKNOWN: { description: 'Not read back from the host yet, or the host does not report it.' },
  },
});

@ObjectType('HostFailure', { description: 'A failure the host reported, kept as evidence with its native code, message and request id.' })
export class HostFailureModel {
  @Field({ description: 'Normalized kind: auth, quota, rate_limited, conflict, invalid, unavailable, rejected, or internal for a gateway-side failure.' })
  kind: string;
  @Field(() => String, { nullable: true, description: "The host's own error code, verbatim; null when the host answered none (timeout, reset)." })
  nativeCode: string | null;
  @Field({ description: "The host's own message, verbatim (never our request: it may hold secrets)." })
  nativeMessage: string;
  @Field(() => String, { nullable: true, description: "The host's request id (log id, trace id) when its answer carried one; quote it to the host's support." })
  requestId: string | null;
  @Field(() => String, { nullable: true, description: 'The operation that failed: upload, submitForReview, reviewStatus, release, rollback, readListing ...' })
  operation: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When the gateway saw the failure.' })
  at: Date;
}

@ObjectType('ListingPicture', { description: 'Versions live on a host, as expected by the gateway or as read back from the host.' })
export class ListingPictureModel {
  @Field(() => String, { nullable: true, description: 'Version served to all users not in a gray slice; null when nothing is live.' })
  liveVersion: string | null;
  @Field(() => String, { nullable: true, description: 'Version served to the gray slice; null without a gray release.' })
  grayVersion: string | null;
  @Field(() => Int, { nullable: true, description: 'Share of users in the gray slice, in percent (1-100); null without a gray release.' })
  grayPercentage: number | null;
}

@ObjectType('Drift', { description: 'What the gateway expected to be live on the host and what a read-back of the host showed instead.' })
export class DriftModel {
  @Field(() => ListingPictureModel, { description: 'What the gateway expected after its own operations.' })
  expected: ListingPictureModel;
  @Field(() => ListingPictureModel, { description: 'What the host answered on the last read-back.' })
  actual: ListingPictureModel;
}

@ObjectType('BasicInfoFieldDrift', { description: 'One basic-info field whose value on the host differs from what the gateway set there.' })
export class BasicInfoFieldDriftModel {
  @Field({ description: 'The field: name, shortName, slogan, description, icon, category or serviceContact.' }) field: string;
  @Field(() => String, { nullable: true, description: 'What the gateway set (the icon and categories as the host showed them right after).' })
  expected: string | null;
  @Field(() => String, { nullable: true, description: 'What the last read-back of the host showed.' }) actual: string | null;
}

@ObjectType('HostBinding', {
  description:
    'A mini-program bound to one host app: where it is published and the host-side picture the gateway keeps in sync. Credentials are stored encrypted and never returned.',
})
export class HostBindingModel {
  @Field(() => ID, { description: 'Binding id.' }) id: string;
  @Field(() => ID, { description: 'The mini-program this binding publishes.' }) miniProgramId: string;
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({ description: "The host's id of the bound app (WeChat/Douyin appid, Alipay mini-program app id, Baidu app id)." }) hostAppId: string;
  @Field(() => String, {
    nullable: true,
    description: 'Version live for all users, as last known; null when nothing was released through the gateway or read back.',
  })
  liveVersion: string | null;
  @Field(() => String, { nullable: true, description: 'Version in a gray (staged) release; null without one.' })
  grayVersion: string | null;
  @Field(() => Int, { nullable: true, description: 'Gray slice in percent of users; null without a gray release.' })
  grayPercentage: number | null;
  @Field(() => Visibility, { description: 'Whether users can find the mini-program on the host (from the last read-back).' })
  visibility: Visibility;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the host was last read back; null before the first read-back.' })
  lastSyncedAt: Date | null;
  @Field({ description: 'True when the last read-back of the host differed from what the gateway expects (see driftDetail).' })
  drift: boolean;
  @Field(() => DriftModel, { nullable: true, description: 'Expected and actual pictures while drift is true; null otherwise.' })
  driftDetail: DriftModel | null;
  @Field({ description: 'True when the last basic-info read-back differed from what listing sync set on the host (see basicInfoDriftDetail).' })
  basicInfoDrift: boolean;
  @Field(() => [BasicInfoFieldDriftModel], { description: 'The basic-info fields that differ while basicInfoDrift is true; empty otherwise.' })
  basicInfoDriftDetail: BasicInfoFieldDriftModel[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the host's basic info was last read back; null before listing sync first changed it." })
  basicInfoSyncedAt: Date | null;
  @Field(() => HostFailureModel, { nullable: true, description: 'The last failure the host reported for this binding; null when none.' })
  lastError: HostFailureModel | null;
  @Field(() => GraphQLISODateTime, { description: 'When the host was bound.' }) connectedAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the binding was disconnected; null while active.' })
  disconnectedAt: Date | null;
}

@InputType({
  description:
    'Binds a mini-program to an app on a host. The credentials are checked (field by field, then with one cheap authenticated call) before anything is saved.',
})
export class ConnectHostInput {
  @Field(() => ID, { description: 'The mini-program to bind.' }) @IsUUID('all') miniProgramId: string;
  @Field(() => Host, { description: 'The host.' }) @IsEnum(Host) host: Host;
  @Field({ description: "The host's id of the app, at most 128 characters without spaces. One active binding per host app across the gateway." })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @Matches(/^\S+$/, { message: 'hostAppId must not contain spaces' })
  hostAppId: string;
  @Field(() => JSONObjectScalar, {
    description: "The host's credentials object (fields per host: see docs/hosts.md). Stored encrypted (AES-256-GCM), never returned, never logged.",
  })
  @IsObject()
  credentials: Record<string, unknown>;
}

@InputType({ description: 'Ends a binding; its stored credentials are erased.' })
export class DisconnectHostInput {
  @Field(() => ID, { description: 'The binding to end.' }) @IsUUID('all') id: string;
}

@ArgsType()
export class CreateSandboxAppArgs {
  @Field(() => Host, { description: 'The host whose sandbox makes the app.' }) @IsEnum(Host) host: Host;
  @Field(() => String, { nullable: true, description: 'Display name of the sandbox app, at most 60 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  name?: string | null;
}

@ObjectType('SandboxApp', {
  description:
    "An app made on a host's sandbox (HOSTS_MODE=sandbox only), with ready-made sandbox credentials to pass to connectHost. Sandbox credentials open nothing outside the sandbox.",
})
export class SandboxAppModel {
  @Field(() => Host, { description: 'The host whose sandbox made the app.' }) host: Host;
  @Field({ description: "The app's id on the sandbox host; pass it as connectHost's hostAppId." }) hostAppId: string;
  @Field(() => JSONObjectScalar, { description: "Sandbox credentials for connectHost's credentials." }) credentials: Record<string, unknown>;
}
