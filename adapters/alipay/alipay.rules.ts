import type { ListingDefinition, ReviewState, SubmissionStatus, VersionSpec, Violation } from '../core/index.js';
import { alipayCategoryFor } from './alipay.categories.js';

// Limits from shared/hosts A2.2 and A6; the CONFLICT reading is one constant (see the profile).
export const ALIPAY_LIMITS = {
  // CONFLICT (A2.2): 3-30 (2022 Java doc), 3-40 with Chinese = 2 (2024 PHP doc), 3-20 (FAQ).
  // We take the newest official doc: 3-40 units, a Chinese character counting 2.
  nameMin: 3,
  nameMax: 40,
  sloganMin: 10,
  sloganMax: 32,
  descriptionMin: 20,
  descriptionMax: 400,
  // 30-500 with Chinese = 2 (2024 PHP doc, A2.2).
  releaseNotesMin: 30,
  releaseNotesMax: 500,
  phoneMin: 5,
  phoneMax: 30,
  logoBytes: 2 * 1024 * 1024,
  // A6: main package (or any subpackage) <= 2 MB, all packages <= 8 MB. A template build size is the total.
  totalPackageBytes: 8 * 1024 * 1024,
  versionPartMax: 2_147_483_647,
} as const;

const NAME_CHARS = /^[\p{Script=Han}A-Za-z0-9_+-]+$/u; // A2.2: Chinese, digits, letters, _ + -
const PHONE_CHARS = /^[0-9-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOGO_FORMATS = ['jpg', 'jpeg', 'png'];
// Template id = the template mini-program's app id: 16 digits (A2 upload).
const TEMPLATE_ID = /^\d{16}$/;
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Length with a Chinese (wide) character counted 2, as the 2024 audit.apply doc counts (A2.2). */
export function alipayWideLength(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/** `x.y.z`, digits only, each part <= 2147483647 (A6); returns the problem or null. */
export function versionProblem(version: string): { rule: string; message: string } | null {
  if (!/^\d+\.\d+\.\d+$/.test(version)) return { rule: 'versionFormat', message: `version must be x.y.z with digits only, got "${version}"` };
  if (version.split('.').some((p) => Number(p) > ALIPAY_LIMITS.versionPartMax))
    return { rule: 'versionPartMax', message: `each version number must be at most ${ALIPAY_LIMITS.versionPartMax}` };
  return null;
}

/** Every Alipay listing rule the definition and version break (pure). */
export function validateAlipayListing(def: ListingDefinition, version?: VersionSpec): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ host: 'ALIPAY', field, rule, message });
  const L = ALIPAY_LIMITS;
  const range = (field: string, len: number, min: number, max: number, unit: string) => {
    if (len < min) add(field, 'minLength', `${field} must be at least ${min} ${unit}, got ${len}`);
    if (len > max) add(field, 'maxLength', `${field} must be at most ${max} ${unit}, got ${len}`);
  };

  range('name', alipayWideLength(def.name), L.nameMin, L.nameMax, 'units (a Chinese character counts 2)');
  if (def.name !== '' && !NAME_CHARS.test(def.name)) add('name', 'nameChars', 'name may hold only Chinese characters, letters, digits, _, + and -');
  if (def.slogan != null && def.slogan !== '') range('slogan', [...def.slogan].length, L.sloganMin, L.sloganMax, 'characters');
  range('description', [...def.description].length, L.descriptionMin, L.descriptionMax, 'characters');

  const category = alipayCategoryFor(def.category);
  if ('unmapped' in category) add('category', 'categoryUnmapped', `no Alipay category for "${def.category}": ${category.unmapped}`);

  const phone = def.servicePhone ?? '';
  if (phone === '' && !def.serviceEmail) add('servicePhone', 'serviceContact', 'a service phone or email is required (SERVICE_TEL_AND_MAIL_BOTH_BLANK)');
  if (phone !== '') {
    if (!PHONE_CHARS.test(phone)) add('servicePhone', 'phoneFormat', 'service phone may hold only digits and -');
    range('servicePhone', phone.length, L.phoneMin, L.phoneMax, 'characters');
  }
  if (def.serviceEmail && !EMAIL.test(def.serviceEmail)) add('serviceEmail', 'emailFormat', 'service email is not an email address');

  if (def.icon) {
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(def.icon.url)?.[1]?.toLowerCase();
    if (!ext || !LOGO_FORMATS.includes(ext)) add('icon.url', 'iconFormat', `logo must be ${LOGO_FORMATS.join(', ')} (no bmp/gif)`);
    if (def.icon.width !== def.icon.height) add('icon.width', 'iconSquare', `logo must be square, got ${def.icon.width}x${def.icon.height}`);
    if (def.icon.sizeBytes != null && def.icon.sizeBytes > L.logoBytes) add('icon.sizeBytes', 'iconSize', 'logo must be at most 2 MB');
  }

  // Without a version (listing sync plans) only the definition is checked.
  if (version) {
    const v = versionProblem(version.version);
    if (v) add('version', v.rule, v.message);
    range('releaseNotes', alipayWideLength(version.releaseNotes), L.releaseNotesMin, L.releaseNotesMax, 'units (a Chinese character counts 2)');

    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') add('artifact.kind', 'artifactKind', 'an Alipay ISV builds merchant mini-programs from a template only');
    else {
      if (!TEMPLATE_ID.test(art.templateId)) add('artifact.templateId', 'templateId', 'template id must be the template mini-program app id (16 digits)');
      if (art.sizeBytes != null && art.sizeBytes > L.totalPackageBytes) add('artifact.sizeBytes', 'packageSize', 'all packages together must be at most 8 MB');
    }
  }
  return out;
}

/** Gray percentage -> `gray_strategy` (A2: only p10, p30, p50). */
export const ALIPAY_GRAY_STRATEGIES: Readonly<Record<number, string>> = { 10: 'p10', 30: 'p30', 50: 'p50' };

export function grayPercentageOf(strategy: unknown): number | null {
  const hit = Object.entries(ALIPAY_GRAY_STRATEGIES).find(([, s]) => s === strategy);
  return hit ? Number(hit[0]) : null;
}

interface StatusRow {
  meaning: string;
  /** Where the version stands in the gateway's lifecycle. */
  submission: SubmissionStatus;
  /** What `reviewStatus` reports (release states read as approved: the review is over). */
  review: ReviewState['status'];
  note?: string;
}

/** detail.query / list.query `status` -> normalized (A2.3). */
export const ALIPAY_VERSION_STATUS: Readonly<Record<string, StatusRow>> = {
  INIT: {
    meaning: '开发中 in development',
    submission: 'UPLOADED',
    review: 'UPLOADED',
    note: 'WITHDRAWN when the ref says it was submitted (audit.cancel goes back to INIT, UNCONFIRMED); UPLOADING/FAILED while the build runs or failed',
  },
  AUDITING: { meaning: '审核中 under review', submission: 'IN_REVIEW', review: 'IN_REVIEW' },
  WAIT_RELEASE: { meaning: '待上架 approved', submission: 'APPROVED', review: 'APPROVED' },
  BASE_AUDIT_PASS: {
    meaning: '准入不可营销 admission passed, marketing not',
    submission: 'APPROVED',
    review: 'APPROVED',
    note: 'audit_rule BASE_PROMOTE: may go online',
  },
  PROMOTE_AUDIT_REJECT: {
    meaning: 'marketing review rejected (UNCONFIRMED status)',
    submission: 'APPROVED',
    review: 'APPROVED',
    note: 'admission passed; can_release decides',
  },
  AUDIT_REJECT: { meaning: '审核驳回 rejected', submission: 'REJECTED', review: 'REJECTED' },
  GRAY: { meaning: '灰度中 gray release', submission: 'GRAY', review: 'APPROVED' },
  RELEASE: { meaning: '已上架 online', submission: 'RELEASED', review: 'APPROVED' },
  OFFLINE: { meaning: '已下架 taken offline (offline or rollback)', submission: 'ROLLED_BACK', review: 'APPROVED' },
  AUDIT_OFFLINE: { meaning: '已被强制下架 forced offline by the platform', submission: 'FAILED', review: 'FAILED' },
};

/** upload / build.query `build_status` (A2.1) -> normalized. */
export const ALIPAY_BUILD_STATUS: Readonly<Record<string, { meaning: string; review: 'UPLOADING' | 'UPLOADED' | 'FAILED' }>> = {
  '0': { meaning: 'queued', review: 'UPLOADING' },
  '1': { meaning: 'building', review: 'UPLOADING' },
  '2': { meaning: 'build succeeded', review: 'UPLOADED' },
  '3': { meaning: 'build failed', review: 'FAILED' },
  '5': { meaning: 'build timed out', review: 'FAILED' },
};
