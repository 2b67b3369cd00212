import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { ConnectionType } from '../common/pagination/connection.js';
import { ICON_DOCS, LISTING_DOCS, NOTE_NO_HOST_TAKES_PACKAGES, VERSION_DOCS } from './catalog.docs.js';

@ObjectType('Icon', { description: 'An icon image the hosts fetch by URL, with its checksum and pixel size.' })
export class IconModel {
  @Field({ description: ICON_DOCS.url }) url: string;
  @Field({ description: ICON_DOCS.sha256 }) sha256: string;
  @Field(() => Int, { description: ICON_DOCS.width }) width: number;
  @Field(() => Int, { description: ICON_DOCS.height }) height: number;
}

@ObjectType('HostOverride', {
  description:
    "Fields that replace the definition on one host (for example a shorter name where a host allows fewer characters); a null field keeps the definition's value.",
})
export class HostOverrideModel {
  @Field(() => Host, { description: 'The host these values apply to.' }) host: Host;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.name }) name?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.shortName }) shortName?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.slogan }) slogan?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.description }) description?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.category }) category?: string | null;
  @Field(() => [String], { nullable: true, description: LISTING_DOCS.keywords }) keywords?: string[] | null;
  @Field(() => IconModel, { nullable: true, description: LISTING_DOCS.icon }) icon?: IconModel | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.servicePhone }) servicePhone?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.serviceEmail }) serviceEmail?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.privacyPolicyUrl }) privacyPolicyUrl?: string | null;
}

@ObjectType('MiniProgram', {
  description:
    'A mini-program defined once for every host: its listing fields, per-host overrides and versions. Visible only to keys of the organization that owns it.',
})
export class MiniProgramModel {
  @Field(() => ID, { description: 'Gateway id of the mini-program (a UUID).' }) id: string;
  @Field({ description: 'Your own handle for it: 1-64 lowercase letters, digits and dashes, unique in your organization.' }) slug: string;
  @Field({ description: LISTING_DOCS.name }) name: string;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.shortName }) shortName: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.slogan }) slogan: string | null;
  @Field({ description: LISTING_DOCS.description }) description: string;
  @Field({ description: LISTING_DOCS.category }) category: string;
  @Field(() => [String], { description: LISTING_DOCS.keywords }) keywords: string[];
  @Field(() => IconModel, { nullable: true, description: LISTING_DOCS.icon }) icon: IconModel | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.servicePhone }) servicePhone: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.serviceEmail }) serviceEmail: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.privacyPolicyUrl }) privacyPolicyUrl: string | null;
  @Field(() => [HostOverrideModel], { description: 'Per-host replacements of listing fields, at most one per host, sorted by host.' })
  hostOverrides: HostOverrideModel[];
  @Field({ description: 'Offered to partner platforms: partner keys see it in `listings` and `changes` once it is live or in gray release on a host.' })
  syndicated: boolean;
  @Field({ description: 'True after archiveMiniProgram: hidden from the default list, and no version can be added.' }) archived: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was archived; null while active.' }) archivedAt: Date | null;
  @Field(() => Int, {
    description: 'Starts at 1 and increases with every change. Send the revision you read with an update; a stale one fails with CONFLICT.',
  })
  revision: number;
  @Field(() => GraphQLISODateTime, { description: 'When it was created.' }) createdAt: Date;
  @Field(() => GraphQLISODateTime, { description: 'When it last changed.' }) updatedAt: Date;
}

export enum ArtifactKind {
  PACKAGE = 'PACKAGE',
  TEMPLATE = 'TEMPLATE',
}
registerEnumType(ArtifactKind, {
  name: 'ArtifactKind',
  description: 'How the code of a version reaches the hosts.',
  valuesMap: {
    PACKAGE: { description: `A built code package the hosts fetch by URL. ${NOTE_NO_HOST_TAKES_PACKAGES}` },
    TEMPLATE: { description: "An ISV code template on the host, instantiated with the version's ext JSON." },
  },
});

@ObjectType('HostTemplateId', { description: "The template id to use on one host instead of the artifact's templateId." })
export class HostTemplateIdModel {
  @Field(() => Host, { description: 'The host this template id applies to.' }) host: Host;
  @Field({ description: "The host's own template id, 1-64 characters." }) templateId: string;
}

@ObjectType('Artifact', { description: 'The code of a version: a package (PACKAGE fields set) or an ISV code template (TEMPLATE fields set).' })
export class ArtifactModel {
  @Field(() => ArtifactKind, { description: 'Which of the two it is; the fields of the other kind are null (hostTemplateIds empty).' }) kind: ArtifactKind;
  @Field(() => String, { nullable: true, description: `${VERSION_DOCS.packageUrl} Null for a template.` }) packageUrl: string | null;
  @Field(() => String, { nullable: true, description: `${VERSION_DOCS.packageSha256} Null for a template.` }) packageSha256: string | null;
  @Field(() => Int, { nullable: true, description: `Null for a template. ${VERSION_DOCS.packageSizeBytes}` }) packageSizeBytes: number | null;
  @Field(() => String, { nullable: true, description: `Null for a package. ${VERSION_DOCS.templateId}` }) templateId: string | null;
  @Field(() => JSONObjectScalar, { nullable: true, description: `${VERSION_DOCS.extJson} An empty object when none was given; null for a package.` })
  extJson: Record<string, unknown> | null;
  @Field(() => [HostTemplateIdModel], { description: `${VERSION_DOCS.hostTemplateIds} Empty for a package.` })
  hostTemplateIds: HostTemplateIdModel[];
}

@ObjectType('Version', {
  description: 'One version of a mini-program: a semantic version, its code and its release notes. It can change until a publish uses it.',
})
export class VersionModel {
  @Field(() => ID, { description: 'Gateway id of the version (a UUID).' }) id: string;
  @Field(() => ID, { description: 'The mini-program this version belongs to.' }) miniProgramId: string;
  @Field({ description: VERSION_DOCS.version }) version: string;
  @Field(() => ArtifactModel, { description: 'The code the hosts receive.' }) artifact: ArtifactModel;
  @Field({ description: VERSION_DOCS.releaseNotes }) releaseNotes: string;
  @Field({ description: 'True once a publish used this version: updateVersion and deleteVersion then fail with CONFLICT.' }) locked: boolean;
  @Field(() => GraphQLISODateTime, { description: 'When it was created; versions list newest first by this.' }) createdAt: Date;
  @Field(() => GraphQLISODateTime, { description: 'When it last changed.' }) updatedAt: Date;
}

@ObjectType('Category', { description: "One entry of the gateway's category taxonomy: a top-level category or one of its children." })
export class CategoryModel {
  @Field({ description: 'The code to put in a definition, e.g. `life` or `life.food`.' }) code: string;
  @Field({ description: 'English name of the category.' }) name: string;
  @Field(() => String, { nullable: true, description: 'Code of the top-level category this one belongs to; null for a top-level category.' })
  parent: string | null;
}

@ObjectType('DeletedVersion', { description: 'What deleteVersion removed.' })
export class DeletedVersionModel {
  @Field(() => ID, { description: 'Id of the deleted version; it is gone for good.' }) id: string;
}

export const MiniProgramConnection = ConnectionType(MiniProgramModel, 'MiniProgram', { item: 'mini-program', items: 'mini-programs' });
export const VersionConnection = ConnectionType(VersionModel, 'Version', { item: 'version', items: 'versions of one mini-program' });
