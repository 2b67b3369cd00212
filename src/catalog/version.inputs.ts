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
import { SEMVER, SHA256_HEX } from './catalog.validators.js';

@InputType()
export class PackageArtifactInput {
  @Field() @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false }) @MaxLength(2048) url: string;
  @Field() @Matches(SHA256_HEX, { message: 'sha256 must be 64 lowercase hex characters' }) sha256: string;
  @Field(() => Int, { description: 'Package size in bytes (at most 100 MB).' }) @IsInt() @Min(1) @Max(100 * 1024 * 1024) sizeBytes: number;
}

@InputType()
export class HostTemplateIdInput {
  @Field(() => Host) @IsEnum(Host) host: Host;
  @Field() @IsString() @IsNotEmpty() @MaxLength(64) templateId: string;
}

@InputType()
export class TemplateArtifactInput {
  @Field({ description: 'The ISV template id used on hosts without their own entry in hostTemplateIds.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  templateId: string;
  @Field(() => JSONObjectScalar, { nullable: true, description: 'Defaults to {}.' }) @IsOptional() @IsObject() extJson?: Record<string, unknown> | null;
  @Field(() => [HostTemplateIdInput], { defaultValue: [] })
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostTemplateIdInput)
  hostTemplateIds: HostTemplateIdInput[];
}

@InputType({ description: 'Exactly one of package or template.' })
export class ArtifactInput {
  @Field(() => PackageArtifactInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => PackageArtifactInput) package?: PackageArtifactInput;
  @Field(() => TemplateArtifactInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => TemplateArtifactInput) template?: TemplateArtifactInput;
}

@InputType()
export class CreateVersionInput {
  @Field(() => ID) @IsUUID('all') miniProgramId: string;
  @Field({ description: 'Semantic version, e.g. 1.4.0; unique per mini-program.' })
  @MaxLength(64)
  @Matches(SEMVER, { message: 'version must be a semantic version such as 1.4.0' })
  version: string;
  @Field(() => ArtifactInput) @ValidateNested() @Type(() => ArtifactInput) artifact: ArtifactInput;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) releaseNotes: string;
}

@InputType()
export class UpdateVersionInput {
  @Field(() => ID) @IsUUID('all') id: string;
  @Field({ nullable: true })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @MaxLength(64)
  @Matches(SEMVER, { message: 'version must be a semantic version such as 1.4.0' })
  version?: string;
  @Field(() => ArtifactInput, { nullable: true })
  @ValidateIf((_: object, v: unknown) => v !== undefined)
  @ValidateNested()
  @Type(() => ArtifactInput)
  artifact?: ArtifactInput;
  @Field({ nullable: true }) @ValidateIf((_: object, v: unknown) => v !== undefined) @IsString() @IsNotEmpty() @MaxLength(2000) releaseNotes?: string;
}
