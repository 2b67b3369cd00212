import { BasicInfoDesk, type SandboxBasicInfo, type SandboxBasicInfoReview } from '../../core/index.js';
import type { BaiduSandbox } from './baidu-sandbox.js';
import { SANDBOX_ERRNO, SandboxNativeError } from './sandbox-errors.js';

type Params = Record<string, string>;
type Answer = Record<string, unknown>;

export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export const IMAGE_HOST = 'https://b.bdstatic.com/searchbox/mappconsole/image/';
// third/info.md names 47004/47005/47006/47007 "change limit" without numbers; app/info reports
// *_modify_quota and *_modify_used (getAppInfo.go). The sandbox's totals:
export const BAIDU_SANDBOX_QUOTAS = {
  name: { count: 2, window: 'HOST_REPORTED' },
  icon: { count: 5, window: 'HOST_REPORTED' },
  description: { count: 5, window: 'HOST_REPORTED' },
  category: { count: 3, window: 'HOST_REPORTED' },
} as const;
const IMAGE_TYPES = new Set(['image/bmp', 'image/jpeg', 'image/jpg', 'image/png']);
const ICON_MAX_BYTES = 2 * 1024 * 1024;

const ok = (data?: unknown): Answer => ({ errno: 0, msg: 'success', ...(data === undefined ? {} : { data }) });

export function initialBaiduBasicInfo(name: string): SandboxBasicInfo {
  return {
    name,
    slogan: '',
    description: '百度智能小程序沙箱示例简介',
    icon: { url: `${IMAGE_HOST}20181011/1539257247123193.png`, sha256: null, contentType: null },
    categories: [],
    phone: null,
    email: null,
  };
}

const EVENT_FIELD: Record<string, string> = { name: 'NAME', icon: 'ICON', description: 'DESC', category: 'CATEGORY' };

/** The plaintext of a base-info review push (third/info.md 基本信息审核通知). */
export function basicInfoPushMessage(appId: string, tpAppId: string, eventTime: string, review: SandboxBasicInfoReview): Record<string, unknown> | null {
  const kind = EVENT_FIELD[review.field];
  if (!kind) return null;
  const passed = review.status === 'APPROVED';
  return {
    appId: Number(appId),
    tpAppId: Number(tpAppId),
    eventTime,
    event: `APP_${kind}_AUDIT_${passed ? 'PASS' : 'FAIL'}`,
    ...(passed ? {} : { reason: review.reason }),
  };
}

const AUDIT_CODE = { IN_REVIEW: 1, REJECTED: 3, APPROVED: 2 } as const;

/** app/info in the fields of getAppInfo.go (fixture app.info.success). */
function appInfo(desk: BasicInfoDesk, appId: string, name: string): Answer {
  const info = desk.state(appId);
  const latest = (field: 'name' | 'description' | 'icon') => {
    const r = desk.latestReview(appId, field);
    // audit_info shows reviews in progress and failed ones only.
    return r && r.status !== 'APPROVED' ? r : null;
  };
  const n = latest('name');
  const d = latest('description');
  const i = latest('icon');
  const q = (field: 'name' | 'icon' | 'description' | 'category') => desk.quotaUse(appId, field);
  return {
    annual_review_info: { annual_review_overdue_time: 0, annual_review_status: 1 },
    app_desc: info.description,
    app_id: Number(appId),
    app_key: `sandbox${appId}`,
    app_name: info.name,
    app_offline_info: [],
    audit_info: {
      audit_app_desc: d?.value ?? '',
      audit_app_desc_reason: d?.reason ?? '',
      audit_app_desc_status: d ? AUDIT_CODE[d.status] : 0,
      audit_app_name: n?.value ?? '',
      audit_app_name_reason: n?.reason ?? '',
      audit_app_name_status: n ? AUDIT_CODE[n.status] : 0,
      audit_photo_addr: i?.value ?? '',
      audit_photo_addr_reason: i?.reason ?? '',
      audit_photo_addr_status: i ? AUDIT_CODE[i.status] : 0,
    },
    auth_info: [{ scope_name: '开发管理', type: 0 }],
    category: info.categories.map((ids) => ({
      audit_status: 2,
      category_desc: '',
      category_id: Number(ids[1]),
      category_name: '点餐',
      parent: { category_desc: '', category_id: Number(ids[0]), category_name: '餐饮服务' },
      reason: '',
    })),
    min_swan_version: '3.0.0',
    modify_count: {
      category_modify_quota: q('category').limit ?? 0,
      category_modify_used: q('category').used,
      image_modify_quota: q('icon').limit ?? 0,
      image_modify_used: q('icon').used,
      name_modify_quota: q('name').limit ?? 0,
      name_modify_used: q('name').used,
      signature_modify_quota: q('description').limit ?? 0,
      signature_modify_used: q('description').used,
    },
    photo_addr: info.icon.url,
    qualification: { ad_status: 1, ad_type: 1, name: `${name}主体`, satus: 1, type: 2 },
    status: 1,
    web_status: 0,
  };
}

/** A change that goes to review, refused with `limitErrno` when the quota is used up. */
function reviewed(
  sb: BaiduSandbox,
  appId: string,
  field: 'name' | 'description' | 'icon',
  value: string,
  limitErrno: number,
  apply: (s: SandboxBasicInfo) => void,
): Answer {
  // No errno is documented for a second change while one is in review: the sandbox answers 40045 (wrong app state).
  if (sb.basicInfo.inReview(appId, field)) throw new SandboxNativeError(SANDBOX_ERRNO.wrongState, `a ${field} change is in review`);
  if (!sb.basicInfo.useQuota(appId, field)) throw new SandboxNativeError(limitErrno);
  sb.basicInfo.submit(appId, field, value, apply, true);
  return ok();
}

/** The basic-info APIs of third/info.md and the image upload of third/upload.md, by path. */
export function basicInfoRoute(sb: BaiduSandbox, method: string, path: string, p: Params, files: Record<string, UploadedFile>): Answer | null {
  if (path === '/file/2.0/smartapp/upload/image') {
    if (method !== 'POST') throw new SandboxNativeError(SANDBOX_ERRNO.params, 'upload/image takes POST');
    // third/upload.md: the TP's token (第三方平台的接口调用凭据).
    sb.tokens.check(p.access_token, 'tp');
    const file = files.multipartFile;
    if (!file || file.bytes.length === 0) throw new SandboxNativeError(SANDBOX_ERRNO.params, 'multipartFile is missing');
    if (!IMAGE_TYPES.has(file.contentType.toLowerCase())) throw new SandboxNativeError(47000);
    if (file.bytes.length > ICON_MAX_BYTES) throw new SandboxNativeError(47003);
    const { url, sha256 } = BasicInfoDesk.iconUrl(IMAGE_HOST, file.bytes);
    sb.images.set(`${url}.png`, { sha256, contentType: file.contentType });
    return ok(`${url}.png`);
  }
  const prefix = '/rest/2.0/smartapp/app/';
  const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
  if (!['info', 'setnickname', 'modifysignature', 'modifyheadimage'].includes(name)) return null;
  const wanted = name === 'info' ? 'GET' : 'POST';
  if (method !== wanted) throw new SandboxNativeError(SANDBOX_ERRNO.params, `${path} takes ${wanted}`);
  const appId = sb.tokens.check(p.access_token, 'app');
  const app = sb.apps.get(appId ?? '');
  if (!app) throw new SandboxNativeError(SANDBOX_ERRNO.noAuthorization);
  switch (name) {
    case 'info':
      return ok(appInfo(sb.basicInfo, app.appId, app.name));
    case 'setnickname': {
      const nick = p.nick_name ?? '';
      if (nick.trim() === '') throw new SandboxNativeError(SANDBOX_ERRNO.params, 'nick_name is missing');
      return reviewed(sb, app.appId, 'name', nick, 47004, (s) => (s.name = nick));
    }
    case 'modifysignature': {
      const text = p.signature ?? '';
      if (text.trim() === '') throw new SandboxNativeError(SANDBOX_ERRNO.params, 'signature is missing');
      return reviewed(sb, app.appId, 'description', text, 47006, (s) => (s.description = text));
    }
    default: {
      const url = p.image_url ?? '';
      const image = sb.images.get(url);
      // third/upload.md: an image URL not from the upload API is "图片来源非法" (47008).
      if (!image) throw new SandboxNativeError(47008);
      return reviewed(sb, app.appId, 'icon', url, 47005, (s) => (s.icon = { url, sha256: image.sha256, contentType: image.contentType }));
    }
  }
}
