import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireFeedRead } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import type { Connection } from '../common/pagination/connection.js';
import {
  CreatedWebhookEndpointModel,
  CreateWebhookEndpointInput,
  WebhookDeliveriesArgs,
  WebhookDeliveryConnection,
  WebhookDeliveryIdArgs,
  WebhookDeliveryModel,
  WebhookEndpointModel,
  WebhookIdArgs,
} from './webhooks.models.js';
import { WebhooksService } from './webhooks.service.js';

@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: WebhooksService) {}

  @Mutation(() => CreatedWebhookEndpointModel, {
    description:
      'Registers a webhook endpoint: every listing event of the organization\'s mini-programs that passes the filter is posted to it as JSON, signed (X-Gateway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">), retried with backoff for up to 24 hours, in order per mini-program. The secret is in this answer only. At most 20 endpoints per organization or partner. Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  createWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input', { description: 'URL, optional secret, label and filter.' }) input: CreateWebhookEndpointInput,
  ): Promise<CreatedWebhookEndpointModel> {
    return this.webhooks.create(principal, input);
  }

  @Query(() => [WebhookEndpointModel], {
    description:
      "The caller's webhook endpoints (its organization's or its partner's, at most 20), oldest first, with why any was disabled. Needs a partner key or an organization key with FEED_READ.",
  })
  @RequireFeedRead()
  webhookEndpoints(@CurrentPrincipal() principal: Principal): Promise<WebhookEndpointModel[]> {
    return this.webhooks.list(principal);
  }

  @Mutation(() => WebhookEndpointModel, {
    description: 'Deletes an endpoint and its delivery log; nothing more is sent to it. Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  deleteWebhookEndpoint(@CurrentPrincipal() principal: Principal, @Args() { id }: WebhookIdArgs): Promise<WebhookEndpointModel> {
    return this.webhooks.delete(principal, id);
  }

  @Mutation(() => WebhookEndpointModel, {
    description:
      'Turns a disabled endpoint back on and resets its failure count; the deliveries that waited meanwhile go out, in order per mini-program. Enabling an enabled endpoint changes nothing but the count. Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  enableWebhookEndpoint(@CurrentPrincipal() principal: Principal, @Args() { id }: WebhookIdArgs): Promise<WebhookEndpointModel> {
    return this.webhooks.enable(principal, id);
  }

  @Query(() => WebhookDeliveryConnection, {
    description:
      "An endpoint's delivery log, newest first: status, attempts, the last answer's status code and latency, the last error. Needs a partner key or an organization key with FEED_READ.",
  })
  @RequireFeedRead()
  webhookDeliveries(@CurrentPrincipal() principal: Principal, @Args() args: WebhookDeliveriesArgs): Promise<Connection<WebhookDeliveryModel>> {
    return this.webhooks.deliveries(principal, args);
  }

  @Mutation(() => WebhookDeliveryModel, {
    description:
      'Sends a delivered or given-up event again, with the same body, as a new delivery (its redeliveryOf names the first). Refused while the delivery is pending or its endpoint disabled. Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  redeliverWebhook(@CurrentPrincipal() principal: Principal, @Args() { deliveryId }: WebhookDeliveryIdArgs): Promise<WebhookDeliveryModel> {
    return this.webhooks.redeliver(principal, deliveryId);
  }
}
