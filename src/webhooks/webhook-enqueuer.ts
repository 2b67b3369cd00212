import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventsService, type AppendedListingEvent } from '../events/events.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import type { StoredEventFilter } from './webhook-endpoint.entity.js';
import { deliveryBody, matchesFilter } from './webhook-payload.js';

// The event that makes a program live (to RELEASED or GRAY) is appended before its binding
// records the live version, so it counts as live itself ($3).
const PARTNER_VISIBLE = `SELECT 1 FROM mini_programs m WHERE m.id = $2 AND m.syndicated AND m.archived_at IS NULL
  AND ($3::boolean OR EXISTS (SELECT 1 FROM host_bindings sb WHERE sb.mini_program_id = m.id AND sb.disconnected_at IS NULL AND (sb.live_version IS NOT NULL OR sb.gray_version IS NOT NULL)))`;

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
    this.events.observeAppends((manager, event) => this.enqueue(manager, event));
  }

  private async enqueue(manager: EntityManager, event: AppendedListingEvent): Promise<void> {
    // The organization's own endpoints, and every partner's while the program is one partners see
    // (FeedScope's partner predicate, src/feed/feed-scope.ts), read in the event's transaction.
    const endpoints: Array<{ id: string; filter: StoredEventFilter; enabled: boolean; owner: boolean }> = await manager.query(
      `SELECT id, filter, enabled, true AS owner FROM webhook_endpoints WHERE organization_id = $1
       UNION ALL
       SELECT e.id, e.filter, e.enabled, false FROM webhook_endpoints e
        WHERE e.partner_id IS NOT NULL AND EXISTS (${PARTNER_VISIBLE})`,
      [event.organizationId, event.miniProgramId, event.type === 'STAGE_CHANGED' && (event.toStage === 'RELEASED' || event.toStage === 'GRAY')],
    );
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
