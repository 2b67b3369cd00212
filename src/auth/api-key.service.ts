import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { GatewayError } from '../common/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { sqlPool } from '../database/sql-pool.js';
import { NotificationListener } from '../events/notification-listener.js';
import { ApiKeyCache, type KeyPrincipal } from './api-key.cache.js';
import { generateApiKey, hashApiKey, PARTNER_KEY_PREFIX, safeEqual } from './api-key.codec.js';
import { ApiKeyEntity } from './api-key.entity.js';
import { API_KEY_REVOKED } from './api-key.events.js';
import { KeyUsageRecorder } from './key-usage.recorder.js';
import { OrganizationEntity } from './organization.entity.js';
import { PARTNER_DISABLED } from '../partners/partner.events.js';
import { PartnerService } from '../partners/partner.service.js';
import { organizationOf, type Principal } from './principal.js';
import type { Scope } from './scopes.js';

/**
 * A cached key is trusted only while the notification connection has proved, this recently,
 * that every revocation committed before then has reached this instance. So a key revoked on
 * another instance stops working here within this time (or at once, when the notification
 * arrives sooner); with the connection down or stale, every request reads the database.
 */
export const REVOCATION_DELAY_MS = 1000;

const KEY_BY_HASH = 'SELECT id, organization_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL';

@Injectable()
export class ApiKeyService {
  private readonly cache = new ApiKeyCache();

  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    private readonly config: GatewayConfig,
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationListener,
    private readonly usage: KeyUsageRecorder,
    private readonly partners: PartnerService,
  ) {
    notifications.listen(API_KEY_REVOKED, ({ keyId }) => this.cache.forgetKey(keyId));
    notifications.listen(PARTNER_DISABLED, ({ partnerId }) => this.cache.forgetPartner(partnerId));
    notifications.onGap(() => this.cache.clear());
  }

  async resolve(plain: string): Promise<Principal | null> {
    if (this.config.GATEWAY_ADMIN_KEY && safeEqual(plain, this.config.GATEWAY_ADMIN_KEY)) return { kind: 'operator' };
    const hash = hashApiKey(plain);
    const trusted = this.notifications.isLive(REVOCATION_DELAY_MS);
    let principal = trusted ? this.cache.get(hash) : null;
    if (!principal) {
      const generation = this.cache.generation;
      principal = plain.startsWith(PARTNER_KEY_PREFIX) ? await this.partners.lookupKey(hash) : await this.lookupOrganizationKey(hash);
      if (!principal) return null;
      if (trusted) this.cache.set(hash, principal, generation);
    }
    this.usage.record(principal.keyId, Date.now(), principal.kind === 'partner' ? 'partner_keys' : 'api_keys');
    return principal;
  }

  private async lookupOrganizationKey(hash: string): Promise<KeyPrincipal | null> {
    const { rows } = await sqlPool(this.dataSource).query<{ id: string; organization_id: string; scopes: string[] }>(KEY_BY_HASH, [hash]);
    if (rows.length === 0) return null;
    return { kind: 'apiKey', keyId: rows[0].id, organizationId: rows[0].organization_id, scopes: rows[0].scopes };
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

  /** Revokes a key: refused at once on this instance, and on every other within REVOCATION_DELAY_MS. */
  async revoke(principal: Principal, id: string): Promise<ApiKeyEntity> {
    const scope = organizationOf(principal);
    const key = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const row = await repo.findOne({ where: scope ? { id, organizationId: scope } : { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('API key', id);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        // A trigger sends API_KEY_REVOKED in this transaction (as for a revocation made in SQL):
        // on commit the other instances drop the key from their caches.
        await repo.save(row);
      }
      return row;
    });
    this.cache.forgetKey(key.id);
    return this.withUnwrittenUse(key);
  }

  /** Drops a revoked key (a partner's, say) from this instance's cache at once; others hear of it by notification. */
  forgetKey(keyId: string): void {
    this.cache.forgetKey(keyId);
  }

  /** Drops every key of a disabled partner from this instance's cache at once. */
  forgetPartner(partnerId: string): void {
    this.cache.forgetPartner(partnerId);
  }

  async list(principal: Principal, organizationId: string): Promise<ApiKeyEntity[]> {
    await this.assertCanManage(principal, organizationId);
    const keys = await this.keys.find({ where: { organizationId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return keys.map((key) => this.withUnwrittenUse(key));
  }

  // Uses of a key are written in batches; this instance shows the ones it has not written yet.
  private withUnwrittenUse(key: ApiKeyEntity): ApiKeyEntity {
    const unwritten = this.usage.unwritten(key.id);
    if (unwritten && (!key.lastUsedAt || key.lastUsedAt < unwritten)) key.lastUsedAt = unwritten;
    return key;
  }

  // An organization's admin key manages only its own keys; other ids read as unknown.
  private async assertCanManage(principal: Principal, organizationId: string): Promise<void> {
    const own = organizationOf(principal);
    if (own !== null && own !== organizationId) throw GatewayError.notFound('Organization', organizationId);
    if (own === null && !(await this.organizations.existsBy({ id: organizationId }))) throw GatewayError.notFound('Organization', organizationId);
  }
}
