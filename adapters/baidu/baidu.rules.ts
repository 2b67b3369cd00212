import type { ListingDefinition, SubmissionStatus, VersionSpec, Violation } from '../core/index.js';
import { baiduCategoryFor } from './baidu.categories.js';

// Limits from alipay-baidu-bytedance.md B3; those not documented there are assumptions listed in the profile.
export const BAIDU_LIMITS = {
  nameMin: 2,
  nameMax: 10, // B3 "Name (community)": only a sample audit-fail reason says "≤10 chars"
  descriptionMin: 10, // not in shared/hosts: assumed 10-200 characters
  descriptionMax: 200,
  userVersionMax: 32, // not in shared/hosts
  totalPackageBytes: 8 * 1024 * 1024, // B3: whole app ≤ 8 MB
  singlePackageBytes: 2 * 1024 * 1024, // B3: main package or one subpackage ≤ 2 MB
  releaseNotesMax: 500, // submitaudit `content`: length not documented
} as const;

// Three or four dotted numbers: "开发者可自定义" (developer-defined, B2); official samples use "1.2.6",
// "2543.26.18" (Go/PHP upload examples) and four parts ("10.30.0.3" in the upload doc example,
// "2.2.2.2" in the Java SDK's template tests). Letters ("d0.0.0.2" in a Java test) are not taken.
const USER_VERSION = /^\d{1,4}(\.\d{1,4}){2,3}$/;
const ICON_FORMATS = ['png', 'jpg', 'jpeg'];

/** Every Baidu listing rule the definition and version break (pure). */
export function validateBaiduListing(def: ListingDefinition, version?: VersionSpec): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ host: 'BAIDU', field, rule, message });
  const L = BAIDU_LIMITS;

  const nameLen = [...def.name.trim()].length;
  if (nameLen < L.nameMin) add('name', 'minLength', `name must be at least ${L.nameMin} characters, got ${nameLen}`);
  if (nameLen > L.nameMax) add('name', 'maxLength', `name must be at most ${L.nameMax} characters, got ${nameLen}`);

  const descLen = [...def.description.trim()].length;
  if (descLen < L.descriptionMin) add('description', 'minLength', `description must be at least ${L.descriptionMin} characters`);
  if (descLen > L.descriptionMax) add('description', 'maxLength', `description must be at most ${L.descriptionMax} characters`);

  const category = baiduCategoryFor(def.category);
  if ('unmapped' in category) add('category', 'categoryUnmapped', `no Baidu category for "${def.category}": ${category.unmapped}`);

  if (!def.icon) add('icon', 'required', 'an icon is required before Baidu accepts a review');
  else {
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(def.icon.url)?.[1]?.toLowerCase();
    if (!ext || !ICON_FORMATS.includes(ext)) add('icon.url', 'iconFormat', `icon must be one of ${ICON_FORMATS.join(', ')}`);
    if (def.icon.width !== def.icon.height) add('icon', 'iconShape', 'icon must be square');
  }

  // Without a version (listing sync plans) only the definition is checked.
  if (version) {
    if ([...version.version].length > L.userVersionMax) add('version', 'maxLength', `user_version must be at most ${L.userVersionMax} characters`);
    else if (!USER_VERSION.test(version.version)) add('version', 'versionFormat', 'user_version must be three or four dotted numbers, e.g. 1.0.0 or 10.30.0.3');
    const notes = [...version.releaseNotes.trim()].length;
    if (notes === 0) add('releaseNotes', 'required', 'release notes are sent as the audit description (submitaudit content)');
    if (notes > L.releaseNotesMax) add('releaseNotes', 'maxLength', `release notes must be at most ${L.releaseNotesMax} characters`);

    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') add('artifact.kind', 'artifactKind', 'a Baidu TP uploads from a code template only (package/upload takes template_id)');
    else {
      if (!/^\d{1,19}$/.test(art.templateId)) add('artifact.templateId', 'templateId', 'template_id must be a number (long)');
      // Only the build's total size is known here, so the 2 MB main/subpackage rule cannot be checked.
      if (art.sizeBytes != null && art.sizeBytes > L.totalPackageBytes) add('artifact.sizeBytes', 'packageSize', 'all packages together must be at most 8 MB');
    }
  }
  return out;
}

/** package/get `status` -> normalized status (B2). */
export const BAIDU_PACKAGE_STATUS: Readonly<Record<number, { status: SubmissionStatus; meaning: string }>> = {
  1: { status: 'RELEASED', meaning: '线上 online' },
  3: { status: 'UPLOADED', meaning: '开发 development' },
  4: { status: 'IN_REVIEW', meaning: '审核中 under audit' },
  5: { status: 'REJECTED', meaning: '审核失败 audit failed' },
  6: { status: 'APPROVED', meaning: '审核通过 audit passed' },
  8: { status: 'RELEASED', meaning: '回滚中 rolling back (still live until the rollback applies)' },
};

/** package/get `upload_status` (B2): an uploaded package carries none (fixture package.get.success), so anything else means done. */
export const BAIDU_UPLOAD_STATUS: Readonly<Record<number, { status: SubmissionStatus; meaning: string }>> = {
  1: { status: 'UPLOADING', meaning: '上传中 uploading' },
  3: { status: 'FAILED', meaning: '上传失败 upload failed' },
};

/** The normalized status of one package item, upload state first. */
export function normalizePackage(item: { status?: unknown; upload_status?: unknown }): SubmissionStatus | null {
  const upload = BAIDU_UPLOAD_STATUS[Number(item.upload_status)];
  if (upload) return upload.status;
  return BAIDU_PACKAGE_STATUS[Number(item.status)]?.status ?? null;
}
