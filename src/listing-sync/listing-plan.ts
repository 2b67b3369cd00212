import {
  BASIC_INFO_FIELDS,
  windowKey,
  type BasicInfoCapabilities,
  type BasicInfoField,
  type BasicInfoSnapshot,
  type ListingDefinition,
  type QuotaWindow,
  type Violation,
} from '../../adapters/core/index.js';
import type { BasicInfoExpectation } from '../hosts/host-binding.entity.js';
import type { FieldTarget } from './listing-sync-step.entity.js';

export type FieldAction = 'UNCHANGED' | 'CHANGE' | 'BLOCKED' | 'NOT_OFFERED' | 'EMPTY';
export type Comparison = 'SAME' | 'DIFFERENT' | 'UNKNOWN';

export interface FieldQuotaPlan {
  /** The adapter's declared limit per window; null when only the host knows it. */
  limit: number | null;
  window: QuotaWindow;
  windowKey: string;
  usedByGateway: number;
  hostUsed: number | null;
  hostLimit: number | null;
  hostRemaining: number | null;
  source: string;
}

export interface FieldPlan {
  field: BasicInfoField;
  action: FieldAction;
  comparison: Comparison;
  current: string | null;
  desired: string | null;
  /** What the change sets, when there is one to make. */
  target: FieldTarget | null;
  needsReview: boolean;
  usesQuota: boolean;
  quota: FieldQuotaPlan | null;
  blockers: Array<{ rule: string; message: string }>;
  note: string;
}

/** What the plan of one host is made from: all of it read before, so this stays pure. */
export interface HostPlanInput {
  host: string;
  definition: ListingDefinition;
  capabilities: BasicInfoCapabilities;
  /** The host's listing rules the definition breaks (its adapter's validate, without a version). */
  violations: readonly Violation[];
  snapshot: BasicInfoSnapshot;
  expected: BasicInfoExpectation | null;
  /** Changes the gateway made per field and window key. */
  gatewayUses: ReadonlyMap<string, number>;
  /** Fields with a listing sync step still open on this binding. */
  inFlight: ReadonlySet<BasicInfoField>;
  fields: readonly BasicInfoField[];
  now: Date;
}

const blank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';
export const quotaUseKey = (field: string, key: string) => `${field}@${key}`;
const contactText = (c: { phone: string | null; email: string | null }) => [c.phone, c.email].filter((v) => v).join(', ') || null;
const sameIds = (a: readonly (readonly string[])[], b: readonly (readonly string[])[]) => JSON.stringify(a) === JSON.stringify(b);

/** The definition's value of a field as the change to make, or null when the definition leaves it empty. */
export function targetOf(def: ListingDefinition, field: BasicInfoField): FieldTarget | null {
  switch (field) {
    case 'name':
    case 'description':
    case 'category':
      return blank(def[field]) ? null : { field, value: def[field] };
    case 'shortName':
    case 'slogan': {
      const v = def[field];
      return blank(v) ? null : { field, value: v };
    }
    case 'icon':
      return def.icon ? { field, url: def.icon.url, sha256: def.icon.sha256 } : null;
    case 'serviceContact':
      return blank(def.servicePhone) && blank(def.serviceEmail) ? null : { field, phone: def.servicePhone ?? null, email: def.serviceEmail ?? null };
  }
}

/** The target as text for plans, runs and events (never bytes). */
export function targetText(t: FieldTarget): string {
  if (t.field === 'icon') return `${t.url} (sha256 ${t.sha256})`;
  if (t.field === 'serviceContact') return contactText(t) ?? '';
  return t.value;
}

/** What the host shows for a field, as text. */
export function currentText(snap: BasicInfoSnapshot, field: BasicInfoField): string | null {
  switch (field) {
    case 'name':
    case 'shortName':
    case 'slogan':
    case 'description':
      return snap[field];
    case 'icon':
      return snap.icon?.url ?? null;
    case 'category':
      return snap.categories ? snap.categories.map((c) => c.names.join('/')).join('; ') || null : null;
    case 'serviceContact':
      return snap.serviceContact ? contactText(snap.serviceContact) : null;
  }
}

/**
 * Whether the host already shows the target. Text fields compare values. The icon and the
 * category compare with what the gateway itself set there: no host returns an image hash, and
 * host categories are the host's own ids and names.
 */
export function compare(target: FieldTarget, snap: BasicInfoSnapshot, expected: BasicInfoExpectation | null, readable: boolean): Comparison {
  if (!readable) return 'UNKNOWN';
  switch (target.field) {
    case 'icon': {
      const e = expected?.icon;
      if (!e || e.sha256 !== target.sha256) return 'UNKNOWN';
      return e.fingerprint === null || e.fingerprint === (snap.icon?.fingerprint ?? null) ? 'SAME' : 'DIFFERENT';
    }
    case 'category': {
      const e = expected?.category;
      if (!e || e.code !== target.value || !snap.categories) return 'UNKNOWN';
      return e.hostIds === null ||
        sameIds(
          e.hostIds,
          snap.categories.map((c) => c.ids),
        )
        ? 'SAME'
        : 'DIFFERENT';
    }
    case 'serviceContact':
      if (!snap.serviceContact) return 'UNKNOWN';
      return (snap.serviceContact.phone ?? null) === target.phone && (snap.serviceContact.email ?? null) === target.email ? 'SAME' : 'DIFFERENT';
    default:
      return snap[target.field] === target.value ? 'SAME' : 'DIFFERENT';
  }
}

/** The basic-info field a listing rule's violation is about (`icon.url` -> icon), if any. */
export function fieldOfViolation(field: string): BasicInfoField | null {
  const head = field.split('.')[0];
  if (head === 'servicePhone' || head === 'serviceEmail') return 'serviceContact';
  return (BASIC_INFO_FIELDS as readonly string[]).includes(head) ? (head as BasicInfoField) : null;
}

// Listing sync re-encodes the icon to a type and byte size the host takes (icon-image.ts).
const CONVERTED_ICON_RULES = new Set(['iconFormat', 'iconSize']);

const WINDOW_WORDS: Record<QuotaWindow, string> = { DAY: 'a day', MONTH: 'a month', YEAR: 'a year', HOST_REPORTED: 'per period the host counts' };

/** The plan of one field on one host: what differs, what a change costs, and what blocks it. */
export function planField(input: HostPlanInput, field: BasicInfoField): FieldPlan {
  const cap = input.capabilities[field];
  const target = targetOf(input.definition, field);
  const current = cap.readable ? currentText(input.snapshot, field) : null;
  const base = { field, current, desired: target ? targetText(target) : null, needsReview: cap.needsReview, note: cap.note };
  const reported = input.snapshot.quotas.find((q) => q.field === field) ?? null;
  const window: QuotaWindow | null = cap.quota?.window ?? reported?.window ?? null;
  const key = window ? windowKey(window, input.now) : null;
  const quota: FieldQuotaPlan | null =
    window && key
      ? {
          limit: cap.quota?.count ?? null,
          window,
          windowKey: key,
          usedByGateway: input.gatewayUses.get(quotaUseKey(field, key)) ?? 0,
          hostUsed: reported?.used ?? null,
          hostLimit: reported?.limit ?? null,
          hostRemaining: reported?.remaining ?? null,
          source: cap.quota?.source ?? 'reported by the host on read-back',
        }
      : null;
  const usesQuota = quota !== null;
  if (!target) return { ...base, action: 'EMPTY', comparison: 'UNKNOWN', target: null, usesQuota, quota, blockers: [] };
  const comparison = compare(target, input.snapshot, input.expected, cap.readable);
  if (comparison === 'SAME') return { ...base, action: 'UNCHANGED', comparison, target: null, usesQuota, quota, blockers: [] };
  if (!cap.changeable) {
    const blockers = [{ rule: 'fieldNotChangeable', message: `${input.host} cannot change ${field} through its API: ${cap.note}` }];
    return { ...base, action: 'NOT_OFFERED', comparison, target: null, usesQuota: false, quota, blockers };
  }
  // The host would refuse the value itself: said here, before any call spends a review or quota.
  const blockers: FieldPlan['blockers'] = input.violations
    .filter((v) => fieldOfViolation(v.field) === field && !CONVERTED_ICON_RULES.has(v.rule))
    .map((v) => ({ rule: v.rule, message: v.message }));
  if (input.inFlight.has(field)) blockers.push({ rule: 'reviewInProgress', message: `a listing sync of ${field} on ${input.host} has not ended yet` });
  const pending = input.snapshot.pendingReviews.find((r) => r.field === field && r.status === 'IN_REVIEW');
  if (pending && !input.inFlight.has(field))
    blockers.push({ rule: 'reviewInProgress', message: `${input.host} is reviewing a change of ${field}${pending.value ? ` to "${pending.value}"` : ''}` });
  if (quota && quota.limit !== null && quota.window !== 'HOST_REPORTED' && quota.usedByGateway >= quota.limit)
    blockers.push({
      rule: 'quotaExhausted',
      message: `${input.host} allows ${quota.limit} ${field} change(s) ${WINDOW_WORDS[quota.window]} (China time); the gateway made ${quota.usedByGateway} in ${quota.windowKey} (${quota.source})`,
    });
  if (quota && quota.hostRemaining === 0)
    blockers.push({
      rule: 'quotaExhausted',
      message: `${input.host} reports no ${field} change left${quota.hostLimit !== null ? ` (${quota.hostUsed ?? '?'} of ${quota.hostLimit} used)` : ''}`,
    });
  return { ...base, action: blockers.length > 0 ? 'BLOCKED' : 'CHANGE', comparison, target, usesQuota, quota, blockers };
}

export function planHost(input: HostPlanInput): FieldPlan[] {
  return input.fields.map((f) => planField(input, f));
}
