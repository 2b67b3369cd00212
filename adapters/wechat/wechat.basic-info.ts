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
  type BasicInfoQuotaUse,
  type BasicInfoReviewRef,
  type BasicInfoReviewState,
  type BasicInfoReviewStatus,
  type BasicInfoSnapshot,
  type HostCategory,
  type PendingBasicInfoReview,
} from '../core/index.js';
import { wechatCategoryFor } from './wechat.categories.js';
import type { WechatClient, WechatJson } from './wechat.client.js';
import type { WechatCredentials } from './wechat.credentials.js';

const src = (section: string) => `shared/hosts/wechat.md ${section}`;

// wechat.md §2.5: avatar BMP/JPEG/JPG/GIF/PNG, at most 2 MB.
const ICON_TYPES = new Set(['bmp', 'jpg', 'gif', 'png']);
export const WECHAT_ICON_MAX_BYTES = 2 * 1024 * 1024;

/** Basic-info fields on a WeChat third-party platform (wechat.md §2.5), field by field. */
export const WECHAT_BASIC_INFO: BasicInfoCapabilities = {
  name: {
    changeable: true,
    needsReview: true,
    quota: {
      count: 2,
      window: 'YEAR',
      source: `${src('§2.5 setnickname')}: 2 changes, reset each Jan 1; getaccountbasicinfo nickname_info.modify_quota 2 (SDK sample)`,
    },
    readable: true,
    note: 'setnickname; reviewed when the host answers with an audit_id (api_wxa_querynickname, wxa_nickname_audit push); must not contain 小程序.',
  },
  shortName: NOT_OFFERED('WeChat mini programs have no short name.'),
  slogan: NOT_OFFERED('WeChat mini programs have no slogan field.'),
  description: {
    changeable: true,
    needsReview: false,
    quota: { count: 5, window: 'MONTH', source: `${src('§2.5, §3 53200')}: monthly quota; getaccountbasicinfo signature_info.modify_quota 5 (SDK sample)` },
    readable: true,
    note: 'modifysignature, 4-120 characters; live at once (no review documented).',
  },
  icon: {
    changeable: true,
    needsReview: false,
    quota: {
      count: 5,
      window: 'MONTH',
      source: `${src('§2.5, §3 53202')}: monthly quota, head_image_info.modify_quota 5 (SDK sample); the doc note says 5 a year (CONFLICT: the quota the host reports is read back as truth)`,
    },
    readable: true,
    note: 'media/upload (type image, authorizer token) then modifyheadimage with the whole image as crop box; BMP/JPEG/GIF/PNG up to 2 MB.',
    image: { contentTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'], maxBytes: WECHAT_ICON_MAX_BYTES },
  },
  category: {
    changeable: true,
    needsReview: true,
    quota: { count: null, window: 'HOST_REPORTED', source: `${src('§2.5 getcategory')}: limit and quota per change period (SDK sample limit 5, quota 4)` },
    readable: true,
    note: 'addcategory with the ids getallcategories gives for the mapped names; reviewed (wxa_category_audit push, getcategory audit_status).',
  },
  serviceContact: NOT_OFFERED('No basic-info API for service contacts (only the privacy guide owner_setting).'),
};

const CATEGORY_STATUS: Record<number, BasicInfoReviewStatus> = { 1: 'IN_REVIEW', 2: 'REJECTED', 3: 'APPROVED' };
const NICKNAME_STATUS: Record<number, BasicInfoReviewStatus> = { 1: 'IN_REVIEW', 2: 'REJECTED', 3: 'APPROVED' };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const invalid = (message: string, operation: string) =>
  new HostError({ host: 'WECHAT', kind: 'invalid', retryable: false, nativeCode: null, nativeMessage: message, operation });

/** The reads and writes of §2.5, on the adapter's client. */
export class WechatBasicInfo {
  constructor(private readonly client: WechatClient) {}

  async read(creds: WechatCredentials): Promise<BasicInfoSnapshot> {
    const op = 'readBasicInfo';
    const info = await this.client.call(creds, op, { method: 'POST', path: '/cgi-bin/account/getaccountbasicinfo', body: {} });
    const cats = await this.client.call(creds, op, { method: 'GET', path: '/cgi-bin/wxopen/getcategory' });
    const nick = obj(info.nickname_info);
    const sig = obj(info.signature_info);
    const head = obj(info.head_image_info);
    const categories = Array.isArray(cats.categories) ? (cats.categories as unknown[]).map(obj) : [];
    const hostCategories: HostCategory[] = categories.map((c) => ({
      ids: [scalarText(c.first), scalarText(c.second)],
      names: [scalarText(c.first_name), scalarText(c.second_name)],
      reviewStatus: CATEGORY_STATUS[Number(c.audit_status)] ?? null,
      reason: str(c.audit_reason),
    }));
    const pendingReviews: PendingBasicInfoReview[] = hostCategories
      .filter((c) => c.reviewStatus === 'IN_REVIEW' || c.reviewStatus === 'REJECTED')
      .map((c) => ({ field: 'category', value: c.names.join('/'), status: c.reviewStatus!, reason: c.reason, reviewId: c.ids.join(':') }));
    const use = (field: BasicInfoQuotaUse['field'], o: Record<string, unknown>, window: BasicInfoQuotaUse['window']): BasicInfoQuotaUse => {
      const used = num(o.modify_used_count);
      const limit = num(o.modify_quota);
      return { field, used, limit, remaining: used !== null && limit !== null ? Math.max(0, limit - used) : null, window };
    };
    const catLimit = num(cats.limit);
    const catLeft = num(cats.quota);
    const headUrl = str(head.head_image_url);
    return {
      name: str(nick.nickname) ?? str(info.nickname),
      shortName: null,
      slogan: null,
      description: str(sig.signature),
      icon: headUrl ? { url: headUrl, fingerprint: headUrl } : null,
      categories: hostCategories,
      serviceContact: null,
      pendingReviews,
      quotas: [
        use('name', nick, 'YEAR'),
        use('description', sig, 'MONTH'),
        use('icon', head, 'MONTH'),
        {
          field: 'category',
          used: catLimit !== null && catLeft !== null ? catLimit - catLeft : null,
          limit: catLimit,
          remaining: catLeft,
          window: 'HOST_REPORTED',
        },
      ],
      response: { accountBasicInfo: info, categories: cats },
    };
  }

  async apply(creds: WechatCredentials, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    const op = 'applyBasicInfo';
    if (!WECHAT_BASIC_INFO[change.field].changeable)
      throw new UnsupportedCapabilityError('WECHAT', `basic info: ${change.field}`, WECHAT_BASIC_INFO[change.field].note);
    switch (change.field) {
      case 'name': {
        const res = await this.client.call(creds, op, { method: 'POST', path: '/wxa/setnickname', body: { nick_name: change.name } });
        // §2.5: audit_id comes back when the new name is reviewed; without it the name is set.
        const auditId = res.audit_id !== undefined && res.audit_id !== null && scalarText(res.audit_id) !== '0' ? scalarText(res.audit_id) : null;
        return { field: 'name', status: auditId ? 'IN_REVIEW' : 'APPLIED', reviewId: auditId, response: res };
      }
      case 'description': {
        const res = await this.client.call(creds, op, { method: 'POST', path: '/cgi-bin/account/modifysignature', body: { signature: change.description } });
        return { field: 'description', status: 'APPLIED', reviewId: null, response: res };
      }
      case 'icon': {
        const ext = imageExtension(change.icon.contentType);
        if (!ext || !ICON_TYPES.has(ext)) throw invalid(`WeChat takes a BMP, JPEG, GIF or PNG avatar, not ${change.icon.contentType}`, op);
        if (change.icon.bytes.length > WECHAT_ICON_MAX_BYTES)
          throw invalid(`WeChat takes an avatar of at most 2 MB, got ${change.icon.bytes.length} bytes`, op);
        // §2.5: a temporary media uploaded with the authorizer token (40007 otherwise), then the whole image as the crop box.
        const multipart = await multipartBody({}, [{ name: 'media', filename: `icon.${ext}`, contentType: change.icon.contentType, bytes: change.icon.bytes }]);
        const media = await this.client.call(creds, op, {
          method: 'POST',
          path: '/cgi-bin/media/upload',
          query: { type: 'image' },
          multipart,
          expect: 'media_id',
        });
        const mediaId = str(media.media_id);
        if (!mediaId) throw unexpectedAnswer({ host: 'WECHAT', operation: op, detail: 'media/upload answer lacks media_id', raw: JSON.stringify(media) });
        const res = await this.client.call(creds, op, {
          method: 'POST',
          path: '/cgi-bin/account/modifyheadimage',
          body: { head_img_media_id: mediaId, x1: '0', y1: '0', x2: '1', y2: '1' },
        });
        return { field: 'icon', status: 'APPLIED', reviewId: null, response: { upload: media, modify: res } };
      }
      case 'category': {
        const mapped = wechatCategoryFor(change.category);
        if ('unmapped' in mapped) throw invalid(`category ${change.category}: ${mapped.unmapped}`, op);
        const all = await this.client.call(creds, op, { method: 'GET', path: '/cgi-bin/wxopen/getallcategories' });
        const ids = categoryIds(all, mapped.first, mapped.second);
        if (!ids) throw invalid(`WeChat lists no category ${mapped.first}/${mapped.second} (getallcategories)`, op);
        const res = await this.client.call(creds, op, {
          method: 'POST',
          path: '/cgi-bin/wxopen/addcategory',
          body: { categories: [{ first: ids.first, second: ids.second, certicates: [] }] },
        });
        return { field: 'category', status: 'IN_REVIEW', reviewId: `${ids.first}:${ids.second}`, response: res };
      }
      default:
        throw new UnsupportedCapabilityError('WECHAT', `basic info: ${change.field}`);
    }
  }

  async reviewStatus(creds: WechatCredentials, review: BasicInfoReviewRef): Promise<BasicInfoReviewState> {
    const op = 'basicInfoReviewStatus';
    if (review.field === 'name' && review.reviewId) {
      const res = await this.client.call(creds, op, { method: 'POST', path: '/wxa/api_wxa_querynickname', body: { audit_id: review.reviewId } });
      const status = NICKNAME_STATUS[Number(res.audit_stat)];
      if (!status) throw unexpectedAnswer({ host: 'WECHAT', operation: op, detail: `unknown audit_stat ${String(res.audit_stat)}`, raw: JSON.stringify(res) });
      return { field: 'name', status, reason: status === 'REJECTED' ? str(res.fail_reason) : null, nativeStatus: String(res.audit_stat), response: res };
    }
    if (review.field === 'category') {
      const cats = await this.client.call(creds, op, { method: 'GET', path: '/cgi-bin/wxopen/getcategory' });
      const list = Array.isArray(cats.categories) ? (cats.categories as unknown[]).map(obj) : [];
      const hit = list.find((c) => `${scalarText(c.first)}:${scalarText(c.second)}` === review.reviewId);
      if (!hit)
        return { field: 'category', status: 'REJECTED', reason: 'the category is no longer set on the mini program', nativeStatus: null, response: cats };
      const status = CATEGORY_STATUS[Number(hit.audit_status)] ?? 'APPROVED';
      return { field: 'category', status, reason: str(hit.audit_reason), nativeStatus: scalarText(hit.audit_status), response: cats };
    }
    // Description and avatar are not reviewed (§2.5): a change the host took is live.
    return { field: review.field, status: 'APPROVED', reason: null, nativeStatus: null, response: null };
  }
}

/** First and second level ids of the named category in a getallcategories answer (§2.5). */
export function categoryIds(all: WechatJson, first: string, second: string): { first: number; second: number } | null {
  const list = obj(all.categories_list).categories;
  const items = Array.isArray(list) ? (list as unknown[]).map(obj) : [];
  const top = items.find((c) => c.name === first && Number(c.level) === 1);
  if (!top) return null;
  const sub = items.find((c) => c.name === second && Number(c.level) === 2 && Number(c.father) === Number(top.id));
  return sub ? { first: Number(top.id), second: Number(sub.id) } : null;
}
