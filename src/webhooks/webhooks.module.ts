import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { WebhookDeliveryJob } from './webhook-delivery.job.js';
import { WebhookEnqueuer } from './webhook-enqueuer.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Signed webhooks of listing events. Import it in every process that appends listing events
 * (the gateway and `npm run worker`): its enqueuer creates the deliveries in their transaction.
 */
@Module({
  imports: [EventsModule],
  providers: [WebhooksService, WebhookEnqueuer, WebhookDeliveryJob, WebhooksResolver],
})
export class WebhooksModule {}
