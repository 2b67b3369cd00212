import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { ConnectionType } from '../common/pagination/connection.js';

@ObjectType('Icon')
export class IconModel {
  @Field() url: string;
  @Field() sha256: string;
  @Field(() => Int) width: number;
  @Field(() => Int) height: number;
}

@ObjectType('HostOverride', { description: 'Fields that replace the definition on one host; null fields are not overridden.' })
export class HostOverrideModel {
  @Field(() => Host) host: Host;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) shortName?: string | null;
  @Field(() => String, { nullable: true }) slogan?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) category?: string | null;
  @Field(() => [String], { nullable: true }) keywords?: string[] | null;
  @Field(() => IconModel, { nullable: true }) icon?: IconModel | null;
  @Field(() => String, { nullable: true }) servicePhone?: string | null;
  @Field(() => String, { nullable: true }) serviceEmail?: string | null;
  @Field(() => String, { nullable: true }) privacyPolicyUrl?: string | null;
}

@ObjectType('MiniProgram')
export class MiniProgramModel {
  @Field(() => ID) id: string;
  @Field() slug: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) shortName: string | null;
  @Field(() => String, { nullable: true }) slogan: string | null;
  @Field() description: string;
  @Field() category: string;
  @Field(() => [String]) keywords: string[];
  @Field(() => IconModel, { nullable: true }) icon: IconModel | null;
  @Field(() => String, { nullable: true }) servicePhone: string | null;
  @Field(() => String, { nullable: true }) serviceEmail: string | null;
  @Field(() => String, { nullable: true }) privacyPolicyUrl: string | null;
  @Field(() => [HostOverrideModel]) hostOverrides: HostOverrideModel[];
  @Field() syndicated: boolean;
  @Field() archived: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) archivedAt: Date | null;
  @Field(() => Int, { description: 'Increases with every change; send it back with updates.' }) revision: number;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
}

export enum ArtifactKind {
  PACKAGE = 'PACKAGE',
  TEMPLATE = 'TEMPLATE',
}
registerEnumType(ArtifactKind, { name: 'ArtifactKind' });

@ObjectType('HostTemplateId')
export class HostTemplateIdModel {
  @Field(() => Host) host: Host;
  @Field() templateId: string;
}

@ObjectType('Artifact')
export class ArtifactModel {
  @Field(() => ArtifactKind) kind: ArtifactKind;
  @Field(() => String, { nullable: true }) packageUrl: string | null;
  @Field(() => String, { nullable: true }) packageSha256: string | null;
  @Field(() => Int, { nullable: true }) packageSizeBytes: number | null;
  @Field(() => String, { nullable: true }) templateId: string | null;
  @Field(() => JSONObjectScalar, { nullable: true }) extJson: Record<string, unknown> | null;
  @Field(() => [HostTemplateIdModel]) hostTemplateIds: HostTemplateIdModel[];
}

@ObjectType('Version')
export class VersionModel {
  @Field(() => ID) id: string;
  @Field(() => ID) miniProgramId: string;
  @Field() version: string;
  @Field(() => ArtifactModel) artifact: ArtifactModel;
  @Field() releaseNotes: string;
  @Field({ description: 'True once a publish used this version: it can no longer change.' }) locked: boolean;
  @Field(() => GraphQLISODateTime) createdAt: Date;
  @Field(() => GraphQLISODateTime) updatedAt: Date;
}

@ObjectType('Category')
export class CategoryModel {
  @Field() code: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) parent: string | null;
}

@ObjectType('DeletedVersion')
export class DeletedVersionModel {
  @Field(() => ID) id: string;
}

export const MiniProgramConnection = ConnectionType(MiniProgramModel, 'MiniProgram');
export const VersionConnection = ConnectionType(VersionModel, 'Version');
