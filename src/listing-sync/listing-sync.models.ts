import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import type { BasicInfoField } from '../../adapters/core/index.js';
import { Host } from '../common/host.enum.js';
import { JSONObjectScalar } from '../common/json-object.scalar.js';
import { HostFailureModel } from '../hosts/bindings.models.js';

export enum ListingField {
  NAME = 'NAME',
  SHORT_NAME = 'SHORT_NAME',
  SLOGAN = 'SLOGAN',
  DESCRIPTION = 'DESCRIPTION',
  ICON = 'ICON',
  CATEGORY = 'CATEGORY',
  SERVICE_CONTACT = 'SERVICE_CONTACT',
}
registerEnumType(ListingField, {
  name: 'ListingField',
  description: 'A basic-info field of a listing that listing sync keeps in step with the definition.',
  valuesMap: {
    NAME: { description: 'The name users see.' },
    SHORT_NAME: { description: 'The short name (hosts that have one).' },
    SLOGAN: { description: 'The slogan (hosts that have one).' },
    DESCRIPTION: { description: 'The description (WeChat: signature; Douyin: intro).' },
    ICON: { description: 'The icon, fetched from the definition and checked against its sha256.' },
    CATEGORY: { description: 'The category, mapped to the host taxonomy.' },
    SERVICE_CONTACT: { description: 'Service phone and email.' },
  },
});

export const FIELD_OF: Record<ListingField, BasicInfoField> = {
  NAME: 'name',
  SHORT_NAME: 'shortName',
  SLOGAN: 'slogan',
  DESCRIPTION: 'description',
  ICON: 'icon',
  CATEGORY: 'category',
  SERVICE_CONTACT: 'serviceContact',
};
export const LISTING_FIELD_OF = Object.fromEntries(Object.entries(FIELD_OF).map(([k, v]) => [v, k])) as Record<BasicInfoField, ListingField>;

export enum ListingFieldAction {
  UNCHANGED = 'UNCHANGED',
  CHANGE = 'CHANGE',
  BLOCKED = 'BLOCKED',
  NOT_OFFERED = 'NOT_OFFERED',
  EMPTY = 'EMPTY',
}
registerEnumType(ListingFieldAction, {
  name: 'ListingFieldAction',
  description: 'What syncing this field on this host would do.',
  valuesMap: {
    UNCHANGED: { description: 'The host already shows the definition value: nothing to do.' },
    CHANGE: { description: 'The host differs; syncListing changes it (see needsReview and quota for the cost).' },
    BLOCKED: {
      description:
        'The host differs but the change cannot be made as it is (see blockers: review in progress, quota used up, icon refused, a listing rule of the host broken).',
    },
    NOT_OFFERED: { description: "The host differs and its API cannot change this field (see note); change it in the host's console." },
    EMPTY: { description: 'The definition has no value for this field; nothing to set.' },
  },
});

export enum FieldComparison {
  SAME = 'SAME',
  DIFFERENT = 'DIFFERENT',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(FieldComparison, {
  name: 'FieldComparison',
  description: 'How the host value compares with the definition.',
  valuesMap: {
    SAME: { description: 'The host shows the definition value (icon and category: what the gateway set there, unchanged since).' },
    DIFFERENT: { description: 'The host shows another value.' },
    UNKNOWN: {
      description: 'Cannot be told: the host does not show this field, or the icon or category was never set by the gateway (no host returns an image hash).',
    },
  },
});

export enum ListingFieldState {
  PENDING = 'PENDING',
  APPLYING = 'APPLYING',
  IN_REVIEW = 'IN_REVIEW',
  APPLIED = 'APPLIED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
}
registerEnumType(ListingFieldState, {
  name: 'ListingFieldState',
  description: 'Where the change of one field on one host stands.',
  valuesMap: {
    PENDING: { description: 'Queued; no host call made yet.' },
    APPLYING: { description: 'The change was sent (or is being sent); its answer is not recorded yet.' },
    IN_REVIEW: { description: 'The host took the change and reviews it; the outcome comes by push or by polling.' },
    APPLIED: { description: 'Users see the new value.' },
    REJECTED: { description: "The host's review refused the change (see reviewReason)." },
    FAILED: { description: 'Stopped on a permanent error (see lastError).' },
  },
});

@ObjectType('ListingFieldQuota', {
  description: "A field's change quota on a host: the adapter's declared limit, the gateway's count and what the host reports.",
})
export class ListingFieldQuotaModel {
  @Field(() => Int, { nullable: true, description: 'Changes allowed per window, as the host documents; null when only the host knows.' })
  limit: number | null;
  @Field({ description: 'DAY, MONTH or YEAR (China-time calendar periods), or HOST_REPORTED.' }) window: string;
  @Field({ description: 'The current window: 2026 (YEAR), 2026-12 (MONTH), 2026-12-01 (DAY), total (HOST_REPORTED).' }) windowKey: string;
  @Field(() => Int, { description: 'Changes the gateway made on this binding in the current window.' }) usedByGateway: number;
  @Field(() => Int, { nullable: true, description: 'Changes used, as the host reports; null when it does not.' }) hostUsed: number | null;
  @Field(() => Int, { nullable: true, description: 'The limit, as the host reports; null when it does not.' }) hostLimit: number | null;
  @Field(() => Int, { nullable: true, description: 'Changes left, as the host reports; null when it does not.' }) hostRemaining: number | null;
  @Field({ description: 'Where the declared limit comes from (host docs section or SDK sample).' }) source: string;
}

@ObjectType('ListingFieldBlocker', { description: 'Why a change cannot be made now.' })
export class ListingFieldBlockerModel {
  @Field({
    description:
      'The rule that blocks it: reviewInProgress, quotaExhausted, fieldNotChangeable, iconChecksumMismatch, iconTooLarge, iconAddressRefused, iconFetchFailed, or a listing rule of the host the value breaks (maxLength, minLength, nameChars ..., as validateMiniProgram names them).',
  })
  rule: string;
  @Field({ description: 'The reason in words, naming the host and the limit.' }) message: string;
}

@ObjectType('ListingFieldPlan', { description: 'One field on one host: the difference, its cost and what blocks it.' })
export class ListingFieldPlanModel {
  @Field(() => ListingField, { description: 'The field.' }) field: ListingField;
  @Field(() => ListingFieldAction, { description: 'What syncing it would do.' }) action: ListingFieldAction;
  @Field(() => FieldComparison, { description: 'How the host value compares with the definition.' }) comparison: FieldComparison;
  @Field(() => String, { nullable: true, description: 'What the host shows now (the icon by its URL); null when it shows nothing or does not report it.' })
  current: string | null;
  @Field(() => String, { nullable: true, description: 'The definition value with the host override applied; null when empty.' })
  desired: string | null;
  @Field({ description: 'The host reviews the change before users see it.' }) needsReview: boolean;
  @Field({ description: 'The change uses one of the quota counted in quota.' }) usesQuota: boolean;
  @Field(() => ListingFieldQuotaModel, { nullable: true, description: 'The quota the change counts against; null when none is documented or reported.' })
  quota: ListingFieldQuotaModel | null;
  @Field(() => [ListingFieldBlockerModel], { description: 'Why the change cannot be made now; empty unless BLOCKED or NOT_OFFERED.' })
  blockers: ListingFieldBlockerModel[];
  @Field({ description: "How the host changes the field, or why it cannot (from the adapter's capabilities)." }) note: string;
}

@ObjectType('ListingHostPlan', { description: 'The plan for one host.' })
export class ListingHostPlanModel {
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field(() => ID, { description: 'The binding the change goes through.' }) bindingId: string;
  @Field(() => [ListingFieldPlanModel], { description: 'One entry per field asked for.' }) fields: ListingFieldPlanModel[];
}

@ObjectType('ListingSyncPlan', { description: 'What syncing the definition (overrides applied) to each host would change, cost and meet.' })
export class ListingSyncPlanModel {
  @Field(() => ID, { description: 'The mini-program.' }) miniProgramId: string;
  @Field(() => Int, { description: 'The definition revision the plan was made from.' }) revision: number;
  @Field(() => [ListingHostPlanModel], { description: 'One plan per host asked for, in the order asked.' }) hosts: ListingHostPlanModel[];
  @Field(() => Int, { description: 'Fields that syncListing would change.' }) changes: number;
  @Field(() => Int, { description: 'Fields that differ but cannot change now (BLOCKED or NOT_OFFERED).' }) blocked: number;
}

@ArgsType()
export class PlanListingSyncArgs {
  @Field(() => ID, { description: 'The mini-program.' }) @IsUUID('all') miniProgramId: string;
  @Field(() => [Host], { description: 'Hosts to plan for (each must be bound), 1-4, no repeats.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts: Host[];
  @Field(() => [ListingField], { nullable: true, description: 'Fields to plan; all of them when omitted.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsEnum(ListingField, { each: true })
  fields?: ListingField[];
}

@InputType({ description: 'Applies the listing plan: each field that differs is changed on each host by the workers.' })
export class SyncListingInput {
  @Field(() => ID, { description: 'The mini-program.' }) @IsUUID('all') miniProgramId: string;
  @Field(() => [Host], { description: 'Hosts to sync (each must be bound), 1-4, no repeats.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(Host, { each: true })
  hosts: Host[];
  @Field(() => [ListingField], { description: 'Fields to sync, 1-7, no repeats; each must be changeable on every host asked for.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsEnum(ListingField, { each: true })
  fields: ListingField[];
  @Field({
    description: 'Makes the request safe to repeat: the same key with the same input returns the first run. 1-128 characters: letters, digits, . _ : -',
  })
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'idempotencyKey must be 1-128 letters, digits, dots, underscores, colons or dashes' })
  @MaxLength(128)
  idempotencyKey: string;
}

@ObjectType('ListingFieldSync', { description: 'The change of one field on one host, advanced by the listing workers.' })
export class ListingFieldSyncModel {
  @Field(() => ID, { description: 'Step id.' }) id: string;
  @Field(() => Host, { description: 'The host.' }) host: Host;
  @Field(() => ID, { description: 'The binding.' }) bindingId: string;
  @Field(() => ListingField, { description: 'The field.' }) field: ListingField;
  @Field(() => ListingFieldState, { description: 'Where the change stands.' }) state: ListingFieldState;
  @Field({ description: 'The value set (the icon by URL and sha256).' }) value: string;
  @Field(() => String, { nullable: true, description: "The host's review id, when it gave one (WeChat name audit_id)." }) reviewId: string | null;
  @Field(() => String, { nullable: true, description: "The host's reason when its review refused the change." }) reviewReason: string | null;
  @Field(() => String, { nullable: true, description: "The host's native status at the last answer, verbatim." }) nativeStatus: string | null;
  @Field(() => JSONObjectScalar, {
    description: "Evidence: the host's answers (response), how the icon was prepared (icon), notes. Never our request, never credentials.",
  })
  evidence: Record<string, unknown>;
  @Field(() => HostFailureModel, { nullable: true, description: 'The last host failure of this step; null when none.' }) lastError: HostFailureModel | null;
  @Field(() => Int, { description: 'Failed attempts of the current call.' }) attempts: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the workers look at it next; null once it ended.' }) nextAttemptAt: Date | null;
  @Field(() => GraphQLISODateTime, { description: 'Last change.' }) updatedAt: Date;
}

@ObjectType('ListingSyncRun', { description: 'One syncListing request: its fields on its hosts, each followed by a step.' })
export class ListingSyncRunModel {
  @Field(() => ID, { description: 'Run id.' }) id: string;
  @Field(() => ID, { description: 'The mini-program.' }) miniProgramId: string;
  @Field(() => [Host], { description: 'Hosts asked for.' }) hosts: Host[];
  @Field(() => [ListingField], { description: 'Fields asked for.' }) fields: ListingField[];
  @Field({ description: 'The idempotency key of the request.' }) idempotencyKey: string;
  @Field(() => Int, { description: 'The definition revision the run was planned from.' }) revision: number;
  @Field(() => [ListingFieldSyncModel], {
    description: 'One step per field that differed, per host (fields already in step are not listed), in host then field order.',
  })
  steps: ListingFieldSyncModel[];
  @Field({ description: 'True when every step ended (APPLIED, REJECTED or FAILED).' }) settled: boolean;
  @Field(() => GraphQLISODateTime, { description: 'When the run was made.' }) createdAt: Date;
}

@ArgsType()
export class ListingSyncRunArgs {
  @Field(() => ID, { description: 'The listing sync run.' }) @IsUUID('all') id: string;
}
