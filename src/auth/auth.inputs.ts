import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsNotEmpty, IsUUID, MaxLength } from 'class-validator';
import { Scope } from './scopes.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType({ description: 'A new organization (tenant).' })
export class CreateOrganizationInput {
  @Field({ description: 'Its name: 1-120 characters once trimmed.' })
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

@InputType({ description: 'A new API key for an organization.' })
export class CreateApiKeyInput {
  @Field(() => ID, {
    description: 'The organization the key acts for. An admin key may name only its own organization; any other id is NOT_FOUND.',
  })
  @IsUUID('all')
  organizationId: string;

  @Field({ description: 'Your label for the key (where it is used): 1-120 characters once trimmed.' })
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @Field(() => [Scope], { description: 'What the key may do: 1-5 scopes, no duplicates. Give each key the fewest it needs.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsEnum(Scope, { each: true })
  scopes: Scope[];
}

@ArgsType()
export class IdArgs {
  @Field(() => ID, { description: 'Gateway id (a UUID); an id that is not a UUID fails with BAD_USER_INPUT, an unknown one with NOT_FOUND.' })
  @IsUUID('all')
  id: string;
}

@ArgsType()
export class OrganizationIdArgs {
  @Field(() => ID, { description: 'The organization (a UUID). An admin key may name only its own organization; any other id is NOT_FOUND.' })
  @IsUUID('all')
  organizationId: string;
}
