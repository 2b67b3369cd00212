import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequireOperator } from '../auth/access.decorators.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { IdArgs } from '../auth/auth.inputs.js';
import type { Scope } from '../auth/scopes.js';
import type { Connection } from '../common/pagination/connection.js';
import type { PartnerEntity, PartnerKeyEntity } from './partner.entity.js';
import { PartnerService } from './partner.service.js';
import { CreatePartnerInput, CreatePartnerKeyInput, DisablePartnerInput, PartnerIdArgs, PartnersArgs } from './partners.inputs.js';
import { CreatedPartnerKeyModel, PartnerConnection, PartnerKeyModel, PartnerModel } from './partners.models.js';

// Partner accounts are the operator's business: every operation here needs the operator key.
@Resolver()
export class PartnersResolver {
  constructor(
    private readonly service: PartnerService,
    private readonly apiKeys: ApiKeyService,
  ) {}

  @Mutation(() => PartnerModel, { description: 'Creates a partner platform; then give it a key with createPartnerKey. Needs the operator key.' })
  @RequireOperator()
  createPartner(@Args('input', { description: 'The new partner.' }) input: CreatePartnerInput): Promise<PartnerModel> {
    return this.service.create(input.name);
  }

  @Mutation(() => PartnerModel, {
    description:
      'Disables a partner: every one of its keys is refused from the next request on (within a second on other gateway instances), and it gets no new keys. Disabling a disabled partner changes nothing. Needs the operator key.',
  })
  @RequireOperator()
  async disablePartner(@Args('input', { description: 'The partner and why.' }) input: DisablePartnerInput): Promise<PartnerModel> {
    const partner = await this.service.disable(input.id, input.reason);
    // Other instances hear of it by notification; this one forgets the keys before answering.
    this.apiKeys.forgetPartner(partner.id);
    return partner;
  }

  @Mutation(() => CreatedPartnerKeyModel, {
    description:
      'Creates a FEED_READ key for a partner; the plain key is returned in this answer only. CONFLICT when the partner is disabled. Needs the operator key.',
  })
  @RequireOperator()
  async createPartnerKey(@Args('input', { description: 'The partner and a label.' }) input: CreatePartnerKeyInput): Promise<CreatedPartnerKeyModel> {
    const { key, plain } = await this.service.createKey(input.partnerId, input.name);
    return { partnerKey: toKeyModel(key), plainKey: plain };
  }

  @Mutation(() => PartnerKeyModel, {
    description: 'Revokes a partner key at once: it is refused from the next request on. Revoking a revoked key changes nothing. Needs the operator key.',
  })
  @RequireOperator()
  async revokePartnerKey(@Args() { id }: IdArgs): Promise<PartnerKeyModel> {
    const key = await this.service.revokeKey(id);
    this.apiKeys.forgetKey(key.id);
    return toKeyModel(key);
  }

  @Query(() => PartnerConnection, { description: 'Partners, newest first, a page at a time (enabled ones unless includeDisabled). Needs the operator key.' })
  @RequireOperator()
  partners(@Args() args: PartnersArgs): Promise<Connection<PartnerEntity>> {
    return this.service.list(args);
  }

  @Query(() => PartnerModel, { description: 'One partner; NOT_FOUND for an unknown id. Needs the operator key.' })
  @RequireOperator()
  partner(@Args() { id }: IdArgs): Promise<PartnerModel> {
    return this.service.get(id);
  }

  @Query(() => [PartnerKeyModel], { description: "A partner's keys, revoked ones included, oldest first. Needs the operator key." })
  @RequireOperator()
  async partnerKeys(@Args() { partnerId }: PartnerIdArgs): Promise<PartnerKeyModel[]> {
    return (await this.service.listKeys(partnerId)).map(toKeyModel);
  }
}

function toKeyModel(key: PartnerKeyEntity): PartnerKeyModel {
  return {
    id: key.id,
    partnerId: key.partnerId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes as Scope[],
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    createdAt: key.createdAt,
  };
}
