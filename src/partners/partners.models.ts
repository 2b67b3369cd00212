import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Scope } from '../auth/scopes.js';
import { ConnectionType } from '../common/pagination/connection.js';

@ObjectType('Partner', {
  description:
    'A partner platform (app store, aggregator, analytics vendor). Its keys read the feed: the listings of every syndicated mini-program, across organizations, and nothing else.',
})
export class PartnerModel {
  @Field(() => ID, { description: 'Gateway id of the partner (a UUID).' }) id: string;
  @Field({ description: 'Its name, 1-120 characters.' }) name: string;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the operator disabled it; from then on every one of its keys is refused. Null while enabled.',
  })
  disabledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was disabled, as the operator wrote it; null while enabled.' })
  disabledReason: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When the operator created it.' }) createdAt: Date;
}

export const PartnerConnection = ConnectionType(PartnerModel, 'Partner', { item: 'partner', items: 'partners' });

// Never exposes the hash; the plain key appears only in CreatedPartnerKey, once.
@ObjectType('PartnerKey', { description: 'A key of a partner, without its secret: the gateway keeps only a hash of it.' })
export class PartnerKeyModel {
  @Field(() => ID, { description: 'Gateway id of the key (a UUID), for revokePartnerKey.' }) id: string;
  @Field(() => ID, { description: 'The partner the key acts for.' }) partnerId: string;
  @Field({ description: "The operator's label for the key, 1-120 characters." }) name: string;
  @Field({ description: 'The visible start of the key (`mpp_...`), to recognise it in a configuration.' }) prefix: string;
  @Field(() => [Scope], { description: 'What the key may do: always exactly FEED_READ.' }) scopes: Scope[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last time the key was accepted; null when never used.' })
  lastUsedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; from then on it is refused with UNAUTHENTICATED. Null while valid.' })
  revokedAt: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'When it was created.' }) createdAt: Date;
}

@ObjectType('CreatedPartnerKey', { description: 'A new partner key and, this once, its secret.' })
export class CreatedPartnerKeyModel {
  @Field(() => PartnerKeyModel, { description: 'The stored key, as partnerKeys lists it.' }) partnerKey: PartnerKeyModel;
  @Field({ description: 'The key itself, for the partner to send as `Authorization: Bearer <key>`. Shown only in this response: hand it over now.' })
  plainKey: string;
}
