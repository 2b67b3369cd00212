import { BasicInfoDesk, type SandboxBasicInfo } from '../../core/index.js';
import type { SandboxMiniApp } from './sandbox-app.js';
import { business, SandboxNativeError } from './sandbox-errors.js';

export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface BasicInfoRouteContext {
  app: SandboxMiniApp;
  desk: BasicInfoDesk;
  /** Text params, query and body. */
  params: Record<string, string>;
  files: Record<string, UploadedFile>;
}

const LOGO_BASE = 'https://appstoreisvpic.alipayobjects.com/prod/';
const LOGO_MAX_BYTES = 2 * 1024 * 1024;
const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);

/**
 * The desk's view of an app's base info: the same record audit.apply reads and writes
 * (`app.baseInfo`), so a change made either way shows in the other.
 */
export function baseInfoView(app: SandboxMiniApp): SandboxBasicInfo {
  let icon: SandboxBasicInfo['icon'] = { url: `${LOGO_BASE}${app.appId}.png`, sha256: null, contentType: null };
  return {
    get name() {
      return app.baseInfo.app_name;
    },
    set name(v: string) {
      app.baseInfo.app_name = v;
    },
    get slogan() {
      return app.baseInfo.app_slogan;
    },
    set slogan(v: string) {
      app.baseInfo.app_slogan = v;
    },
    get description() {
      return app.baseInfo.app_desc;
    },
    set description(v: string) {
      app.baseInfo.app_desc = v;
    },
    get icon() {
      return icon;
    },
    set icon(v: SandboxBasicInfo['icon']) {
      icon = v;
    },
    get categories() {
      return app.baseInfo.mini_category_ids === '' ? [] : app.baseInfo.mini_category_ids.split(';').map((c) => c.split('_'));
    },
    set categories(v: string[][]) {
      app.baseInfo.mini_category_ids = v.map((c) => c.join('_')).join(';');
    },
    get phone() {
      return app.baseInfo.service_phone || null;
    },
    set phone(v: string | null) {
      app.baseInfo.service_phone = v ?? '';
    },
    get email() {
      return app.baseInfo.service_email || null;
    },
    set email(v: string | null) {
      app.baseInfo.service_email = v ?? '';
    },
  };
}

type Route = (c: BasicInfoRouteContext) => Record<string, unknown>;

const P = 'alipay.open.mini.';

/** baseinfo.modify and baseinfo.query (A2), on the desk's view of the app's base info. */
export const BASIC_INFO_ROUTES: Readonly<Record<string, Route>> = {
  // A2: an upload request; text fields are top-level params, the logo a file part. Checks of A2.2/A3.
  [`${P}baseinfo.modify`]: ({ app, desk, params, files }) => {
    if (params.biz_content) throw new SandboxNativeError('40002', 'isv.invalid-parameter', 'baseinfo.modify takes top-level text params, not biz_content');
    const p = params;
    if (p.app_name !== undefined) {
      if (width(p.app_name) < 3 || width(p.app_name) > 40) throw business('INVALID_MINI_APP_NAME_LENGTH', 'app_name length is invalid');
      if (!/^[\p{Script=Han}A-Za-z0-9_+-]+$/u.test(p.app_name)) throw business('INVALID_MINI_APP_NAME', 'app_name has illegal characters');
    }
    if (p.app_slogan !== undefined && ([...p.app_slogan].length < 10 || [...p.app_slogan].length > 32))
      throw business('INVALID_PARAMETER', 'app_slogan must be 10-32 characters');
    if (p.app_desc !== undefined && ([...p.app_desc].length < 20 || [...p.app_desc].length > 400))
      throw business('INVALID_PARAMETER', 'app_desc must be 20-400 characters');
    if (p.service_phone !== undefined && !/^[0-9-]{5,30}$/.test(p.service_phone)) throw business('INVALID_MINI_APP_SERVICE_TEL', 'service_phone is invalid');
    if (p.mini_category_ids !== undefined) {
      const cats = p.mini_category_ids.split(';').filter((c) => c !== '');
      if (cats.length < 1 || cats.length > 4) throw business('CATEGORY_NUM_IS_INVALID', '1-4 categories');
      if (!cats.every((c) => /^XS\d+(_XS\d+){0,2}$/.test(c))) throw business('INVALID_CATEGORY', 'unknown category');
    }
    const logo = files.app_logo;
    if (logo) {
      if (!['image/png', 'image/jpeg', 'image/jpg'].includes(logo.contentType.toLowerCase())) throw business('INVALID_LOGO_EXT', 'app_logo must be jpg or png');
      if (logo.bytes.length > LOGO_MAX_BYTES) throw new SandboxNativeError('40002', 'isv.invalid-file-size', 'app_logo is too large');
    }
    const id = app.appId;
    const set = (field: Parameters<BasicInfoDesk['submit']>[1], value: string, apply: (s: SandboxBasicInfo) => void) =>
      desk.submit(id, field, value, apply, false);
    if (p.app_name !== undefined) set('name', p.app_name, (s) => (s.name = p.app_name));
    if (p.app_slogan !== undefined) set('slogan', p.app_slogan, (s) => (s.slogan = p.app_slogan));
    if (p.app_desc !== undefined) set('description', p.app_desc, (s) => (s.description = p.app_desc));
    if (p.mini_category_ids !== undefined)
      set('category', p.mini_category_ids, (s) => (s.categories = p.mini_category_ids.split(';').map((c) => c.split('_'))));
    if (p.service_phone !== undefined || p.service_email !== undefined)
      set('serviceContact', `${p.service_phone ?? ''} ${p.service_email ?? ''}`, (s) => {
        if (p.service_phone !== undefined) s.phone = p.service_phone;
        if (p.service_email !== undefined) s.email = p.service_email;
      });
    if (logo) {
      const { url, sha256 } = BasicInfoDesk.iconUrl(LOGO_BASE, logo.bytes);
      set('icon', url, (s) => (s.icon = { url: `${url}.png`, sha256, contentType: logo.contentType }));
    }
    // AlipayOpenMiniBaseinfoModifyResponse declares no field (fixture baseinfo.modify.success).
    return {};
  },
  // The fields of AlipayOpenMiniBaseinfoQueryResponse (fixture baseinfo.query.success).
  [`${P}baseinfo.query`]: ({ app, desk }) => {
    const b = app.baseInfo;
    return {
      app_name: b.app_name,
      app_english_name: b.app_english_name,
      app_slogan: b.app_slogan,
      app_logo: desk.state(app.appId).icon.url,
      app_desc: b.app_desc,
      category_names: b.mini_category_ids,
      service_phone: b.service_phone,
      service_email: b.service_email,
      safe_domains: [],
      package_names: [],
    };
  },
};
