import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Host } from '../common/host.enum.js';
import { ConnectionType } from '../common/pagination/connection.js';
import { ListingChangeFilterInput } from '../feed-live/listing-change.models.js';
import { ListingEventKind } from '../feed/listing-event-kind.js';

@ObjectType('ListingChangeFilter', { description: 'Which listing events an endpoint receives; a null list matches every value.' })
export class ListingChangeFilterModel {
  @Field(() => [Host], { nullable: true, description: 'Only events on these hosts.' }) hosts: Host[] | null;
  @Field(() => [ListingEventKind], { nullable: true, description: 'Only events of these kinds.' }) types: ListingEventKind[] | null;
  @Field(() => [ID], { nullable: true, description: 'Only events of these mini-programs.' }) miniProgramIds: string[] | null;
}

@ObjectType('WebhookEndpoint', { description: 'Where listing events are posted, signed with the endpoint secret (see the README for the signature format).' })
export class WebhookEndpointModel {
  @Field(() => ID, { description: 'The endpoint.' }) id: string;
  @Field({ description: 'The http(s) URL events are posted to.' }) url: string;
  @Field(() => String, { nullable: true, description: 'Your label for it.' }) description: string | null;
  @Field(() => ListingChangeFilterModel, { description: 'Which events it receives.' }) filter: ListingChangeFilterModel;
  @Field({ description: 'False once disabled (after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row); enableWebhookEndpoint turns it back on.' })
  enabled: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was disabled; null while enabled.' }) disabledAt: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was disabled: the count of failures and the last one; null while enabled.' })
  disabledReason: string | null;
  @Field(() => Int, { description: 'Failed attempts in a row across its deliveries; a success resets it.' }) consecutiveFailures: number;
  @Field(() => GraphQLISODateTime, { description: 'When it was registered.' }) createdAt: Date;
}

@ObjectType('CreatedWebhookEndpoint', { description: 'A new endpoint and its signing secret, shown in this answer only.' })
export class CreatedWebhookEndpointModel {
  @Field(() => WebhookEndpointModel, { description: 'The endpoint.' }) endpoint: WebhookEndpointModel;
  @Field({ description: 'The secret every delivery is signed with (HMAC-SHA256). Store it now: it is never shown again.' }) secret: string;
}

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesMap: {
    PENDING: {
      description: 'Not delivered yet: waiting for its turn (earlier events of the same listing go first), its next attempt, or the endpoint to be enabled.',
    },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up: every attempt failed within the retry window (WEBHOOK_RETRY_WINDOW_MS, 24 hours by default).' },
  },
});

@ObjectType('WebhookDelivery', { description: 'One listing event sent (or to be sent) to one endpoint: the delivery log.' })
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'The delivery; sent as the X-Gateway-Delivery header.' }) id: string;
  @Field(() => ID, { description: 'The endpoint.' }) endpointId: string;
  @Field({ description: 'The event: its place in the global sequence (ListingEvent.seq).' }) eventSeq: string;
  @Field(() => ID, { description: 'The mini-program the event concerns.' }) miniProgramId: string;
  @Field(() => WebhookDeliveryStatus, { description: 'Pending, succeeded, or given up.' }) status: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the next attempt is due; null when none is planned.' }) nextAttemptAt: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the last attempt was made.' }) lastAttemptAt: Date | null;
  @Field(() => Int, { nullable: true, description: "HTTP status of the last attempt's answer; null when none came (timeout, refused connection)." })
  responseCode: number | null;
  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' }) latencyMs: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the last attempt failed (status and the start of the answer, or the network error); null after a success.',
  })
  lastError: string | null;
  @Field(() => ID, { nullable: true, description: 'The delivery this one repeats, for a manual redelivery.' }) redeliveryOf: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When it was created (in the transaction that wrote the event).' }) createdAt: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it succeeded or was given up.' }) completedAt: Date | null;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDeliveryModel, 'WebhookDelivery', { item: 'webhook delivery', items: 'webhook deliveries' });

@InputType('CreateWebhookEndpointInput', { description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({
    description:
      'An http(s) URL on a public address (every address its host resolves to is checked, IPv4 and IPv6); loopback, private and link-local ones are refused unless the operator set WEBHOOKS_ALLOW_PRIVATE.',
  })
  @IsString()
  @MaxLength(2048)
  url: string;

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret, 24-200 printable ASCII characters; left out, the gateway makes one (whsec_ and 43 random characters).',
  })
  @IsOptional()
  @IsString()
  @MinLength(24)
  @MaxLength(200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'secret must be printable ASCII without spaces' })
  secret?: string | null;

  @Field(() => String, { nullable: true, description: 'Your label, at most 200 characters.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;

  @Field(() => ListingChangeFilterInput, { nullable: true, description: 'Which events to receive; every event the key may see when left out.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ListingChangeFilterInput)
  filter?: ListingChangeFilterInput | null;
}

@ArgsType()
export class WebhookIdArgs {
  @Field(() => ID, { description: 'The endpoint.' }) @IsUUID('all') id: string;
}

@ArgsType()
export class WebhookDeliveryIdArgs {
  @Field(() => ID, { description: 'The delivery.' }) @IsUUID('all') deliveryId: string;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID, { description: 'The endpoint.' }) @IsUUID('all') endpointId: string;
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1-100.' }) @IsInt() @Min(1) @Max(100) first: number;
  @Field(() => String, { nullable: true, description: 'Cursor of the last delivery already read.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string | null;
  @Field(() => WebhookDeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus | null;
}
