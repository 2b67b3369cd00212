import type { ListingDefinition, ReviewState, VersionSpec, Violation } from '../core/index.js';
import { wechatCategoryFor } from './wechat.categories.js';

// Limits from shared/hosts/wechat.md §4 (the ones marked UNCONFIRMED there are assumptions in the profile).
export const WECHAT_LIMITS = {
  nameMin: 4, // UNCONFIRMED: 4-30 with a CJK character counted as 2 (book excerpt only)
  nameMax: 30,
  descriptionMin: 4,
  descriptionMax: 120,
  userVersionMax: 64,
  totalPackageBytes: 20 * 1024 * 1024, // third-party platform total; each package 2 MB (SUBPKG)
  iconBytes: 2 * 1024 * 1024,
  keywordsMax: 10, // item_list tag: <= 10 tags, each <= 20 chars
  keywordMax: 20,
  releaseNotesMax: 500, // UNCONFIRMED: only "85051 version_desc too large" is documented
} as const;

const ICON_FORMATS = ['bmp', 'jpeg', 'jpg', 'gif', 'png'];
// CJK ideographs, CJK punctuation and full-width forms count 2 in the name rule.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function wechatNameLength(name: string): number {
  let n = 0;
  for (const ch of name) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/** Every WeChat listing rule the definition and version break (pure). */
export function validateWechatListing(def: ListingDefinition, version?: VersionSpec): Violation[] {
  const out: Violation[] = [];
  const add = (field: string, rule: string, message: string) => out.push({ host: 'WECHAT', field, rule, message });
  const L = WECHAT_LIMITS;

  const nameLen = wechatNameLength(def.name);
  if (nameLen < L.nameMin) add('name', 'minLength', `name must be at least ${L.nameMin} (a Chinese character counts 2), got ${nameLen}`);
  if (nameLen > L.nameMax) add('name', 'maxLength', `name must be at most ${L.nameMax} (a Chinese character counts 2), got ${nameLen}`);
  if (def.name.includes('小程序')) add('name', 'forbiddenWord', 'name must not contain "小程序"');

  const descLen = [...def.description].length;
  if (descLen < L.descriptionMin) add('description', 'minLength', `description must be at least ${L.descriptionMin} characters`);
  if (descLen > L.descriptionMax) add('description', 'maxLength', `description must be at most ${L.descriptionMax} characters`);

  const category = wechatCategoryFor(def.category);
  if ('unmapped' in category) add('category', 'categoryUnmapped', `no WeChat category for "${def.category}": ${category.unmapped}`);

  if (def.keywords.length > L.keywordsMax) add('keywords', 'maxItems', `at most ${L.keywordsMax} keywords (audit tags)`);
  def.keywords.forEach((k, i) => {
    if ([...k].length > L.keywordMax) add(`keywords.${i}`, 'maxLength', `keyword must be at most ${L.keywordMax} characters`);
    if (/\s/.test(k)) add(`keywords.${i}`, 'format', 'keyword must not contain spaces (tags are space-separated)');
  });

  // Name, avatar and description must be set before the first audit (86002).
  if (!def.icon) add('icon', 'required', 'an icon is required before WeChat accepts a review');
  else {
    const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(def.icon.url)?.[1]?.toLowerCase();
    if (!ext || !ICON_FORMATS.includes(ext)) add('icon.url', 'iconFormat', `icon must be one of ${ICON_FORMATS.join(', ')}`);
    if (def.icon.sizeBytes != null && def.icon.sizeBytes > L.iconBytes) add('icon.sizeBytes', 'iconSize', 'icon must be at most 2 MB');
  }
  // The privacy guide (needed before audit) carries a contact phone or email in owner_setting.
  if (!def.servicePhone && !def.serviceEmail) add('servicePhone', 'serviceContact', 'a service phone or email is required for the privacy guide');

  // Without a version (listing sync plans) only the definition is checked.
  if (version) {
    if ([...version.version].length > L.userVersionMax) add('version', 'maxLength', `user_version must be at most ${L.userVersionMax} characters`);
    if ([...version.releaseNotes].length > L.releaseNotesMax) add('releaseNotes', 'maxLength', `release notes must be at most ${L.releaseNotesMax} characters`);

    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') add('artifact.kind', 'artifactKind', 'a WeChat third-party platform uploads from a code template only');
    else {
      if (!/^\d+$/.test(art.templateId)) add('artifact.templateId', 'templateId', 'template id must be a number');
      if (art.sizeBytes != null && art.sizeBytes > L.totalPackageBytes) add('artifact.sizeBytes', 'packageSize', 'all packages together must be at most 20 MB');
    }
  }
  return out;
}

/** get_auditstatus `status` -> normalized status (wechat.md §2.2). */
export const WECHAT_AUDIT_STATUS: Readonly<Record<number, { status: ReviewState['status']; delayed: boolean; meaning: string }>> = {
  0: { status: 'APPROVED', delayed: false, meaning: '审核成功 approved' },
  1: { status: 'REJECTED', delayed: false, meaning: '审核被拒绝 rejected' },
  2: { status: 'IN_REVIEW', delayed: false, meaning: '审核中 under review' },
  3: { status: 'WITHDRAWN', delayed: false, meaning: '已撤回 withdrawn' },
  4: { status: 'IN_REVIEW', delayed: true, meaning: '审核延后 delayed' },
};

export function normalizeAuditStatus(native: number): { status: ReviewState['status']; delayed: boolean } | null {
  const hit = WECHAT_AUDIT_STATUS[native];
  return hit ? { status: hit.status, delayed: hit.delayed } : null;
}
