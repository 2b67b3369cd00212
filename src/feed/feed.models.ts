import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { IconModel } from '../catalog/catalog.models.js';
import { Host } from '../common/host.enum.js';
import { ConnectionType, PageInfo, type PageInfoValue } from '../common/pagination/connection.js';
import { Visibility } from '../hosts/bindings.models.js';
import { SubmissionStage } from '../publishing/publishing.models.js';

// No adapter reads a deep link or QR code from its host today (adapters/core exposes none).
const NO_LINK_YET = 'Null for now on every host: no host adapter reads one from its host yet, and the gateway does not make one up.';

@ObjectType('ListingHostState', {
  description:
    'A mini-program on one host as the feed shows it: what is live, what is in gray release, where its latest submission stands. Never credentials or host error text.',
})
export class ListingHostStateModel {
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field({ description: "The mini-program's app id on the host." }) hostAppId: string;
  @Field(() => String, { nullable: true, description: 'The version users get on the host; null when nothing was released there.' })
  liveVersion: string | null;
  @Field(() => String, { nullable: true, description: 'The version in gray (staged) release; null when none.' }) grayVersion: string | null;
  @Field(() => Int, { nullable: true, description: 'Share of users, 1-100, who get grayVersion; null when no gray release runs.' })
  grayPercentage: number | null;
  @Field(() => Visibility, { description: 'Whether users can find and open it on the host (from the last read-back).' }) visibility: Visibility;
  @Field(() => SubmissionStage, {
    nullable: true,
    description: 'Stage of the latest submission to this host (its review, release ...); null before the first.',
  })
  reviewStage: SubmissionStage | null;
  @Field(() => String, { nullable: true, description: 'The version of that latest submission; null before the first.' }) reviewVersion: string | null;
  @Field(() => GraphQLISODateTime, { description: 'Last change on this host: of the binding (live, gray, visibility) or of its latest submission.' })
  lastChangedAt: Date;
  @Field(() => String, { nullable: true, description: `A link that opens the mini-program in the host app. ${NO_LINK_YET}` }) deepLink: string | null;
  @Field(() => String, { nullable: true, description: `URL of a QR code image that opens the mini-program. ${NO_LINK_YET}` }) qrCodeUrl: string | null;
}

@ObjectType('Listing', {
  description:
    'One mini-program in the feed, with its state on every host it is bound to. Partner keys see only syndicated, live, unarchived mini-programs; an organization key sees all of its own.',
})
export class ListingModel {
  @Field(() => ID, { description: 'The mini-program (its gateway id).' }) id: string;
  @Field(() => ID, { description: 'The organization that owns it.' }) organizationId: string;
  @Field({ description: 'Canonical name.' }) name: string;
  @Field(() => String, { nullable: true, description: 'Short name, when it has one.' }) shortName: string | null;
  @Field(() => String, { nullable: true, description: 'One-line slogan, when it has one.' }) slogan: string | null;
  @Field({ description: 'Description.' }) description: string;
  @Field({ description: 'Canonical category code (see `categories`).' }) category: string;
  @Field(() => [String], { description: 'Search keywords.' }) keywords: string[];
  @Field(() => IconModel, { nullable: true, description: 'Icon, when it has one.' }) icon: IconModel | null;
  @Field(() => String, { nullable: true, description: 'Privacy policy URL, when it has one.' }) privacyPolicyUrl: string | null;
  @Field({ description: 'Whether its owner offers it to partners (partner keys see only these).' }) syndicated: boolean;
  @Field({ description: 'Whether its owner archived it (partner keys never see archived ones).' }) archived: boolean;
  @Field(() => GraphQLISODateTime, { description: 'When it was defined; listings are ordered by it, newest first.' }) createdAt: Date;
  // Both read the host states of the whole page, loaded in one statement the first time either is read.
  @Field(() => GraphQLISODateTime, {
    description:
      "Last change to the listing: of the definition, or on a host (a binding made, or the binding's latest listing event), as updatedSince filters.",
  })
  updatedAt: Date | Promise<Date>;
  @Field(() => [ListingHostStateModel], { description: 'Its state on each host it is bound to, ordered by host id; empty when bound to none.' })
  hosts: ListingHostStateModel[] | Promise<ListingHostStateModel[]>;
}

export const ListingConnection = ConnectionType(ListingModel, 'Listing', { item: 'listing', items: 'listings' });

@ObjectType('FeedChange', {
  description:
    'One change to a listing: a stage change on a host, a requested or failed action, drift between the gateway and a host. Without evidence or host error text; owners read those in MiniProgram.events.',
})
export class FeedChangeModel {
  @Field({ description: 'Position in the global sequence of listing events (a decimal integer). Changes come ordered by writing transaction, then by it.' })
  seq: string;
  @Field(() => ID, { description: 'The listing (mini-program) that changed; read its state with `listings`.' }) listingId: string;
  @Field(() => Host, { description: 'The host the change happened on.' }) host: Host;
  @Field({
    description:
      "One of ListingEventKind: STAGE_CHANGED (fromStage -> toStage), ACTION_REQUESTED, ACTION_FAILED, REVIEW_SPEED_UP_REQUESTED, DRIFT_DETECTED / DRIFT_CLEARED (the host read back differs / agrees again), AUTHORIZATION_REVOKED, and listing sync's BASIC_INFO_REQUESTED, BASIC_INFO_IN_REVIEW, BASIC_INFO_APPLIED, BASIC_INFO_REJECTED, BASIC_INFO_FAILED.",
  })
  type: string;
  @Field(() => SubmissionStage, { nullable: true, description: 'Stage before a STAGE_CHANGED; null for the first stage and other types.' })
  fromStage: SubmissionStage | null;
  @Field(() => SubmissionStage, { nullable: true, description: 'Stage after a STAGE_CHANGED; null for other types.' }) toStage: SubmissionStage | null;
  @Field(() => GraphQLISODateTime, { description: 'When the change was recorded.' }) occurredAt: Date;
}

@ObjectType('FeedChangeEdge', { description: 'One change, with the cursor to resume after it.' })
export class FeedChangeEdgeModel {
  @Field({ description: 'Opaque cursor of this change: pass it as `after` to get the changes that follow it.' }) cursor: string;
  @Field(() => FeedChangeModel, { description: 'The change.' }) node: FeedChangeModel;
}

@ObjectType('FeedChangeConnection', { description: 'A page of changes, oldest first.' })
export class FeedChangeConnectionModel {
  @Field(() => [FeedChangeEdgeModel], { description: 'The changes of this page, at most `first`, oldest first.' }) edges: FeedChangeEdgeModel[];
  @Field(() => PageInfo, {
    description:
      'Where to resume: store endCursor and poll with it as `after` (an empty page has none: keep the cursor you have). hasNextPage: more changes are ready now.',
  })
  pageInfo: PageInfoValue;
}
