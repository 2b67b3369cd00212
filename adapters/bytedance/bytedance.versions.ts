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

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/**
 * Rejection reasons: `reason` is one string over all hosts; `reason_detail` a map host -> reasons
 * (fixture versions.success; DY-skit types it IDictionary<string, string[]>). The string is kept
 * when present, else the map is spelled out host by host.
 */
function reasonOf(reason: unknown, detail: unknown): string | null {
  const whole = text(reason);
  if (whole !== '') return whole;
  const byHost = Object.entries(obj(detail) ?? {})
    .map(([host, items]) => [host, (Array.isArray(items) ? items : [items]).map(text).filter((r) => r !== '')] as const)
    .filter(([, items]) => items.length > 0)
    .map(([host, items]) => `${host}: ${items.join('; ')}`);
  return byHost.length > 0 ? byHost.join('; ') : null;
}

/**
 * Screenshots: `attach_info` is a map host -> attachment URL (fixture versions.success; DY-skit
 * IDictionary<string, string>). Several URLs in one value are comma-separated, as DY-skit reads
 * `latest.screenshot` (assumption: BYTEDANCE_PROFILE). Duplicates across hosts are kept once.
 */
function screenshotsOf(attachInfo: unknown): string[] {
  const urls = Object.values(obj(attachInfo) ?? {}).flatMap((v) => (Array.isArray(v) ? v.map(text) : text(v).split(',')));
  return [...new Set(urls.map((u) => u.trim()).filter((u) => u !== ''))];
}

/**
 * `gray.host_gray_scale` is a map host -> gray percentage, sent as a string (shared/hosts "Confirmed
 * later"; DY-skit IDictionary<string, string>). The largest share over the hosts is reported (the
 * most users who may see the gray version); non-numeric values are ignored.
 */
export function grayPercentageOf(hostGrayScale: unknown): number | null {
  const values = Object.values(obj(hostGrayScale) ?? {})
    .map((v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replace(/%$/, '')) : NaN))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return values.length > 0 ? Math.max(...values) : null;
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
          reason: reasonOf(audit!.reason, audit!.reason_detail),
          hasPublish: flag(audit!.has_publish),
          screenshots: screenshotsOf(audit!.attach_info),
        }
      : null,
    current: cv ? { version: cv, hasDown: flag(current!.has_down) } : null,
    gray: gv ? { version: gv, percentage: grayPercentageOf(gray!.host_gray_scale) } : null,
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
