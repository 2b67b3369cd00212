import { ApiKeyEntity } from '../auth/api-key.entity.js';
import { OrganizationEntity } from '../auth/organization.entity.js';
import { MiniProgramEntity } from '../catalog/mini-program.entity.js';
import { VersionEntity } from '../catalog/version.entity.js';
import { HostCallbackEntity, HostCallbackRejectionEntity } from '../callbacks/host-callback.entity.js';
import { ListingEventEntity } from '../events/listing-event.entity.js';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';
import { PublishRunEntity } from '../publishing/publish-run.entity.js';
import { SubmissionEntity } from '../publishing/submission.entity.js';
import { BasicInfoQuotaUseEntity } from '../listing-sync/basic-info-quota-use.entity.js';
import { ListingSyncRunEntity } from '../listing-sync/listing-sync-run.entity.js';
import { ListingSyncStepEntity } from '../listing-sync/listing-sync-step.entity.js';
import { PartnerEntity, PartnerKeyEntity } from '../partners/partner.entity.js';
import { HostTokenEntity, HostTokenLockEntity } from '../hosts/tokens/host-token.entity.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook-delivery.entity.js';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity.js';

// Classes, not globs, so jest and dist load the same list (STACK.md).
export const ENTITIES = [
  OrganizationEntity,
  ApiKeyEntity,
  MiniProgramEntity,
  VersionEntity,
  HostBindingEntity,
  HostTokenEntity,
  HostTokenLockEntity,
  PublishRunEntity,
  SubmissionEntity,
  ListingEventEntity,
  HostCallbackEntity,
  HostCallbackRejectionEntity,
  ListingSyncRunEntity,
  ListingSyncStepEntity,
  BasicInfoQuotaUseEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  PartnerEntity,
  PartnerKeyEntity,
];
