import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { GatewayError } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { sqlPool } from '../database/sql-pool.js';
import type { ListingChangeFilterInput } from '../feed-live/listing-change.models.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { Vault } from '../vault/vault.js';
import { checkWebhookUrl } from './address-policy.js';
import type { StoredEventFilter } from './webhook-endpoint.entity.js';
import type { CreateWebhookEndpointInput, WebhookDeliveriesArgs, WebhookDeliveryModel, WebhookEndpointModel } from './webhooks.models.js';

/** Endpoints one owner may register. */
export const MAX_ENDPOINTS = 20;

export const secretAad = (endpointId: string) => `webhook_endpoints:${endpointId}:secret`;

const ENDPOINT_COLUMNS = `id, url, description, filter, enabled, disabled_at AS "disabledAt", disabled_reason AS "disabledReason",
  consecutive_failures AS "consecutiveFailures", created_at AS "createdAt"`;
const DELIVERY_COLUMNS = `d.id, d.endpoint_id AS "endpointId", d.event_seq::text AS "eventSeq", d.mini_program_id AS "miniProgramId", d.status,
  d.attempts, d.next_attempt_at AS "nextAttemptAt", d.last_attempt_at AS "lastAttemptAt", d.response_code AS "responseCode",
  d.latency_ms AS "latencyMs", d.last_error AS "lastError", d.redelivery_of AS "redeliveryOf", d.created_at AS "createdAt", d.completed_at AS "completedAt"`;

type EndpointRow = Omit<WebhookEndpointModel, 'filter'> & { filter: StoredEventFilter };

/** Whose endpoints: an organization's (its own programs' events) or a partner's (the syndicated listings it sees). */
interface Owner {
  column: 'organization_id' | 'partner_id';
  id: string;
}

function ownerOf(principal: Principal): Owner {
  if (principal.kind === 'apiKey') return { column: 'organization_id', id: principal.organizationId };
  if (principal.kind === 'partner') return { column: 'partner_id', id: principal.partnerId };
  // The access rules refuse the operator before this point.
  throw new GatewayError('FORBIDDEN', 'The operator key reads no feed; use a partner key or an organization key with FEED_READ');
}

function toEndpoint(row: EndpointRow): WebhookEndpointModel {
  return {
    ...row,
    filter: { hosts: (row.filter.hosts as never) ?? null, types: (row.filter.types as never) ?? null, miniProgramIds: row.filter.miniProgramIds ?? null },
  };
}

function storedFilter(filter: ListingChangeFilterInput | null | undefined): StoredEventFilter {
  const out: StoredEventFilter = {};
  if (filter?.hosts?.length) out.hosts = [...new Set(filter.hosts)];
  if (filter?.types?.length) out.types = [...new Set(filter.types)];
  if (filter?.miniProgramIds?.length) out.miniProgramIds = [...new Set(filter.miniProgramIds.map((id) => id.toLowerCase()))];
  return out;
}

/** Webhook endpoints and their delivery log, for the organization that owns them. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly vault: Vault,
    private readonly jobs: JobsService,
    private readonly config: GatewayConfig,
  ) {}

  async create(principal: Principal, input: CreateWebhookEndpointInput): Promise<{ endpoint: WebhookEndpointModel; secret: string }> {
    const owner = ownerOf(principal);
    const problem = await checkWebhookUrl(input.url, this.config.WEBHOOKS_ALLOW_PRIVATE);
    if (problem) throw GatewayError.badInput([problem]);
    const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const sealed = this.vault.seal(secret, secretAad(id));
    return this.dataSource.transaction(async (m) => {
      // Counted under a lock on the owner, so two concurrent creations cannot pass the cap together.
      await m.query(`SELECT 1 FROM ${owner.column === 'partner_id' ? 'partners' : 'organizations'} WHERE id = $1 FOR UPDATE`, [owner.id]);
      const [{ n }]: Array<{ n: number }> = await m.query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE ${owner.column} = $1`, [owner.id]);
      if (n >= MAX_ENDPOINTS) {
        throw GatewayError.badInput([
          { field: 'url', rule: 'maxEndpoints', message: `an organization or partner may register at most ${MAX_ENDPOINTS} webhook endpoints` },
        ]);
      }
      const rows: EndpointRow[] = await m.query(
        `INSERT INTO webhook_endpoints (id, ${owner.column}, url, description, filter, secret_ciphertext, secret_key_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ENDPOINT_COLUMNS}`,
        [id, owner.id, input.url, input.description ?? null, JSON.stringify(storedFilter(input.filter)), sealed.ciphertext, sealed.keyId],
      );
      return { endpoint: toEndpoint(rows[0]), secret };
    });
  }

  async list(principal: Principal): Promise<WebhookEndpointModel[]> {
    const owner = ownerOf(principal);
    const { rows } = await sqlPool(this.dataSource).query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE ${owner.column} = $1 ORDER BY created_at, id`,
      [owner.id],
    );
    return rows.map(toEndpoint);
  }

  async delete(principal: Principal, id: string): Promise<WebhookEndpointModel> {
    const owner = ownerOf(principal);
    // TypeORM answers DELETE and UPDATE with [rows, count].
    const [rows] = await this.dataSource.query<[EndpointRow[], number]>(
      `DELETE FROM webhook_endpoints WHERE id = $1 AND ${owner.column} = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, owner.id],
    );
    if (!rows[0]) throw GatewayError.notFound('Webhook endpoint', id);
    return toEndpoint(rows[0]);
  }

  /** Turns a disabled endpoint back on; its waiting deliveries go out again, oldest first per listing. */
  async enable(principal: Principal, id: string): Promise<WebhookEndpointModel> {
    const owner = ownerOf(principal);
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[EndpointRow[], number]>(
        `UPDATE webhook_endpoints SET enabled = true, disabled_at = NULL, disabled_reason = NULL, consecutive_failures = 0, updated_at = now()
          WHERE id = $1 AND ${owner.column} = $2 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, owner.id],
      );
      if (!rows[0]) throw GatewayError.notFound('Webhook endpoint', id);
      await this.kickListingHeads(m, id);
      return toEndpoint(rows[0]);
    });
  }

  async deliveries(principal: Principal, args: WebhookDeliveriesArgs): Promise<Connection<WebhookDeliveryModel>> {
    const owner = ownerOf(principal);
    const params: unknown[] = [owner.id, args.endpointId];
    // Only the endpoint's owner reads its log; anyone else's endpoint id reads as empty.
    const where = [`d.endpoint_id = $2`, `EXISTS (SELECT 1 FROM webhook_endpoints oe WHERE oe.id = d.endpoint_id AND oe.${owner.column} = $1)`];
    if (args.status) {
      params.push(args.status);
      where.push(`d.status = $${params.length}`);
    }
    return keysetPage<WebhookDeliveryModel & { id: string; createdAt: Date }, WebhookDeliveryModel>(
      sqlPool(this.dataSource),
      { columns: DELIVERY_COLUMNS, from: 'webhook_deliveries d', alias: 'd', where, params },
      args,
      (row) => row,
    );
  }

  /** A new delivery of the same event with the same body, sent now (after earlier pending ones of its listing). */
  async redeliver(principal: Principal, deliveryId: string): Promise<WebhookDeliveryModel> {
    const owner = ownerOf(principal);
    return this.dataSource.transaction(async (m) => {
      const found: Array<{ status: string; enabled: boolean }> = await m.query(
        `SELECT d.status, e.enabled FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id = $1 AND e.${owner.column} = $2 FOR UPDATE OF d`,
        [deliveryId, owner.id],
      );
      if (!found[0]) throw GatewayError.notFound('Webhook delivery', deliveryId);
      if (found[0].status === 'PENDING') {
        throw GatewayError.badInput([{ field: 'deliveryId', rule: 'notPending', message: 'this delivery is still pending: it is retried on its own' }]);
      }
      if (!found[0].enabled) {
        throw GatewayError.badInput([
          { field: 'deliveryId', rule: 'endpointEnabled', message: 'its endpoint is disabled: enable it first (enableWebhookEndpoint)' },
        ]);
      }
      const rows: WebhookDeliveryModel[] = await m.query(
        `INSERT INTO webhook_deliveries AS d (endpoint_id, organization_id, mini_program_id, event_seq, event_tx_id, body, redelivery_of)
         SELECT endpoint_id, organization_id, mini_program_id, event_seq, event_tx_id, body, id FROM webhook_deliveries WHERE id = $1
         RETURNING ${DELIVERY_COLUMNS}`,
        [deliveryId],
      );
      await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: rows[0].id }, { manager: m });
      return rows[0];
    });
  }

  /** Queues the first pending delivery of each listing of an endpoint (the rest follow in order). */
  private async kickListingHeads(m: EntityManager, endpointId: string): Promise<void> {
    const heads: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT ON (mini_program_id) id FROM webhook_deliveries
        WHERE endpoint_id = $1 AND status = 'PENDING' ORDER BY mini_program_id, event_tx_id, event_seq, created_at`,
      [endpointId],
    );
    for (const { id } of heads) await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: id }, { manager: m });
  }
}
