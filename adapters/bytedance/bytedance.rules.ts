import type { ListingDefinition, SubmissionStatus, VersionSpec, Violation } from '../core/index.js';
import { bytedanceCategoryFor } from './bytedance.categories.js';

const MB = 1024 * 1024;

// alipay-baidu-bytedance.md C5 and C2; the ones marked (assumed) are not documented and are chosen here.
export const BYTEDANCE_LIMITS = {
  nameMin: 2, // (assumed)
  nameMax: 30, // (assumed)
  descriptionMax: 120, // (assumed)
  auditNoteMax: 200, // C2 audit_note / C5
  userVersionMax: 64, // C5: free-form, no documented format (assumed cap)
  packageTotalMax: 16 * MB, // C5 all packages
  mainPackageMax: 4 * MB, // C5 main package (to be lowered to 2 MB)
} as const;

const L = BYTEDANCE_LIMITS;

/** The largest int64, the type of template_id (C2; SDK `OpenAppsPackageVersionUploadV1Request.TemplateId` is a long). */
export const INT64_MAX = '9223372036854775807';

/**
 * A template id the upload can send exactly: decimal digits of a positive int64. Kept as a string
 * end to end (a JS number would round ids above 2^53), compared as a bigint.
 */
export function isInt64TemplateId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= BigInt(INT64_MAX);
}
const length = (s: string) => [...s].length;

/** Every broken Douyin listing rule for one definition and version (pure). */
export function validateBytedanceListing(def: ListingDefinition, version?: VersionSpec): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ host: 'BYTEDANCE', field, rule, message });

  const name = def.name?.trim() ?? '';
  if (name === '') add('name', 'required', 'name is required');
  else if (length(name) < L.nameMin) add('name', 'minLength', `name must have at least ${L.nameMin} characters`);
  else if (length(name) > L.nameMax) add('name', 'maxLength', `name must have at most ${L.nameMax} characters`);

  const description = def.description?.trim() ?? '';
  if (description === '') add('description', 'required', 'description is required');
  else if (length(description) > L.descriptionMax) add('description', 'maxLength', `description must have at most ${L.descriptionMax} characters`);

  // Without a version (listing sync plans) only the definition is checked.
  if (version) {
    if (length(version.releaseNotes ?? '') > L.auditNoteMax)
      add('releaseNotes', 'maxLength', `release notes (audit_note) must have at most ${L.auditNoteMax} characters`);

    const v = version.version ?? '';
    if (v.trim() === '') add('version', 'required', 'version (user_version) is required');
    else if (/[\s\p{Cc}]/u.test(v)) add('version', 'versionFormat', 'version (user_version) must not contain spaces or control characters');
    else if (length(v) > L.userVersionMax) add('version', 'maxLength', `version (user_version) must have at most ${L.userVersionMax} characters`);

    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') {
      add('artifact.kind', 'artifactKind', 'third-party mini-apps upload from a code template (package_version/upload takes template_id)');
      // A single uploaded package is the main package.
      if (art.sizeBytes > L.mainPackageMax) add('artifact.sizeBytes', 'packageSize', 'the main package must be at most 4 MB');
    } else {
      if (!isInt64TemplateId(art.templateId)) add('artifact.templateId', 'templateId', `template_id must be a positive int64 (digits, at most ${INT64_MAX})`);
      const size = art.sizeBytes;
      if (typeof size === 'number' && size > L.packageTotalMax) add('artifact.sizeBytes', 'packageSize', 'all packages together must be at most 16 MB');
    }
  }

  if (!def.icon) add('icon', 'required', 'an icon is required');
  else if (def.icon.width !== def.icon.height) add('icon', 'iconShape', 'the icon must be square');

  if (!bytedanceCategoryFor(def.category)) add('category', 'categoryUnmapped', `category ${def.category} has no Douyin mini-app category`);
  return out;
}

/** `audit.status` of the versions API (C2) -> normalized review status. */
export const BYTEDANCE_AUDIT_STATUS: Readonly<
  Record<number, { meaning: string; status: Extract<SubmissionStatus, 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN'> }>
> = {
  0: { meaning: 'auditing', status: 'IN_REVIEW' },
  1: { meaning: 'passed', status: 'APPROVED' },
  2: { meaning: 'rejected', status: 'REJECTED' },
  3: { meaning: 'revoked', status: 'WITHDRAWN' },
};

export function normalizeAuditStatus(native: number): (typeof BYTEDANCE_AUDIT_STATUS)[number] | null {
  return BYTEDANCE_AUDIT_STATUS[native] ?? null;
}

/** How the version slots of the versions API read (C2), for the host profile. */
export const BYTEDANCE_SLOT_MAPPING: ReadonlyArray<{ native: string; normalized: string; note?: string }> = [
  { native: 'latest (test version) names the version', normalized: 'UPLOADED' },
  { native: 'current (online) names the version', normalized: 'APPROVED', note: 'readListing reports it as the live version (RELEASED)' },
  { native: 'current.has_down = true', normalized: 'visibility HIDDEN' },
  { native: 'gray slot / host_gray_scale', normalized: 'grayVersion / grayPercentage (read only)' },
  { native: 'version in no slot', normalized: 'FAILED', note: 'replaced by a later upload (one test slot)' },
];
