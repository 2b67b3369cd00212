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
  type BasicInfoQuotaUse,
  type BasicInfoReviewRef,
  type BasicInfoReviewState,
  type BasicInfoReviewStatus,
  type BasicInfoSnapshot,
  type PendingBasicInfoReview,
} from '../core/index.js';
import type { BaiduClient, BaiduJson } from './baidu.client.js';
import type { BaiduCredentials } from './baidu.credentials.js';

const DOC = 'swan-team/swan-docs program-docs/docs/third/info.md';
const reviewed = (api: string, limitCode: string, field: string) => ({
  changeable: true,
  needsReview: true,
  quota: {
    count: null,
    window: 'HOST_REPORTED' as const,
    source: `${DOC} (${limitCode} change limit); app/info modify_count.${field}_modify_quota / _used (baidu/smartapp-openapi-go getAppInfo.go)`,
  },
  readable: true,
  note: `${api}; sent to review (APP_*_AUDIT_PASS/FAIL pushes, app/info audit_info).`,
});

const ICON_TYPES = new Set(['bmp', 'jpg', 'png']);
const ICON_MAX_BYTES = 2 * 1024 * 1024;

/** Basic-info fields on a Baidu smart-program TP (third/info.md, third/upload.md). */
export const BAIDU_BASIC_INFO: BasicInfoCapabilities = {
  name: reviewed('app/setnickname', '47004', 'name'),
  shortName: NOT_OFFERED('Baidu smart programs have no short name.'),
  slogan: NOT_OFFERED('Baidu smart programs have no slogan field.'),
  description: reviewed('app/modifysignature', '47006', 'signature'),
  icon: {
    ...reviewed('upload/image (TP token, multipartFile) then app/modifyheadimage with the URL it returns', '47005', 'image'),
    note: 'upload/image (TP token, multipartFile; bmp/jpeg/jpg/png up to 2 MB) then app/modifyheadimage with the URL it returns; sent to review (APP_ICON_AUDIT_* pushes).',
    image: { contentTypes: ['image/png', 'image/jpeg', 'image/bmp'], maxBytes: ICON_MAX_BYTES },
  },
  category: {
    changeable: false,
    needsReview: true,
    quota: null,
    readable: true,
    note: 'app/category/update exists but takes Baidu sub-category ids and qualification images; the gateway maps categories by name only, so categories change in the console (read back by app/info).',
  },
  serviceContact: NOT_OFFERED('No TP API for service contacts.'),
};

// getAppInfo.go: audit_*_status 1 reviewing, 3 failed (only those two are shown); category 1 reviewing, 2 passed, 3 failed.
const AUDIT: Record<number, BasicInfoReviewStatus> = { 1: 'IN_REVIEW', 2: 'APPROVED', 3: 'REJECTED' };

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const invalid = (message: string, operation: string) =>
  new HostError({ host: 'BAIDU', kind: 'invalid', retryable: false, nativeCode: null, nativeMessage: message, operation });

/** The field's pending review in an app/info answer: audit_info keys per field. */
const AUDIT_KEYS: Partial<Record<BasicInfoField, string>> = { name: 'app_name', description: 'app_desc', icon: 'photo_addr' };

function pendingOf(data: BaiduJson): PendingBasicInfoReview[] {
  const audit = obj(data.audit_info);
  const out: PendingBasicInfoReview[] = [];
  for (const [field, key] of Object.entries(AUDIT_KEYS) as Array<[BasicInfoField, string]>) {
    const status = AUDIT[Number(audit[`audit_${key}_status`])];
    if (status === 'IN_REVIEW' || status === 'REJECTED')
      out.push({ field, value: str(audit[`audit_${key}`]), status, reason: str(audit[`audit_${key}_reason`]), reviewId: null });
  }
  for (const c of Array.isArray(data.category) ? (data.category as unknown[]).map(obj) : []) {
    const status = AUDIT[Number(c.audit_status)];
    if (status === 'IN_REVIEW' || status === 'REJECTED')
      out.push({
        field: 'category',
        value: [str(obj(c.parent).category_name), str(c.category_name)].filter(Boolean).join('/'),
        status,
        reason: str(c.reason),
        reviewId: scalarText(c.category_id),
      });
  }
  return out;
}

/** app/info read-back and the per-field setters of third/info.md. */
export class BaiduBasicInfo {
  constructor(private readonly client: BaiduClient) {}

  async read(creds: BaiduCredentials): Promise<BasicInfoSnapshot> {
    const res = await this.client.call(creds, 'readBasicInfo', { method: 'GET', path: '/rest/2.0/smartapp/app/info' });
    const data = obj(res.data);
    const mc = obj(data.modify_count);
    const use = (field: BasicInfoField, key: string): BasicInfoQuotaUse => {
      const used = num(mc[`${key}_modify_used`]);
      const limit = num(mc[`${key}_modify_quota`]);
      return { field, used, limit, remaining: used !== null && limit !== null ? Math.max(0, limit - used) : null, window: 'HOST_REPORTED' };
    };
    const photo = str(data.photo_addr);
    const categories = (Array.isArray(data.category) ? (data.category as unknown[]).map(obj) : []).map((c) => ({
      ids: [scalarText(obj(c.parent).category_id), scalarText(c.category_id)],
      names: [scalarText(obj(c.parent).category_name), scalarText(c.category_name)],
      reviewStatus: AUDIT[Number(c.audit_status)] ?? null,
      reason: str(c.reason),
    }));
    return {
      name: str(data.app_name),
      shortName: null,
      slogan: null,
      description: str(data.app_desc),
      icon: photo ? { url: photo, fingerprint: photo } : null,
      categories,
      serviceContact: null,
      pendingReviews: pendingOf(data),
      quotas: [use('name', 'name'), use('description', 'signature'), use('icon', 'image'), use('category', 'category')],
      response: res,
    };
  }

  async apply(creds: BaiduCredentials, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    const op = 'applyBasicInfo';
    const cap = BAIDU_BASIC_INFO[change.field];
    if (!cap.changeable) throw new UnsupportedCapabilityError('BAIDU', `basic info: ${change.field}`, cap.note);
    let res: BaiduJson;
    if (change.field === 'name') {
      res = await this.client.call(creds, op, { method: 'POST', path: '/rest/2.0/smartapp/app/setnickname', params: { nick_name: change.name } });
    } else if (change.field === 'description') {
      res = await this.client.call(creds, op, { method: 'POST', path: '/rest/2.0/smartapp/app/modifysignature', params: { signature: change.description } });
    } else if (change.field === 'icon') {
      const ext = imageExtension(change.icon.contentType);
      if (!ext || !ICON_TYPES.has(ext)) throw invalid(`Baidu takes a BMP, JPEG or PNG icon, not ${change.icon.contentType}`, op);
      if (change.icon.bytes.length > ICON_MAX_BYTES) throw invalid(`Baidu takes an icon of at most 2 MB, got ${change.icon.bytes.length} bytes`, op);
      // third/upload.md: every image URL a TP API takes must come from this upload (47008 otherwise); type 1 = the icon.
      const multipart = await multipartBody({ type: '1' }, [
        { name: 'multipartFile', filename: `icon.${ext}`, contentType: change.icon.contentType, bytes: change.icon.bytes },
      ]);
      const upload = await this.client.callAsPlatform(creds, op, { method: 'POST', path: '/file/2.0/smartapp/upload/image', multipart });
      const url = str(upload.data);
      if (!url)
        throw unexpectedAnswer({ host: 'BAIDU', operation: op, detail: 'upload/image answer lacks the image URL in data', raw: JSON.stringify(upload) });
      const modify = await this.client.call(creds, op, { method: 'POST', path: '/rest/2.0/smartapp/app/modifyheadimage', params: { image_url: url } });
      res = { upload, modify };
    } else throw new UnsupportedCapabilityError('BAIDU', `basic info: ${change.field}`);
    // third/info.md: name, icon and description changes are sent to review; no review id is returned.
    return { field: change.field, status: 'IN_REVIEW', reviewId: null, response: res };
  }

  async reviewStatus(creds: BaiduCredentials, review: BasicInfoReviewRef): Promise<BasicInfoReviewState> {
    const res = await this.client.call(creds, 'basicInfoReviewStatus', { method: 'GET', path: '/rest/2.0/smartapp/app/info' });
    const pending = pendingOf(obj(res.data)).find((p) => p.field === review.field && (review.field !== 'category' || p.reviewId === review.reviewId));
    // audit_info shows only reviews in progress and failed ones (getAppInfo.go): none means approved.
    return {
      field: review.field,
      status: pending?.status ?? 'APPROVED',
      reason: pending?.reason ?? null,
      nativeStatus: pending ? pending.status : null,
      response: res,
    };
  }
}
