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
import { ICON_DOCS, LISTING_DOCS } from './catalog.docs.js';
import { IsCanonicalCategory, PHONE, SHA256_HEX, SLUG } from './catalog.validators.js';

const URL_RULE = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };
/** Optional on update, but when present it must not be null. */
const Present = () => ValidateIf((_: object, v: unknown) => v !== undefined);

@InputType({ description: 'An icon image the hosts fetch by URL, with its checksum and pixel size.' })
export class IconInput {
  @Field({ description: ICON_DOCS.url }) @IsUrl(URL_RULE) @MaxLength(2048) url: string;
  @Field({ description: ICON_DOCS.sha256 })
  @Matches(SHA256_HEX, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256: string;
  @Field(() => Int, { description: ICON_DOCS.width }) @IsInt() @Min(16) @Max(4096) width: number;
  @Field(() => Int, { description: ICON_DOCS.height }) @IsInt() @Min(16) @Max(4096) height: number;
}

/** Listing fields shared by the definition and its per-host overrides. All optional here. */
@InputType()
export class ListingFieldsInput {
  @Field({ nullable: true, description: LISTING_DOCS.name }) @Present() @IsString() @IsNotEmpty() @MaxLength(60) name?: string;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.shortName }) @IsOptional() @IsString() @MaxLength(30) shortName?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.slogan }) @IsOptional() @IsString() @MaxLength(60) slogan?: string | null;
  @Field({ nullable: true, description: LISTING_DOCS.description }) @Present() @IsString() @IsNotEmpty() @MaxLength(1000) description?: string;
  @Field({ nullable: true, description: LISTING_DOCS.category }) @Present() @IsCanonicalCategory() category?: string;
  @Field(() => [String], { nullable: true, description: LISTING_DOCS.keywords })
  @Present()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(20, { each: true })
  keywords?: string[];
  @Field(() => IconInput, { nullable: true, description: LISTING_DOCS.icon }) @IsOptional() @ValidateNested() @Type(() => IconInput) icon?: IconInput | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.servicePhone })
  @IsOptional()
  @Matches(PHONE, { message: 'servicePhone must be digits, spaces or dashes, optionally starting with +' })
  servicePhone?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.serviceEmail }) @IsOptional() @IsEmail() @MaxLength(254) serviceEmail?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.privacyPolicyUrl }) @IsOptional() @IsUrl(URL_RULE) @MaxLength(2048) privacyPolicyUrl?:
    string | null;
}

@InputType({
  description:
    "Listing fields that replace the definition's on one host; an omitted or null field keeps the definition's value. Each field has the same limits as in the definition.",
})
export class HostOverrideInput extends ListingFieldsInput {
  @Field(() => Host, { description: 'The host these values apply to.' }) @IsEnum(Host) host: Host;
}

@InputType({
  description: 'A new mini-program definition. Any broken input rule fails the whole call with BAD_USER_INPUT, naming every bad field; nothing is written.',
})
export class CreateMiniProgramInput {
  @Field({
    description:
      'Your own handle for the mini-program: 1-64 lowercase letters, digits and dashes, not starting or ending with a dash. Unique in your organization: a used slug fails with CONFLICT.',
  })
  @Matches(SLUG, { message: 'slug must be 1-64 lowercase letters, digits or dashes, not starting or ending with a dash' })
  slug: string;
  @Field({ description: LISTING_DOCS.name }) @IsString() @IsNotEmpty() @MaxLength(60) name: string;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.shortName }) @IsOptional() @IsString() @MaxLength(30) shortName?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.slogan }) @IsOptional() @IsString() @MaxLength(60) slogan?: string | null;
  @Field({ description: LISTING_DOCS.description }) @IsString() @IsNotEmpty() @MaxLength(1000) description: string;
  @Field({ description: LISTING_DOCS.category }) @IsCanonicalCategory() category: string;
  @Field(() => [String], { defaultValue: [], description: LISTING_DOCS.keywords })
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(20, { each: true })
  keywords: string[];
  @Field(() => IconInput, { nullable: true, description: LISTING_DOCS.icon }) @IsOptional() @ValidateNested() @Type(() => IconInput) icon?: IconInput | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.servicePhone })
  @IsOptional()
  @Matches(PHONE, { message: 'servicePhone must be digits, spaces or dashes, optionally starting with +' })
  servicePhone?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.serviceEmail }) @IsOptional() @IsEmail() @MaxLength(254) serviceEmail?: string | null;
  @Field(() => String, { nullable: true, description: LISTING_DOCS.privacyPolicyUrl }) @IsOptional() @IsUrl(URL_RULE) @MaxLength(2048) privacyPolicyUrl?:
    string | null;
  @Field(() => [HostOverrideInput], {
    defaultValue: [],
    description: 'Per-host replacements of listing fields: at most 4, one per host (a host twice fails with BAD_USER_INPUT, rule uniqueHost).',
  })
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostOverrideInput)
  hostOverrides: HostOverrideInput[];
  @Field({
    defaultValue: false,
    description: 'Offer it to partner platforms: partner keys see it in `listings` and `changes` once it is live or in gray release on a host.',
  })
  @IsBoolean()
  syndicated: boolean;
}

@InputType({
  description:
    'Changes to a mini-program. An omitted field keeps its value; null clears an optional field (shortName, slogan, icon, servicePhone, serviceEmail, privacyPolicyUrl) and is refused for the others.',
})
export class UpdateMiniProgramInput extends ListingFieldsInput {
  @Field(() => ID, { description: 'The mini-program to change; NOT_FOUND when your organization has none with this id.' }) @IsUUID('all') id: string;
  @Field(() => Int, { description: 'The revision you read (at least 1); a stale one fails with CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1)
  revision: number;
  @Field({ nullable: true, description: 'New slug: 1-64 lowercase letters, digits and dashes, unique in your organization (CONFLICT when used).' })
  @Present()
  @Matches(SLUG, { message: 'slug must be 1-64 lowercase letters, digits or dashes, not starting or ending with a dash' })
  slug?: string;
  @Field(() => [HostOverrideInput], {
    nullable: true,
    description: 'Replaces every override (an empty list removes them all): at most 4, one per host (a host twice fails with BAD_USER_INPUT, rule uniqueHost).',
  })
  @Present()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => HostOverrideInput)
  hostOverrides?: HostOverrideInput[];
  @Field({
    nullable: true,
    description: 'Offer it to partner platforms: partner keys see it in `listings` and `changes` once it is live or in gray release on a host.',
  })
  @Present()
  @IsBoolean()
  syndicated?: boolean;
}

@InputType({ description: 'A mini-program to archive or unarchive, at the revision you read.' })
export class ArchiveMiniProgramInput {
  @Field(() => ID, { description: 'The mini-program; NOT_FOUND when your organization has none with this id.' }) @IsUUID('all') id: string;
  @Field(() => Int, { description: 'The revision you read (at least 1); a stale one fails with CONFLICT and nothing is written.' })
  @IsInt()
  @Min(1)
  revision: number;
}

@InputType({ description: 'Narrows miniPrograms; the conditions combine with AND.' })
export class MiniProgramFilter {
  @Field({ nullable: true, description: 'Text found in the name, short name or slug (case-insensitive substring); at most 100 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
  @Field({
    nullable: true,
    description: 'A category code from `categories`; a top-level code also matches its children. An unknown code fails with BAD_USER_INPUT.',
  })
  @IsOptional()
  @IsCanonicalCategory()
  category?: string;
  @Field({ nullable: true, description: 'True: archived mini-programs only. False or omitted: active ones only.' })
  @IsOptional()
  @IsBoolean()
  archived?: boolean;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'How many items to return: 1-100 (BAD_USER_INPUT outside).' }) @IsInt() @Min(1) @Max(100) first: number;
  @Field({
    nullable: true,
    description:
      'Return the items after this cursor (an `endCursor` or edge `cursor` from an earlier page); omit it for the first page. A cursor this API did not make fails with BAD_USER_INPUT (rule isCursor).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

@ArgsType()
export class MiniProgramsArgs extends PageArgs {
  @Field(() => MiniProgramFilter, { nullable: true, description: 'Which mini-programs to list; active ones when omitted.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MiniProgramFilter)
  filter?: MiniProgramFilter;
}
