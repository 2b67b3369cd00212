import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireAnyKey, RequireOperator, RequireOperatorOrScope } from './access.decorators.js';
import type { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';
import { CreateApiKeyInput, CreateOrganizationInput, IdArgs, OrganizationIdArgs } from './auth.inputs.js';
import { ApiKeyModel, CreatedApiKeyModel, OrganizationModel, ViewerModel } from './auth.models.js';
import { OrganizationService } from './organization.service.js';
import type { Principal } from './principal.js';
import { Scope } from './scopes.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly keys: ApiKeyService,
  ) {}

  @Mutation(() => OrganizationModel)
  @RequireOperator()
  createOrganization(@Args('input') input: CreateOrganizationInput): Promise<OrganizationModel> {
    return this.organizations.create(input.name);
  }

  @Mutation(() => CreatedApiKeyModel, { description: 'Creates an API key; the plain key is returned once.' })
  @RequireOperatorOrScope(Scope.ADMIN)
  async createApiKey(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateApiKeyInput): Promise<CreatedApiKeyModel> {
    const { key, plain } = await this.keys.create(principal, input.organizationId, input.name, input.scopes);
    return { apiKey: toModel(key), plainKey: plain };
  }

  @Mutation(() => ApiKeyModel)
  @RequireOperatorOrScope(Scope.ADMIN)
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Args() { id }: IdArgs): Promise<ApiKeyModel> {
    return toModel(await this.keys.revoke(principal, id));
  }

  @Query(() => [ApiKeyModel])
  @RequireOperatorOrScope(Scope.ADMIN)
  async apiKeys(@CurrentPrincipal() principal: Principal, @Args() { organizationId }: OrganizationIdArgs): Promise<ApiKeyModel[]> {
    return (await this.keys.list(principal, organizationId)).map(toModel);
  }

  @Query(() => OrganizationModel)
  @RequireOperatorOrScope(Scope.CATALOG_READ)
  organization(@CurrentPrincipal() principal: Principal, @Args() { id }: IdArgs): Promise<OrganizationModel> {
    return this.organizations.get(principal, id);
  }

  @Query(() => ViewerModel)
  @RequireAnyKey()
  async viewer(@CurrentPrincipal() principal: Principal): Promise<ViewerModel> {
    if (principal.kind === 'operator') return { isOperator: true, organization: null, scopes: [] };
    return { isOperator: false, organization: await this.organizations.get(principal, principal.organizationId), scopes: principal.scopes as Scope[] };
  }
}

function toModel(key: ApiKeyEntity): ApiKeyModel {
  return {
    id: key.id,
    organizationId: key.organizationId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes as Scope[],
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    createdAt: key.createdAt,
  };
}
