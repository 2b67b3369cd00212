import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Scope } from './scopes.js';

@ObjectType('Organization')
export class OrganizationModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

// Never exposes the hash; the plain key appears only in CreatedApiKey, once.
@ObjectType('ApiKey')
export class ApiKeyModel {
  @Field(() => ID) id: string;
  @Field(() => ID) organizationId: string;
  @Field() name: string;
  @Field({ description: 'The visible start of the key, to recognise it.' }) prefix: string;
  @Field(() => [Scope]) scopes: Scope[];
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt: Date | null;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel {
  @Field(() => ApiKeyModel) apiKey: ApiKeyModel;
  @Field({ description: 'The key itself. Shown only in this response: store it now.' }) plainKey: string;
}

@ObjectType('Viewer', { description: 'Who the current key belongs to.' })
export class ViewerModel {
  @Field() isOperator: boolean;
  @Field(() => OrganizationModel, { nullable: true }) organization: OrganizationModel | null;
  @Field(() => [Scope]) scopes: Scope[];
}
