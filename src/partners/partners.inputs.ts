import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType({ description: 'A new partner platform.' })
export class CreatePartnerInput {
  @Field({ description: 'Its name: 1-120 characters once trimmed.' })
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

@InputType({ description: 'A partner to disable, and why.' })
export class DisablePartnerInput {
  @Field(() => ID, { description: 'The partner (a UUID); an unknown one is NOT_FOUND.' })
  @IsUUID('all')
  id: string;

  @Field({ description: 'Why, for the record (shown in Partner.disabledReason): 1-500 characters once trimmed.' })
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@InputType({ description: 'A new key for a partner; it holds FEED_READ and nothing else.' })
export class CreatePartnerKeyInput {
  @Field(() => ID, { description: 'The partner the key acts for (a UUID); NOT_FOUND when unknown, CONFLICT when disabled.' })
  @IsUUID('all')
  partnerId: string;

  @Field({ description: 'A label for the key (who uses it, where): 1-120 characters once trimmed.' })
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

@ArgsType()
export class PartnersArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1-100.' })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number;

  @Field({ nullable: true, description: 'Cursor of the last partner already read (endCursor of the previous page).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;

  @Field({ defaultValue: false, description: 'Also list disabled partners.' })
  @IsBoolean()
  includeDisabled: boolean;
}

@ArgsType()
export class PartnerIdArgs {
  @Field(() => ID, { description: 'The partner (a UUID); an unknown one is NOT_FOUND.' })
  @IsUUID('all')
  partnerId: string;
}
