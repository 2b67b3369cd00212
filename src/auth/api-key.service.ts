import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { generateApiKey, hashApiKey, safeEqual } from './api-key.codec.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { OrganizationEntity } from './organization.entity.js';
import { organizationOf, type Principal } from './principal.js';
import type { Scope } from './scopes.js';

// last_used_at is written at most once a minute per key, so reads do not turn into writes.
const LAST_USED_GRANULARITY = "interval '1 minute'";

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    private readonly config: GatewayConfig,
  ) {}

  async resolve(plain: string): Promise<Principal | null> {
    if (this.config.GATEWAY_ADMIN_KEY && safeEqual(plain, this.config.GATEWAY_ADMIN_KEY)) return { kind: 'operator' };
    const key = await this.keys.findOne({ where: { keyHash: hashApiKey(plain), revokedAt: IsNull() } });
    if (!key) return null;
    this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id: key.id })
      .andWhere(`(last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_GRANULARITY})`)
      .execute()
      .catch((err: unknown) => this.logger.warn(`could not record key use: ${(err as Error).message}`));
    return { kind: 'apiKey', keyId: key.id, organizationId: key.organizationId, scopes: key.scopes };
  }

  /** Creates a key; the plain key is returned here and never again. */
  async create(principal: Principal, organizationId: string, name: string, scopes: Scope[]): Promise<{ key: ApiKeyEntity; plain: string }> {
    await this.assertCanManage(principal, organizationId);
    const generated = generateApiKey();
    const key = await this.keys.save(
      this.keys.create({
        organizationId,
        name,
        scopes: [...new Set(scopes)],
        prefix: generated.prefix,
        keyHash: generated.hash,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { key, plain: generated.plain };
  }

  async revoke(principal: Principal, id: string): Promise<ApiKeyEntity> {
    const scope = organizationOf(principal);
    const key = await this.keys.findOne({ where: scope ? { id, organizationId: scope } : { id } });
    if (!key) throw GatewayError.notFound('API key', id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.keys.save(key);
    }
    return key;
  }

  async list(principal: Principal, organizationId: string): Promise<ApiKeyEntity[]> {
    await this.assertCanManage(principal, organizationId);
    return this.keys.find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  // An organization's admin key manages only its own keys; other ids read as unknown.
  private async assertCanManage(principal: Principal, organizationId: string): Promise<void> {
    const own = organizationOf(principal);
    if (own !== null && own !== organizationId) throw GatewayError.notFound('Organization', organizationId);
    if (own === null && !(await this.organizations.existsBy({ id: organizationId }))) throw GatewayError.notFound('Organization', organizationId);
  }
}
