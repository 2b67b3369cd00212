import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireAnyKey, RequireOperator, RequireOperatorOrScope } from './access.decorators.js';
import type { ApiKeyEntity } from './api-key.entity.js';
import { ApiKeyService } from './api-key.service.js';
import { CreateApiKeyInput, CreateOrganizationInput, IdArgs, OrganizationIdArgs } from './auth.inputs.js';
import { ApiKeyModel, CreatedApiKeyModel, OrganizationModel, ViewerModel } from './auth.models.js';
import { OrganizationService } from './organization.service.js';
import { PartnerService } from '../partners/partner.service.js';
import type { Principal } from './principal.js';
import { Scope } from './scopes.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly keys: ApiKeyService,
    private readonly partners: PartnerService,
  ) {}

  @Mutation(() => OrganizationModel, { description: 'Creates an organization (tenant); then give it a key with createApiKey. Needs the operator key.' })
  @RequireOperator()
  createOrganization(@Args('input', { description: 'The new organization.' }) input: CreateOrganizationInput): Promise<OrganizationModel> {
    return this.organizations.create(input.name);
  }

  @Mutation(() => CreatedApiKeyModel, {
    description:
      'Creates an API key for an organization; the plain key is returned in this answer only. Needs the operator key or an organization key with ADMIN.',
  })
  @RequireOperatorOrScope(Scope.ADMIN)
  async createApiKey(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'The organization, a label and the scopes.' }) input: CreateApiKeyInput,
  ): Promise<CreatedApiKeyModel> {
    const { key, plain } = await this.keys.create(principal, input.organizationId, input.name, input.scopes);
    return { apiKey: toModel(key), plainKey: plain };
  }

  @Mutation(() => ApiKeyModel, {
    description:
      'Revokes an API key at once: it is refused from the next request on. Revoking a revoked key changes nothing. An admin key revokes only keys of its own organization (others are NOT_FOUND). Needs the operator key or an organization key with ADMIN.',
  })
  @RequireOperatorOrScope(Scope.ADMIN)
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Args() { id }: IdArgs): Promise<ApiKeyModel> {
    return toModel(await this.keys.revoke(principal, id));
  }

  @Query(() => [ApiKeyModel], {
    description: "An organization's API keys, revoked ones included, oldest first. Needs the operator key or an organization key with ADMIN.",
  })
  @RequireOperatorOrScope(Scope.ADMIN)
  async apiKeys(@CurrentPrincipal() principal: Principal, @Args() { organizationId }: OrganizationIdArgs): Promise<ApiKeyModel[]> {
    return (await this.keys.list(principal, organizationId)).map(toModel);
  }

  @Query(() => OrganizationModel, {
    description:
      'One organization: an organization key sees only its own (others are NOT_FOUND). Needs the operator key or an organization key with CATALOG_READ.',
  })
  @RequireOperatorOrScope(Scope.CATALOG_READ)
  organization(@CurrentPrincipal() principal: Principal, @Args() { id }: IdArgs): Promise<OrganizationModel> {
    return this.organizations.get(principal, id);
  }

  @Query(() => ViewerModel, {
    description: 'Who the key in the Authorization header belongs to (the operator, an organization or a partner) and what it may do. Needs any valid key.',
  })
  @RequireAnyKey()
  async viewer(@CurrentPrincipal() principal: Principal): Promise<ViewerModel> {
    if (principal.kind === 'operator') return { isOperator: true, organization: null, partner: null, scopes: [] };
    if (principal.kind === 'partner')
      return { isOperator: false, organization: null, partner: await this.partners.get(principal.partnerId), scopes: principal.scopes as Scope[] };
    return {
      isOperator: false,
      organization: await this.organizations.get(principal, principal.organizationId),
      partner: null,
      scopes: principal.scopes as Scope[],
    };
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
