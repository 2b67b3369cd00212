import {
  HostError,
  NOT_OFFERED,
  UnsupportedCapabilityError,
  imageExtension,
  multipartBody,
  scalarText,
  unexpectedAnswer,
  type BasicInfoApplyResult,
  type BasicInfoCapabilities,
  type BasicInfoChange,
  type BasicInfoField,
  type BasicInfoFieldCapability,
  type BasicInfoQuotaUse,
  type BasicInfoReviewRef,
  type BasicInfoReviewState,
  type BasicInfoReviewStatus,
  type BasicInfoSnapshot,
  type PendingBasicInfoReview,
} from '../core/index.js';
import { dataOf, type BytedanceClient, type BytedanceJson } from './bytedance.client.js';
import type { BytedanceCredentials } from './bytedance.credentials.js';

const DOC = 'developer.open-douyin.com docs/resource/zh-CN/thirdparty/API/smallprogram/auth-app-manage/base-info';
const reviewed = (api: string): BasicInfoFieldCapability => ({
  changeable: true,
  needsReview: true,
  quota: { count: null, window: 'HOST_REPORTED', source: `${DOC}/info-v2 (remaining_times per field); 20105 "当前修改次数已用完" (modify-*-v2)` },
  readable: true,
  note: `${api}; reviewed (get_info new_*_audit_info; the MODIFY_APP_* push names are UNCONFIRMED, so reviews are read back).`,
});

const ICON_TYPES = new Set(['png', 'jpg']);
const ICON_MAX_BYTES = 2 * 1024 * 1024;

/** Basic-info fields on a Douyin third-party mini-app platform (V2 base-info APIs). */
export const BYTEDANCE_BASIC_INFO: BasicInfoCapabilities = {
  name: reviewed('basic_info/modify_app_name (4-20, a Chinese character counts 2)'),
  shortName: NOT_OFFERED('Douyin mini-apps have no short name.'),
  slogan: NOT_OFFERED('Douyin mini-apps have no slogan field.'),
  description: reviewed('basic_info/modify_app_intro'),
  icon: {
    ...reviewed('file/upload_material (material_type 1, jpeg/jpg/png) then basic_info/modify_app_icon with the path it returns'),
    image: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: ICON_MAX_BYTES },
  },
  category: {
    changeable: false,
    needsReview: true,
    quota: null,
    readable: true,
    note: 'Adding a category (category V2 APIs) takes Douyin category ids and qualifications; the gateway maps categories by name only, so categories change in the console (read back by get_info).',
  },
  serviceContact: NOT_OFFERED('No V2 API for service contacts.'),
};

/**
 * new_*_audit_state / app_category_audit_state: the doc pages read here do not list the values
 * (the SDK sample shows 2 and 4). Assumption: 1 in review, 2 approved, 3 rejected; any other value
 * means no change pending. Change it here.
 */
export const DOUYIN_AUDIT_STATE: Readonly<Record<number, BasicInfoReviewStatus>> = { 1: 'IN_REVIEW', 2: 'APPROVED', 3: 'REJECTED' };

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const invalid = (message: string, operation: string) =>
  new HostError({ host: 'BYTEDANCE', kind: 'invalid', retryable: false, nativeCode: null, nativeMessage: message, operation });

const AUDIT_BLOCKS: Array<{ field: BasicInfoField; block: string; value: string; state: string }> = [
  { field: 'name', block: 'new_name_audit_info', value: 'new_name', state: 'new_name_audit_state' },
  { field: 'description', block: 'new_intro_audit_info', value: 'new_intro', state: 'new_intro_audit_state' },
  { field: 'icon', block: 'new_icon_audit_info', value: 'new_icon', state: 'new_icon_audit_state' },
];

function reviewsOf(data: Record<string, unknown>): PendingBasicInfoReview[] {
  const out: PendingBasicInfoReview[] = [];
  for (const b of AUDIT_BLOCKS) {
    const info = obj(data[b.block]);
    const status = DOUYIN_AUDIT_STATE[Number(info[b.state])];
    if (status === 'IN_REVIEW' || status === 'REJECTED')
      out.push({ field: b.field, value: str(info[b.value]), status, reason: str(info.reason) ?? str(info.advice), reviewId: null });
  }
  return out;
}

/** get_info read-back and the V2 setters, with the authorizer V2 token in the access-token header. */
export class BytedanceBasicInfo {
  constructor(private readonly client: BytedanceClient) {}

  private async info(creds: BytedanceCredentials, operation: string): Promise<{ res: BytedanceJson; data: Record<string, unknown> }> {
    const res = await this.client.call(creds, operation, { method: 'GET', path: '/api/apps/v2/basic_info/get_info/' });
    return { res, data: dataOf(res, operation) };
  }

  async read(creds: BytedanceCredentials): Promise<BasicInfoSnapshot> {
    const { res, data } = await this.info(creds, 'readBasicInfo');
    const quotas: BasicInfoQuotaUse[] = AUDIT_BLOCKS.map((b) => ({
      field: b.field,
      used: null,
      limit: null,
      remaining: num(obj(data[b.block]).remaining_times),
      window: 'HOST_REPORTED',
    }));
    const icon = str(data.app_icon);
    const categories = (Array.isArray(data.app_categories_audit_info) ? (data.app_categories_audit_info as unknown[]).map(obj) : []).map((c) => ({
      ids: (str(c.app_category) ?? '').split(',').filter((x) => x !== ''),
      names: (str(c.app_category_name) ?? '').split('-').filter((x) => x !== ''),
      reviewStatus: DOUYIN_AUDIT_STATE[Number(c.app_category_audit_state)] ?? null,
      reason: str(c.reason),
    }));
    return {
      name: str(data.app_name),
      shortName: null,
      slogan: null,
      description: str(data.app_intro),
      icon: icon ? { url: icon, fingerprint: icon } : null,
      categories,
      serviceContact: null,
      pendingReviews: reviewsOf(data),
      quotas,
      response: res,
    };
  }

  async apply(creds: BytedanceCredentials, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    const op = 'applyBasicInfo';
    const cap = BYTEDANCE_BASIC_INFO[change.field];
    if (!cap.changeable) throw new UnsupportedCapabilityError('BYTEDANCE', `basic info: ${change.field}`, cap.note);
    let res: unknown;
    if (change.field === 'name') {
      res = await this.client.call(creds, op, { method: 'POST', path: '/api/apps/v2/basic_info/modify_app_name/', body: { new_name: change.name } });
    } else if (change.field === 'description') {
      res = await this.client.call(creds, op, { method: 'POST', path: '/api/apps/v2/basic_info/modify_app_intro/', body: { new_intro: change.description } });
    } else if (change.field === 'icon') {
      const ext = imageExtension(change.icon.contentType);
      if (!ext || !ICON_TYPES.has(ext)) throw invalid(`Douyin takes a JPEG or PNG icon, not ${change.icon.contentType}`, op);
      if (change.icon.bytes.length > ICON_MAX_BYTES) throw invalid(`Douyin takes an icon of at most 2 MB, got ${change.icon.bytes.length} bytes`, op);
      // modify-icon-v2: new_icon_path must come from upload_material with material_type 1.
      const multipart = await multipartBody({ material_type: '1' }, [
        { name: 'material_file', filename: `icon.${ext}`, contentType: change.icon.contentType, bytes: change.icon.bytes },
      ]);
      const upload = await this.client.call(creds, op, { method: 'POST', path: '/api/apps/v2/file/upload_material/', multipart });
      const path = str(dataOf(upload, op).path);
      if (!path) throw unexpectedAnswer({ host: 'BYTEDANCE', operation: op, detail: 'upload_material answer lacks data.path', raw: JSON.stringify(upload) });
      const modify = await this.client.call(creds, op, { method: 'POST', path: '/api/apps/v2/basic_info/modify_app_icon/', body: { new_icon_path: path } });
      res = { upload, modify };
    } else throw new UnsupportedCapabilityError('BYTEDANCE', `basic info: ${change.field}`);
    return { field: change.field, status: 'IN_REVIEW', reviewId: null, response: res };
  }

  async reviewStatus(creds: BytedanceCredentials, review: BasicInfoReviewRef): Promise<BasicInfoReviewState> {
    const { res, data } = await this.info(creds, 'basicInfoReviewStatus');
    const block = AUDIT_BLOCKS.find((b) => b.field === review.field);
    const info = block ? obj(data[block.block]) : {};
    const status = block ? (DOUYIN_AUDIT_STATE[Number(info[block.state])] ?? 'APPROVED') : 'APPROVED';
    return {
      field: review.field,
      status,
      reason: status === 'REJECTED' ? (str(info.reason) ?? str(info.advice)) : null,
      nativeStatus: block ? scalarText(info[block.state]) : null,
      response: res,
    };
  }
}
