import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventsService, type AppendedListingEvent } from '../events/events.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import type { StoredEventFilter } from './webhook-endpoint.entity.js';
import { deliveryBody, matchesFilter } from './webhook-payload.js';

/**
 * Creates the deliveries of every appended event in the event's own transaction: one row per
 * matching endpoint of the event's organization, and, for enabled endpoints, its job (sent
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
    const endpoints: Array<{ id: string; filter: StoredEventFilter; enabled: boolean }> = await manager.query(
      'SELECT id, filter, enabled FROM webhook_endpoints WHERE organization_id = $1',
      [event.organizationId],
    );
    const matching = endpoints.filter((e) => matchesFilter(e.filter, event));
    if (matching.length === 0) return;
    // An organization's own endpoints see the evidence of its own events.
    const body = deliveryBody(event, true);
    for (const endpoint of matching) {
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, organization_id, mini_program_id, event_seq, event_tx_id, body)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [endpoint.id, event.organizationId, event.miniProgramId, event.seq, event.txId, body],
      );
      if (endpoint.enabled) await this.jobs.send(QUEUES.webhookDelivery, { deliveryId: rows[0].id }, { manager });
    }
  }
}
