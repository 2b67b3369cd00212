import type { NativeEvidence } from './listing.js';

/**
 * Basic info ("listing sync"): what users see of a mini-program besides its code. Every host
 * changes these through its own API, most of them one field per call, each field with its own
 * review and quota; the contract is therefore one field per `applyBasicInfo` call:
 * - three of the four hosts have one API per field (WeChat setnickname / modifysignature /
 *   modifyheadimage / addcategory, Baidu and Douyin likewise); Alipay's one multi-field
 *   `baseinfo.modify` takes a single field as well;
 * - each field has its own review and quota, so one call costs exactly one quota use and starts
 *   at most one review, and a partial failure of several fields cannot be reported as one result;
 * - the gateway plans and runs a sync as one job per field, so a retried job repeats one call.
 */
export const BASIC_INFO_FIELDS = ['name', 'shortName', 'slogan', 'description', 'icon', 'category', 'serviceContact'] as const;
export type BasicInfoField = (typeof BASIC_INFO_FIELDS)[number];

/** The window a host counts changes in: China time (UTC+8) calendar periods, or a total the host reports. */
export type QuotaWindow = 'DAY' | 'MONTH' | 'YEAR' | 'HOST_REPORTED';

export interface BasicInfoQuota {
  /** Changes allowed per window; null when the host states no number and reports what is left in `readBasicInfo`. */
  count: number | null;
  window: QuotaWindow;
  /** Where the number comes from (shared/hosts section, doc page or SDK sample). */
  source: string;
}

/** What one host offers for one field. */
export interface BasicInfoFieldCapability {
  /** The host's open API can change the field; otherwise `applyBasicInfo` refuses it before any call. */
  changeable: boolean;
  /** The host reviews a change before users see it (the review ends by push or by reading back). */
  needsReview: boolean;
  /** How often the field may change; null when the host documents no limit. */
  quota: BasicInfoQuota | null;
  /** `readBasicInfo` shows the field's current value. */
  readable: boolean;
  /** How the host does it, or why it cannot (in words for docs/hosts.md and API users). */
  note: string;
  /** Icons only: the image types and size the host takes, so the gateway converts before it uploads. */
  image?: { contentTypes: readonly string[]; maxBytes: number };
}

export type BasicInfoCapabilities = Readonly<Record<BasicInfoField, BasicInfoFieldCapability>>;

/** The derived yes/no kept for the host matrix and older API fields: any field can change by API. */
export function basicInfoSyncOf(caps: BasicInfoCapabilities): boolean {
  return BASIC_INFO_FIELDS.some((f) => caps[f].changeable);
}

/** A field no host API offers, stated once. */
export const NOT_OFFERED = (note: string): BasicInfoFieldCapability => ({ changeable: false, needsReview: false, quota: null, readable: false, note });

/** An icon change: the bytes the gateway fetched and checked, uploaded the way the host requires. */
export interface IconImage {
  bytes: Buffer;
  /** `image/png`, `image/jpeg` ...: each adapter refuses types its host does not take (`invalid`). */
  contentType: string;
}

/** One field to change; exactly one per call (see the module comment). */
export type BasicInfoChange =
  | { field: 'name'; name: string }
  | { field: 'shortName'; shortName: string }
  | { field: 'slogan'; slogan: string }
  | { field: 'description'; description: string }
  | { field: 'icon'; icon: IconImage }
  /** Canonical gateway category code (`life.food`); each adapter maps it to its host's ids. */
  | { field: 'category'; category: string }
  | { field: 'serviceContact'; phone: string | null; email: string | null };

export interface BasicInfoApplyResult extends NativeEvidence {
  field: BasicInfoField;
  /** APPLIED: users see it now. IN_REVIEW: the host reviews it first; follow it with `basicInfoReviewStatus` or pushes. */
  status: 'APPLIED' | 'IN_REVIEW';
  /** The host's id for the review, when it gives one (WeChat name audit_id). */
  reviewId: string | null;
}

export type BasicInfoReviewStatus = 'IN_REVIEW' | 'APPROVED' | 'REJECTED';

/** A change the host has not finished with (or just rejected), as the host reports it. */
export interface PendingBasicInfoReview {
  field: BasicInfoField;
  /** The value under review (name, description, icon URL, category names), when the host says. */
  value: string | null;
  status: BasicInfoReviewStatus;
  reason: string | null;
  reviewId: string | null;
}

/** What is left of a field's quota, as the host reports it. */
export interface BasicInfoQuotaUse {
  field: BasicInfoField;
  used: number | null;
  limit: number | null;
  remaining: number | null;
  window: QuotaWindow;
}

export interface HostCategory {
  /** The host's own ids, top level first. */
  ids: readonly string[];
  /** The host's names, top level first. */
  names: readonly string[];
  /** Null when the host does not review categories or did not say. */
  reviewStatus: BasicInfoReviewStatus | null;
  reason: string | null;
}

/** What the host shows users now; null where the host does not report a field. */
export interface BasicInfoSnapshot extends NativeEvidence {
  name: string | null;
  shortName: string | null;
  slogan: string | null;
  description: string | null;
  /**
   * The icon as the host serves it. No host returns a hash of the image: the URL (it changes on
   * every accepted upload) is the fingerprint the gateway compares after its own change.
   */
  icon: { url: string; fingerprint: string } | null;
  categories: readonly HostCategory[] | null;
  serviceContact: { phone: string | null; email: string | null } | null;
  pendingReviews: readonly PendingBasicInfoReview[];
  quotas: readonly BasicInfoQuotaUse[];
}

/** The review of one change, asked for by the field and the id `applyBasicInfo` returned. */
export interface BasicInfoReviewRef {
  field: BasicInfoField;
  reviewId: string | null;
}

export interface BasicInfoReviewState extends NativeEvidence {
  field: BasicInfoField;
  /** APPROVED also when the host no longer shows a review and the field is live (it cannot tell them apart). */
  status: BasicInfoReviewStatus;
  reason: string | null;
}

/** The value of `change` as text, for reviews and evidence (never the icon bytes). */
export function changeSummary(change: BasicInfoChange): string {
  switch (change.field) {
    case 'name':
      return change.name;
    case 'shortName':
      return change.shortName;
    case 'slogan':
      return change.slogan;
    case 'description':
      return change.description;
    case 'icon':
      return `${change.icon.contentType}, ${change.icon.bytes.length} bytes`;
    case 'category':
      return change.category;
    case 'serviceContact':
      return [change.phone, change.email].filter((v) => v !== null).join(', ');
  }
}

/** The file extension a host wants in an upload's file name, from the content type. */
export function imageExtension(contentType: string): string | null {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif', 'image/bmp': 'bmp' }[type] ?? null;
}

/**
 * A multipart/form-data body built by the platform's own FormData (undici, shipped with Node):
 * the bytes and the content type with its boundary, for the `HttpTransport`.
 */
export async function multipartBody(
  fields: Record<string, string>,
  files: Array<{ name: string; filename: string; contentType: string; bytes: Buffer }>,
): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.name, new Blob([new Uint8Array(f.bytes)], { type: f.contentType }), f.filename);
  const req = new Request('http://multipart.invalid/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type') ?? 'multipart/form-data' };
}

/** Reads a multipart/form-data body (sandboxes): text fields and files, by the platform's own parser. */
export async function parseMultipart(
  body: Buffer,
  contentType: string,
): Promise<{ fields: Record<string, string>; files: Record<string, { filename: string; contentType: string; bytes: Buffer }> }> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, { filename: string; contentType: string; bytes: Buffer }> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v === 'string') fields[k] = v;
    else files[k] = { filename: v.name, contentType: v.type, bytes: Buffer.from(await v.arrayBuffer()) };
  }
  return { fields, files };
}
