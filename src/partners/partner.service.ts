import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { generateApiKey } from '../auth/api-key.codec.js';
import type { KeyPrincipal } from '../auth/api-key.cache.js';
import { API_KEY_REVOKED } from '../auth/api-key.events.js';
import { KeyUsageRecorder } from '../auth/key-usage.recorder.js';
import { Scope } from '../auth/scopes.js';
import { GatewayError } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import { sqlPool } from '../database/sql-pool.js';
import { NotificationListener } from '../events/notification-listener.js';
import { PartnerEntity, PartnerKeyEntity } from './partner.entity.js';
import { PARTNER_DISABLED } from './partner.events.js';

// Every key of a partner holds exactly this: the feed, nothing else.
export const PARTNER_SCOPES: readonly Scope[] = [Scope.FEED_READ];

const KEY_BY_HASH =
  'SELECT k.id, k.partner_id, k.scopes FROM partner_keys k JOIN partners p ON p.id = k.partner_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND p.disabled_at IS NULL';

const PARTNER_COLUMNS = 'p.id, p.name, p.disabled_at AS "disabledAt", p.disabled_reason AS "disabledReason", p.created_at AS "createdAt"';

/**
 * Partner accounts and their keys, managed by the operator. A partner key resolves to a
 * `partner` principal, which the guard admits only to the feed.
 */
@Injectable()
export class PartnerService {
  constructor(
    @InjectRepository(PartnerEntity) private readonly partners: Repository<PartnerEntity>,
    @InjectRepository(PartnerKeyEntity) private readonly keys: Repository<PartnerKeyEntity>,
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationListener,
    private readonly usage: KeyUsageRecorder,
  ) {}

  /** The principal of a valid key of an enabled partner, by the key's hash; null otherwise. */
  async lookupKey(hash: string): Promise<KeyPrincipal | null> {
    const { rows } = await sqlPool(this.dataSource).query<{ id: string; partner_id: string; scopes: string[] }>(KEY_BY_HASH, [hash]);
    if (rows.length === 0) return null;
    return { kind: 'partner', keyId: rows[0].id, partnerId: rows[0].partner_id, scopes: rows[0].scopes };
  }

  create(name: string): Promise<PartnerEntity> {
    return this.partners.save(this.partners.create({ name, disabledAt: null, disabledReason: null }));
  }

  async get(id: string): Promise<PartnerEntity> {
    const partner = await this.partners.findOneBy({ id });
    if (!partner) throw GatewayError.notFound('Partner', id);
    return partner;
  }

  /** Partners, newest first; disabled ones only when asked. */
  list(args: { first: number; after?: string | null; includeDisabled: boolean }): Promise<Connection<PartnerEntity>> {
    return keysetPage(
      sqlPool(this.dataSource),
      { columns: PARTNER_COLUMNS, from: 'partners p', alias: 'p', where: args.includeDisabled ? ['true'] : ['p.disabled_at IS NULL'], params: [] },
      args,
      (row: PartnerEntity) => row,
    );
  }

  /**
   * Disables a partner: every one of its keys is refused from the next request on this instance
   * and within a second on every other (the same notification path as a revoked key). Disabling
   * a disabled partner keeps the first reason.
   */
  async disable(id: string, reason: string): Promise<PartnerEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(PartnerEntity);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('Partner', id);
      if (!row.disabledAt) {
        row.disabledAt = new Date();
        row.disabledReason = reason;
        await repo.save(row);
        await this.notifications.notify(PARTNER_DISABLED, { partnerId: row.id }, manager);
      }
      return row;
    });
  }

  /** Creates a FEED_READ key for an enabled partner; the plain key is returned here and never again. */
  async createKey(partnerId: string, name: string): Promise<{ key: PartnerKeyEntity; plain: string }> {
    const partner = await this.get(partnerId);
    if (partner.disabledAt) throw GatewayError.conflict(`Partner ${partnerId} is disabled; a disabled partner gets no new keys`);
    const generated = generateApiKey('partner');
    const key = await this.keys.save(
      this.keys.create({
        partnerId,
        name,
        scopes: [...PARTNER_SCOPES],
        prefix: generated.prefix,
        keyHash: generated.hash,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { key, plain: generated.plain };
  }

  /** Revokes a partner key: refused at once here, and on every other instance within a second. */
  async revokeKey(id: string): Promise<PartnerKeyEntity> {
    const key = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(PartnerKeyEntity);
      const row = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('Partner key', id);
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        await repo.save(row);
        await this.notifications.notify(API_KEY_REVOKED, { keyId: row.id }, manager);
      }
      return row;
    });
    return this.withUnwrittenUse(key);
  }

  async listKeys(partnerId: string): Promise<PartnerKeyEntity[]> {
    await this.get(partnerId);
    const keys = await this.keys.find({ where: { partnerId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return keys.map((key) => this.withUnwrittenUse(key));
  }

  // Uses of a key are written in batches; this instance shows the ones it has not written yet.
  private withUnwrittenUse(key: PartnerKeyEntity): PartnerKeyEntity {
    const unwritten = this.usage.unwritten(key.id);
    if (unwritten && (!key.lastUsedAt || key.lastUsedAt < unwritten)) key.lastUsedAt = unwritten;
    return key;
  }
}
