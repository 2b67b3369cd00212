import type { SandboxMiniApp, SandboxVersion } from './sandbox-app.js';
import { business, SandboxNativeError } from './sandbox-errors.js';

export interface RouteContext {
  app: SandboxMiniApp;
  /** biz_content parsed (empty when absent). */
  biz: Record<string, unknown>;
  /** Every param received, query and body (upload-type APIs read their text fields here). */
  params: Record<string, string>;
  now: Date;
  buildDelayMs: number;
  reviewStarted(app: SandboxMiniApp, v: SandboxVersion): void;
  reviewCancelled(app: SandboxMiniApp, v: SandboxVersion): void;
}

type Route = (c: RouteContext) => Record<string, unknown>;

const fmt = (d: Date | null) => (d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '');

function buildFields(app: SandboxMiniApp, v: SandboxVersion, now: Date): Record<string, unknown> {
  const status = app.buildStatus(v, now.getTime());
  // A2.1: create_status 6 = version created; need_rotation = keep polling.
  return { build_status: status, create_status: '6', need_rotation: status === '2' ? 'false' : 'true', version_created: 'true' };
}

// A logo URL with slashes, so the \/ escape path of A1.4 is exercised when enabled.
const logoOf = (app: SandboxMiniApp) => `https://sandbox.alipay.test/logo/${app.appId}.png`;

/**
 * detail.query in the fields of its response class (fixture version.detail.query.success). The
 * sandbox takes no files and keeps no category names, package grants or region details, so those
 * lists are empty; the BASE_PROMOTE-only fields are never sent (no audit_rule is modelled).
 */
function detail(app: SandboxMiniApp, v: SandboxVersion): Record<string, unknown> {
  const b = app.baseInfo;
  return {
    app_version: v.appVersion,
    app_name: b.app_name,
    app_english_name: b.app_english_name,
    app_slogan: b.app_slogan,
    app_logo: logoOf(app),
    app_desc: b.app_desc,
    version_desc: v.versionDesc,
    memo: v.memo,
    status: v.status,
    reject_reason: v.rejectReason,
    scan_result: 'True',
    gray_strategy: v.grayStrategy,
    gmt_create: fmt(v.gmtCreate),
    gmt_apply_audit: fmt(v.gmtApplyAudit),
    gmt_audit_end: fmt(v.gmtAuditEnd),
    gmt_online: fmt(v.gmtOnline),
    gmt_offline: fmt(v.gmtOffline),
    screen_shot_list: [],
    service_phone: b.service_phone,
    service_email: b.service_email,
    service_region_type: b.region_type,
    service_region_info: [],
    mini_app_category_info_list: [],
    mini_category_info_list: [],
    package_info_list: [],
  };
}

const P = 'alipay.open.mini.';

/** Gateway methods the sandbox serves (shared/hosts A2), by method name. */
export const ROUTES: Readonly<Record<string, Route>> = {
  [`${P}version.upload`]: ({ app, biz, now, buildDelayMs }) => buildFields(app, app.upload(biz, now, buildDelayMs), now),
  [`${P}version.build.query`]: ({ app, biz, now }) => buildFields(app, app.version(biz.app_version), now),
  [`${P}version.audit.apply`]: (c) => {
    // A2: an upload request: the text fields are top-level params; biz_content is not read.
    if (c.params.biz_content && !c.params.app_version) throw business('APP_VERSION_IS_BLANK', 'audit.apply takes top-level text params, not biz_content');
    const v = c.app.apply(c.params, c.now);
    c.reviewStarted(c.app, v);
    return { speed_up: 'false', speed_up_memo: '' };
  },
  [`${P}version.audit.cancel`]: (c) => {
    c.reviewCancelled(c.app, c.app.auditCancel(c.biz.app_version));
    return {};
  },
  [`${P}version.audited.cancel`]: ({ app, biz }) => (app.auditedCancel(biz.app_version), {}),
  [`${P}version.online`]: ({ app, biz, now }) => (app.online(biz.app_version, now), {}),
  [`${P}version.offline`]: ({ app, biz, now }) => (app.offline(biz.app_version, now), {}),
  [`${P}version.rollback`]: ({ app, biz, now }) => (app.rollback(biz.app_version, now), {}),
  [`${P}version.gray.online`]: ({ app, biz }) => (app.grayOnline(biz.app_version, biz.gray_strategy), {}),
  [`${P}version.gray.cancel`]: ({ app, biz }) => (app.grayCancel(biz.app_version), {}),
  [`${P}version.delete`]: ({ app, biz }) => (app.remove(biz.app_version), {}),
  [`${P}version.detail.query`]: ({ app, biz }) => detail(app, app.version(biz.app_version)),
  [`${P}version.list.query`]: ({ app, biz }) => {
    // "版本状态列表，用英文逗号分割，可选；不填默认不返回" (JAVA-m AlipayOpenMiniVersionListQueryModel):
    // without version_status the host returns no version.
    const filter = typeof biz.version_status === 'string' ? biz.version_status.split(',').map((x) => x.trim()) : [];
    const infos = [...app.versions.values()]
      .filter((v) => filter.includes(v.status))
      .sort((a, b) => cmp(b.appVersion, a.appVersion)) // A2: descending
      .map((v) => ({
        app_version: v.appVersion,
        bundle_id: 'com.alipay.alipaywallet',
        version_status: v.status,
        version_description: v.versionDesc,
        create_time: fmt(v.gmtCreate),
      }));
    return { app_version_infos: infos, app_versions: infos.map((i) => i.app_version) };
  },
  // The fields of AlipayOpenMiniBaseinfoQueryResponse (fixture baseinfo.query.success); no category names are kept.
  [`${P}baseinfo.query`]: ({ app }) => {
    const b = app.baseInfo;
    return {
      app_name: b.app_name,
      app_english_name: b.app_english_name,
      app_slogan: b.app_slogan,
      app_logo: logoOf(app),
      app_desc: b.app_desc,
      category_names: '',
      service_phone: b.service_phone,
      service_email: b.service_email,
      safe_domains: [],
      package_names: [],
    };
  },
};

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

export function isKnownMethod(method: string): boolean {
  return method in ROUTES;
}

export { SandboxNativeError };
