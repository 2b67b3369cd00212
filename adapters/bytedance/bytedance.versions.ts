import type { HostVersionRef, LiveListing, ReviewState } from '../core/index.js';
import { normalizeAuditStatus } from './bytedance.rules.js';

type Obj = Record<string, unknown>;

export interface VersionSlots {
  latest: { version: string } | null;
  audit: { version: string; status: number | null; reason: string | null; hasPublish: boolean; screenshots: string[] } | null;
  current: { version: string; hasDown: boolean } | null;
  gray: { version: string; percentage: number | null } | null;
}

const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null);
const versionOf = (slot: Obj | null): string | null => (slot && typeof slot.version === 'string' && slot.version !== '' ? slot.version : null);
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1';

function texts(...values: unknown[]): string[] {
  return values
    .flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? texts(...(v as unknown[])) : []))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// C2: V2 adds host_gray_scale (per-host gray ratio); its shape is not documented (UNCONFIRMED). Read a
// number or a map of numbers, take the largest, and read ratios <= 1 as fractions.
function grayPercentage(...candidates: unknown[]): number | null {
  const nums = candidates.flatMap((c) =>
    typeof c === 'number' ? [c] : obj(c) ? Object.values(obj(c)!).filter((x): x is number => typeof x === 'number') : [],
  );
  if (nums.length === 0) return null;
  const max = Math.max(...nums);
  return max > 0 && max <= 1 ? Math.round(max * 100) : max;
}

/** Reads the `data` of package_version/versions (C2: latest / audit / current / gray, snake_case in V2). */
export function parseVersions(data: Obj): VersionSlots {
  const latest = obj(data.latest);
  const audit = obj(data.audit);
  const current = obj(data.current);
  const gray = obj(data.gray);
  const lv = versionOf(latest);
  const av = versionOf(audit);
  const cv = versionOf(current);
  const gv = versionOf(gray);
  return {
    latest: lv ? { version: lv } : null,
    audit: av
      ? {
          version: av,
          status: typeof audit!.status === 'number' ? audit!.status : null,
          reason: [...new Set(texts(audit!.reason, audit!.reason_detail))].join('; ') || null,
          hasPublish: flag(audit!.has_publish),
          screenshots: texts(obj(audit!.attach_info)?.images, audit!.screenshot),
        }
      : null,
    current: cv ? { version: cv, hasDown: flag(current!.has_down) } : null,
    gray: gv ? { version: gv, percentage: grayPercentage(gray!.host_gray_scale, data.host_gray_scale) } : null,
  };
}

/** The state of `ref` as the versions API shows it; the audit slot wins over the others. */
export function reviewStateFor(slots: VersionSlots, ref: HostVersionRef): ReviewState {
  const a = slots.audit;
  if (a && a.version === ref.version) {
    const mapped = a.status === null ? null : normalizeAuditStatus(a.status);
    if (mapped) {
      const rejected = mapped.status === 'REJECTED';
      return {
        status: mapped.status,
        ref,
        nativeStatus: `audit.status ${a.status}`,
        reason: rejected ? a.reason : null,
        screenshots: rejected ? a.screenshots : [],
      };
    }
  }
  // Released versions left the audit slot's meaning behind: their review passed.
  if (slots.current?.version === ref.version) return { status: 'APPROVED', ref, nativeStatus: 'current' };
  if (slots.latest?.version === ref.version) return { status: 'UPLOADED', ref, nativeStatus: 'latest' };
  if (a && a.version === ref.version) return { status: 'IN_REVIEW', ref, nativeStatus: `audit.status ${String(a.status)}` };
  // One test slot (Part D): a later upload replaced this version before it was reviewed.
  return { status: 'FAILED', ref, nativeStatus: null, reason: `version ${ref.version} is in no slot of the versions API (replaced by a later upload)` };
}

export function liveListingFrom(slots: VersionSlots): Omit<LiveListing, 'response'> {
  const a = slots.audit;
  const pending = a && a.status === 0 ? 'IN_REVIEW' : a && a.status === 1 && !a.hasPublish && a.version !== slots.current?.version ? 'APPROVED' : null;
  return {
    liveVersion: slots.current?.version ?? null,
    grayVersion: slots.gray?.version ?? null,
    grayPercentage: slots.gray?.percentage ?? null,
    visibility: !slots.current ? 'HIDDEN' : slots.current.hasDown ? 'HIDDEN' : 'VISIBLE',
    pendingVersion: pending ? a!.version : null,
    pendingStatus: pending,
    nativeStatus: a?.status !== undefined && a?.status !== null ? `audit.status ${a.status}` : null,
  };
}
