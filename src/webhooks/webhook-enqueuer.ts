import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventsService, type AppendedListingEvent } from '../events/events.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import type { StoredEventFilter } from './webhook-endpoint.entity.js';
import { deliveryBody, matchesFilter } from './webhook-payload.js';

// The event that makes a program live (to RELEASED or GRAY) may be appended before its binding
// records the live version, so it counts as live itself.
const PARTNER_VISIBLE = `SELECT 1 FROM mini_programs m WHERE m.id = e.mini_program_id AND m.syndicated AND m.archived_at IS NULL
  AND ((e.type = 'STAGE_CHANGED' AND e.to_stage IN ('RELEASED', 'GRAY'))
    OR EXISTS (SELECT 1 FROM host_bindings sb WHERE sb.mini_program_id = m.id AND sb.disconnected_at IS NULL AND (sb.live_version IS NOT NULL OR sb.gray_version IS NOT NULL)))`;

/**
 * The endpoints an appended event `e` may go to, read in the statement that appends it (see
 * AppendObserver): the organization's own, and every partner's while the program is one partners
 * see (FeedScope's partner predicate, src/feed/feed-scope.ts). A JSON array.
 */
const ENDPOINTS_OF_EVENT = `SELECT COALESCE(json_agg(w), '[]') FROM (
    SELECT x.id, x.filter, x.enabled, true AS owner FROM webhook_endpoints x WHERE x.organization_id = e.organization_id
    UNION ALL
    SELECT x.id, x.filter, x.enabled, false FROM webhook_endpoints x WHERE x.partner_id IS NOT NULL AND EXISTS (${PARTNER_VISIBLE})
  ) w`;

type Endpoint = { id: string; filter: StoredEventFilter; enabled: boolean; owner: boolean };

/**
 * Creates the deliveries of every appended event in the event's own transaction: one row per
 * matching endpoint (the event's organization's, and partners' when the program is syndicated and
 * live), and, for enabled endpoints, its job (sent
 * through the same transaction, so a rolled-back change leaves neither). A disabled endpoint's
 * deliveries wait for enableWebhookEndpoint.
 */
@Injectable()
export class WebhookEnqueuer implements OnModuleInit {
  constructor(
    private readonly events: EventsService,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.events.observeAppends({ read: ENDPOINTS_OF_EVENT, observe: (manager, event, endpoints) => this.enqueue(manager, event, endpoints as Endpoint[]) });
  }

  private async enqueue(manager: EntityManager, event: AppendedListingEvent, endpoints: Endpoint[]): Promise<void> {
    const matching = endpoints.filter((e) => matchesFilter(e.filter, event));
    if (matching.length === 0) return;
    for (const endpoint of matching) {
      // The owner's endpoints see the evidence of its own events; partners never do.
      const body = deliveryBody(event, endpoint.owner);
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, organization_id, mini_program_id, event_seq, event_tx_id, body)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [endpoint.id, event.organizationId, event.miniProgramId, event.seq, event.txId, body],
      );
      if (endpoint.enabled) await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: rows[0].id }, { manager });
    }
  }
}
