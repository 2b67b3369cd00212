import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsNotEmpty, IsUUID, MaxLength } from 'class-validator';
import { Scope } from './scopes.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateOrganizationInput {
  @Field()
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID)
  @IsUUID('all')
  organizationId: string;

  @Field()
  @Transform(trim)
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @Field(() => [Scope])
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsEnum(Scope, { each: true })
  scopes: Scope[];
}

@ArgsType()
export class IdArgs {
  @Field(() => ID)
  @IsUUID('all')
  id: string;
}

@ArgsType()
export class OrganizationIdArgs {
  @Field(() => ID)
  @IsUUID('all')
  organizationId: string;
}
