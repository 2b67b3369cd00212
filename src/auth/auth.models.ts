import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { PartnerModel } from '../partners/partners.models.js';
import { Scope } from './scopes.js';

@ObjectType('Organization', { description: 'A tenant: a developer, an ISV or a partner. Everything it defines is visible only to its own keys.' })
export class OrganizationModel {
  @Field(() => ID, { description: 'Gateway id of the organization (a UUID).' }) id: string;
  @Field({ description: 'Its name, 1-120 characters.' }) name: string;
  @Field(() => GraphQLISODateTime, { description: 'When the operator created it.' }) createdAt: Date;
}

// Never exposes the hash; the plain key appears only in CreatedApiKey, once.
@ObjectType('ApiKey', { description: 'An API key of an organization, without its secret: the gateway keeps only a hash of it.' })
export class ApiKeyModel {
  @Field(() => ID, { description: 'Gateway id of the key (a UUID), for revokeApiKey.' }) id: string;
  @Field(() => ID, { description: 'The organization the key acts for.' }) organizationId: string;
  @Field({ description: 'Your label for the key, 1-120 characters.' }) name: string;
  @Field({ description: 'The visible start of the key, to recognise it in your configuration.' }) prefix: string;
  @Field(() => [Scope], { description: 'What the key may do.' }) scopes: Scope[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last time the key was accepted (recorded at most once a minute); null when never used.' })
  lastUsedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was revoked; from then on it is refused with UNAUTHENTICATED. Null while valid.' })
  revokedAt: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'When it was created.' }) createdAt: Date;
}

@ObjectType('CreatedApiKey', { description: 'A new API key and, this once, its secret.' })
export class CreatedApiKeyModel {
  @Field(() => ApiKeyModel, { description: 'The stored key, as apiKeys lists it.' }) apiKey: ApiKeyModel;
  @Field({ description: 'The key itself, to send as `Authorization: Bearer <key>`. Shown only in this response: store it now.' }) plainKey: string;
}

@ObjectType('Viewer', { description: 'Who the current key belongs to.' })
export class ViewerModel {
  @Field({ description: 'True for the operator key (GATEWAY_ADMIN_KEY), which belongs to no organization.' }) isOperator: boolean;
  @Field(() => OrganizationModel, { nullable: true, description: "The key's organization; null for the operator key and partner keys." })
  organization: OrganizationModel | null;
  @Field(() => PartnerModel, { nullable: true, description: "The key's partner platform, for a partner key; null otherwise." })
  partner: PartnerModel | null;
  @Field(() => [Scope], { description: 'The scopes the key holds, as granted (ADMIN implies the others); empty for the operator key.' }) scopes: Scope[];
}
