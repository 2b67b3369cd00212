import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { NOTE_NO_HOST_TAKES_PACKAGES, VERSION_DOCS } from './catalog.docs.js';
import { SEMVER, SHA256_HEX } from './catalog.validators.js';

@InputType({ description: `A built code package the hosts fetch by URL. ${NOTE_NO_HOST_TAKES_PACKAGES}` })
export class PackageArtifactInput {
  @Field({ description: VERSION_DOCS.packageUrl })
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url: string;
  @Field({ description: VERSION_DOCS.packageSha256 }) @Matches(SHA256_HEX, { message: 'sha256 must be 64 lowercase hex characters' }) sha256: string;
  @Field(() => Int, { description: VERSION_DOCS.packageSizeBytes }) @IsInt() @Min(1) @Max(100 * 1024 * 1024) sizeBytes: number;
}

@InputType({ description: "The template id to use on one host instead of the artifact's templateId." })
export class HostTemplateIdInput {
  @Field(() => Host, { description: 'The host this template id applies to.' }) @IsEnum(Host) host: Host;
  @Field({ description: "The host's own template id, 1-64 characters." }) @IsString() @IsNotEmpty() @MaxLength(64) templateId: string;
}

@InputType({ description: "An ISV code template on the host, instantiated with this version's ext JSON." })
export class TemplateArtifactInput {
  @Field({ description: VERSION_DOCS.templateId })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  templateId: string;
  @Field(() => JSONObjectScalar, { nullable: true, description: `${VERSION_DOCS.extJson} A JSON object; omitted or null means {}.` })
  @IsOptional()
  @IsObject()
  extJson?: Record<string, unknown> | null;
  @Field(() => [HostTemplateIdInput], {
    defaultValue: [],
    description: `${VERSION_DOCS.hostTemplateIds} A host twice fails with BAD_USER_INPUT (rule uniqueHost).`,
  })
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostTemplateIdInput)
  hostTemplateIds: HostTemplateIdInput[];
}

@InputType({ description: 'The code of a version: exactly one of package or template (both or neither fail with BAD_USER_INPUT).' })
export class ArtifactInput {
  @Field(() => PackageArtifactInput, { nullable: true, description: 'A built code package.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PackageArtifactInput)
  package?: PackageArtifactInput;
  @Field(() => TemplateArtifactInput, { nullable: true, description: 'An ISV code template.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateArtifactInput)
  template?: TemplateArtifactInput;
}

@InputType({
  description: 'A new version of a mini-program. Any broken input rule fails the whole call with BAD_USER_INPUT, naming every bad field; nothing is written.',
})
export class CreateVersionInput {
  @Field(() => ID, {
    description: 'The mini-program; NOT_FOUND when your organization has none with this id, CONFLICT when it is archived.',
  })
  @IsUUID('all')
  miniProgramId: string;
  @Field({ description: VERSION_DOCS.version })
  @MaxLength(64)
  @Matches(SEMVER, { message: 'version must be a semantic version such as 1.4.0' })
  version: string;
  @Field(() => ArtifactInput, { description: 'The code the hosts receive.' }) @ValidateNested() @Type(() => ArtifactInput) artifact: ArtifactInput;
  @Field({ description: VERSION_DOCS.releaseNotes }) @IsString() @IsNotEmpty() @MaxLength(2000) releaseNotes: string;
}

@InputType({
  description: 'Changes to a version that no publish has used yet (a locked version fails with CONFLICT). An omitted field keeps its value; null is refused.',
})
export class UpdateVersionInput {
  @Field(() => ID, { description: 'The version to change; NOT_FOUND when your organization has none with this id.' }) @IsUUID('all') id: string;
  @Field({ nullable: true, description: VERSION_DOCS.version })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @MaxLength(64)
  @Matches(SEMVER, { message: 'version must be a semantic version such as 1.4.0' })
  version?: string;
  @Field(() => ArtifactInput, { nullable: true, description: 'New code for the version; replaces the whole artifact.' })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @ValidateNested()
  @Type(() => ArtifactInput)
  artifact?: ArtifactInput;
  @Field({ nullable: true, description: VERSION_DOCS.releaseNotes })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  releaseNotes?: string;
}
