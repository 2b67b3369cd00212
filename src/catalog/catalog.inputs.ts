import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsNotEmpty,
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
import { IsCanonicalCategory, PHONE, SHA256_HEX, SLUG } from './catalog.validators.js';

const URL_RULE = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };
/** Optional on update, but when present it must not be null. */
const Present = () => ValidateIf((_: object, v: unknown) => v !== undefined);

@InputType()
export class IconInput {
  @Field() @IsUrl(URL_RULE) @MaxLength(2048) url: string;
  @Field({ description: 'sha256 of the image bytes, lowercase hex.' })
  @Matches(SHA256_HEX, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256: string;
  @Field(() => Int) @IsInt() @Min(16) @Max(4096) width: number;
  @Field(() => Int) @IsInt() @Min(16) @Max(4096) height: number;
}

/** Listing fields shared by the definition and its per-host overrides. All optional here. */
@InputType()
export class ListingFieldsInput {
  @Field({ nullable: true }) @Present() @IsString() @IsNotEmpty() @MaxLength(60) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(30) shortName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(60) slogan?: string | null;
  @Field({ nullable: true }) @Present() @IsString() @IsNotEmpty() @MaxLength(1000) description?: string;
  @Field({ nullable: true }) @Present() @IsCanonicalCategory() category?: string;
  @Field(() => [String], { nullable: true })
  @Present()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(20, { each: true })
  keywords?: string[];
  @Field(() => IconInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => IconInput) icon?: IconInput | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'servicePhone must be digits, spaces or dashes, optionally starting with +' })
  servicePhone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) serviceEmail?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsUrl(URL_RULE) @MaxLength(2048) privacyPolicyUrl?: string | null;
}

@InputType()
export class HostOverrideInput extends ListingFieldsInput {
  @Field(() => Host) @IsEnum(Host) host: Host;
}

@InputType()
export class CreateMiniProgramInput {
  @Field({ description: 'Unique per organization: lowercase letters, digits and dashes.' })
  @Matches(SLUG, { message: 'slug must be 1-64 lowercase letters, digits or dashes, not starting or ending with a dash' })
  slug: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(60) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(30) shortName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(60) slogan?: string | null;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) description: string;
  @Field() @IsCanonicalCategory() category: string;
  @Field(() => [String], { defaultValue: [] })
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(20, { each: true })
  keywords: string[];
  @Field(() => IconInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => IconInput) icon?: IconInput | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE, { message: 'servicePhone must be digits, spaces or dashes, optionally starting with +' })
  servicePhone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(254) serviceEmail?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsUrl(URL_RULE) @MaxLength(2048) privacyPolicyUrl?: string | null;
  @Field(() => [HostOverrideInput], { defaultValue: [] })
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostOverrideInput)
  hostOverrides: HostOverrideInput[];
  @Field({ defaultValue: false }) @IsBoolean() syndicated: boolean;
}

@InputType()
export class UpdateMiniProgramInput extends ListingFieldsInput {
  @Field(() => ID) @IsUUID('all') id: string;
  @Field(() => Int, { description: 'The revision you read; a stale one fails with CONFLICT.' }) @IsInt() @Min(1) revision: number;
  @Field({ nullable: true })
  @Present()
  @Matches(SLUG, { message: 'slug must be 1-64 lowercase letters, digits or dashes, not starting or ending with a dash' })
  slug?: string;
  @Field(() => [HostOverrideInput], { nullable: true, description: 'Replaces every override.' })
  @Present()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostOverrideInput)
  hostOverrides?: HostOverrideInput[];
  @Field({ nullable: true }) @Present() @IsBoolean() syndicated?: boolean;
}

@InputType()
export class ArchiveMiniProgramInput {
  @Field(() => ID) @IsUUID('all') id: string;
  @Field(() => Int) @IsInt() @Min(1) revision: number;
}

@InputType()
export class MiniProgramFilter {
  @Field({ nullable: true, description: 'Matches name, short name or slug (case-insensitive).' }) @IsOptional() @IsString() @MaxLength(100) search?: string;
  @Field({ nullable: true, description: 'A category code; a top-level code also matches its children.' })
  @IsOptional()
  @IsCanonicalCategory()
  category?: string;
  @Field({ nullable: true, description: 'true: archived only; false (default): active only.' }) @IsOptional() @IsBoolean() archived?: boolean;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20 }) @IsInt() @Min(1) @Max(100) first: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) after?: string;
}

@ArgsType()
export class MiniProgramsArgs extends PageArgs {
  @Field(() => MiniProgramFilter, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => MiniProgramFilter) filter?: MiniProgramFilter;
}
