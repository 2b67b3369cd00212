import { BasicInfoDesk, parseMultipart, scalarText, type SandboxBasicInfo } from '../../core/index.js';
import { randomAlnum } from './sandbox-crypto.js';
import { SandboxNativeError } from './sandbox-errors.js';

export const ICON_HOST = 'https://p3-sandbox.douyinpic.test/tos-cn-i/';
// info-v2 reports remaining_times per field (3 in the SDK sample) and modify-*-v2 refuse with 20105 at 0.
export const BYTEDANCE_SANDBOX_QUOTAS = {
  name: { count: 3, window: 'HOST_REPORTED' },
  description: { count: 3, window: 'HOST_REPORTED' },
  icon: { count: 3, window: 'HOST_REPORTED' },
} as const;
// Assumed audit states (the doc pages read do not list them; the adapter states the same reading): 1 reviewing, 2 approved, 3 rejected, 4 nothing pending.
const STATE = { IN_REVIEW: 1, APPROVED: 2, REJECTED: 3 } as const;
const NONE = 4;
const ICON_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png']);
const MATERIAL_MAX_BYTES = 2 * 1024 * 1024;

export function initialBytedanceBasicInfo(name: string): SandboxBasicInfo {
  return {
    name,
    slogan: '',
    description: '抖音小程序沙箱示例简介',
    icon: { url: `${ICON_HOST}${randomAlnum(24)}`, sha256: null, contentType: null },
    categories: [],
    phone: null,
    email: null,
  };
}

export interface BasicInfoRouteContext {
  desk: BasicInfoDesk;
  materials: Map<string, { appId: string; sha256: string; url: string; contentType: string }>;
  appId: string;
  body: Record<string, unknown>;
  raw: Buffer;
  contentType: string;
}

type Route = {
  method: 'GET' | 'POST';
  multipart?: boolean;
  run(c: BasicInfoRouteContext): Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
};

function auditBlock(c: BasicInfoRouteContext, field: 'name' | 'description' | 'icon', valueKey: string, stateKey: string): Record<string, unknown> {
  const r = c.desk.latestReview(c.appId, field);
  const { used, limit } = c.desk.quotaUse(c.appId, field);
  return {
    advice: '',
    [valueKey]: r?.value ?? '',
    [stateKey]: r ? STATE[r.status] : NONE,
    reason: r?.reason ?? '',
    remaining_times: Math.max(0, (limit ?? 0) - used),
  };
}

function reviewed(
  c: BasicInfoRouteContext,
  field: 'name' | 'description' | 'icon',
  value: string,
  inReviewCode: number,
  apply: (s: SandboxBasicInfo) => void,
): undefined {
  if (c.desk.inReview(c.appId, field)) throw new SandboxNativeError(inReviewCode);
  if (!c.desk.useQuota(c.appId, field)) throw new SandboxNativeError(20105);
  c.desk.submit(c.appId, field, value, apply, true);
  return undefined;
}

/** The V2 base-info APIs (auth-app-manage/base-info/*-v2) with the authorizer's V2 token. */
export const BASIC_INFO_ROUTES: Readonly<Record<string, Route>> = {
  '/api/apps/v2/basic_info/get_info/': {
    method: 'GET',
    run: (c) => {
      const info = c.desk.state(c.appId);
      return {
        new_name_audit_info: auditBlock(c, 'name', 'new_name', 'new_name_audit_state'),
        app_id: c.appId,
        app_intro: info.description,
        new_icon_audit_info: auditBlock(c, 'icon', 'new_icon', 'new_icon_audit_state'),
        new_intro_audit_info: auditBlock(c, 'description', 'new_intro', 'new_intro_audit_state'),
        subject_audit_info: { subject_name: '沙箱科技有限公司', subject_type: 1 },
        app_categories_audit_info: info.categories.map((ids) => ({
          app_category_audit_state: STATE.APPROVED,
          app_category_name: '生活服务-生活服务其他',
          reason: '',
          app_category: ids.join(','),
        })),
        app_icon: info.icon.url,
        app_name: info.name,
        app_state: 0,
      };
    },
  },
  '/api/apps/v2/basic_info/modify_app_name/': {
    method: 'POST',
    run: (c) => {
      const name = scalarText(c.body.new_name);
      // modify-name-v2 21001: letters, digits and Chinese (a trailing + allowed), 4-20 with a Chinese character counting 2.
      const width = [...name].reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
      if (!/^[\p{Script=Han}A-Za-z0-9 ]+\+?$/u.test(name) || width < 4 || width > 20) throw new SandboxNativeError(21001);
      return reviewed(c, 'name', name, 21004, (s) => (s.name = name));
    },
  },
  '/api/apps/v2/basic_info/modify_app_intro/': {
    method: 'POST',
    run: (c) => {
      const intro = scalarText(c.body.new_intro);
      if (intro.trim() === '') throw new SandboxNativeError(40001);
      // No in-review code is documented for the intro; 21004's twin is not listed, so 40001 is not it either: the sandbox reuses 21004.
      return reviewed(c, 'description', intro, 21004, (s) => (s.description = intro));
    },
  },
  '/api/apps/v2/file/upload_material/': {
    method: 'POST',
    multipart: true,
    run: async (c) => {
      let form;
      try {
        form = await parseMultipart(c.raw, c.contentType);
      } catch {
        throw new SandboxNativeError(40001);
      }
      const file = form.files.material_file;
      if (!file || !form.fields.material_type) throw new SandboxNativeError(40001);
      if (!ICON_TYPES.has(file.contentType.toLowerCase())) throw new SandboxNativeError(40032);
      if (file.bytes.length > MATERIAL_MAX_BYTES) throw new SandboxNativeError(40031);
      const { url, sha256 } = BasicInfoDesk.iconUrl(ICON_HOST, file.bytes);
      const path = `material/${form.fields.material_type}/${sha256.slice(0, 32)}`;
      c.materials.set(path, { appId: c.appId, sha256, url, contentType: file.contentType });
      return { path };
    },
  },
  '/api/apps/v2/basic_info/modify_app_icon/': {
    method: 'POST',
    run: (c) => {
      const path = scalarText(c.body.new_icon_path);
      const m = c.materials.get(path);
      // modify-icon-v2: the path must come from upload_material with material_type 1 (21101 otherwise).
      if (!m || m.appId !== c.appId || !path.startsWith('material/1/')) throw new SandboxNativeError(21101);
      return reviewed(c, 'icon', m.url, 21102, (s) => (s.icon = { url: m.url, sha256: m.sha256, contentType: m.contentType }));
    },
  },
};
