import { SANDBOX_ERRNO, SandboxNativeError, SandboxOAuthError } from './sandbox-errors.js';
import { createHash } from 'node:crypto';
import {
  detailItem,
  packageItem,
  packageOf,
  release,
  startRollback,
  submit,
  UPLOAD_FAILED,
  withdraw,
  type SandboxApp,
  type SandboxPackage,
} from './sandbox-packages.js';
import type { BaiduSandbox } from './baidu-sandbox.js';

type Params = Record<string, string>;
type Answer = Record<string, unknown>;

export const TP_TOKEN_PATH = '/public/2.0/smartapp/auth/tp/token';
export const OAUTH_TOKEN_PATH = '/rest/2.0/oauth/token';
const PACKAGE_PREFIX = '/rest/2.0/smartapp/package/';

const ok = (data?: unknown): Answer => ({ errno: 0, msg: 'success', ...(data === undefined ? {} : { data }) });
const params40001 = (detail: string) => new SandboxNativeError(SANDBOX_ERRNO.params, detail);

/** B1 #2: the TP token from client_id and a pushed ticket, in the business envelope. */
function tpToken(sb: BaiduSandbox, p: Params): Answer {
  if (p.client_id !== sb.tpClientId) throw params40001('client_id is not a TP key');
  if (!sb.tokens.ticketValid(p.ticket)) throw params40001('ticket invalid or expired');
  const t = sb.tokens.issue('tp', null);
  return ok({ access_token: t.token, expires_in: t.expiresIn, scope: 'smartapp_snsapi_base smartapp_tp' });
}

/** B1 #6: refresh with the TP token; bare JSON on success, {error, error_description} on failure. */
function oauthToken(sb: BaiduSandbox, p: Params): Answer {
  try {
    sb.tokens.check(p.access_token, 'tp');
  } catch {
    throw new SandboxOAuthError('expired_token', 'tp access token invalid or expired');
  }
  if (p.grant_type !== 'app_to_tp_refresh_token') throw new SandboxOAuthError('unsupported_grant_type', 'grant_type must be app_to_tp_refresh_token');
  const rotated = sb.tokens.rotate(p.refresh_token);
  if (!rotated) {
    const why = p.refresh_token && sb.tokens.wasSpent(p.refresh_token) ? 'refresh token already used' : 'refresh token invalid';
    throw new SandboxOAuthError('invalid_grant', why);
  }
  if (!sb.apps.has(rotated.appId)) throw new SandboxOAuthError('invalid_grant', 'authorization revoked');
  const t = sb.tokens.issue('app', rotated.appId);
  // Bare JSON without errno (fixture token.oauth.success).
  return { access_token: t.token, expires_in: t.expiresIn, refresh_token: rotated.next };
}

type PackageRoute = { method: 'GET' | 'POST'; handle: (sb: BaiduSandbox, app: SandboxApp, p: Params) => Answer };

// B2: every package API with access_token = the authorized app's token.
const PACKAGE_ROUTES: Record<string, PackageRoute> = {
  upload: {
    method: 'POST',
    handle(sb, app, p) {
      if (!/^\d+$/.test(p.template_id ?? '')) throw params40001('template_id must be a number');
      if (!p.user_version) throw params40001('user_version is required');
      let ext: Record<string, unknown>;
      try {
        ext = JSON.parse(p.ext_json ?? '') as Record<string, unknown>;
      } catch {
        throw params40001('ext_json must be a JSON string');
      }
      // B2 ext_json keys: extEnable and extAppid are required.
      if (ext?.extEnable !== true || String(ext.extAppid) !== app.appId) throw params40001('ext_json needs extEnable true and extAppid of this app');
      sb.startUpload(app, { version: p.user_version, desc: p.user_desc ?? '', templateId: p.template_id });
      return ok();
    },
  },
  submitaudit: {
    method: 'POST',
    handle(sb, app, p) {
      const pkg = packageOf(app, p.package_id);
      submit(app, pkg, p.content ?? '', p.remark ?? '');
      sb.reviewStarted(app, pkg);
      return ok();
    },
  },
  withdraw: { method: 'POST', handle: (_sb, app, p) => (withdraw(packageOf(app, p.package_id)), ok()) },
  release: { method: 'POST', handle: (_sb, app, p) => (release(app, packageOf(app, p.package_id)), ok()) },
  rollback: {
    method: 'POST',
    handle(sb, app, p) {
      const pkg = packageOf(app, p.package_id);
      startRollback(app, pkg);
      sb.rollbackStarted(app, pkg);
      return ok();
    },
  },
  get: { method: 'GET', handle: (_sb, app) => ok(app.packages.map(packageItem)) },
  getdetail: {
    method: 'GET',
    handle(_sb, app, p) {
      if (p.package_id) return ok(detailOf(packageOf(app, p.package_id)));
      // `type` is a package status, default online; the online slot includes a package rolling back.
      const type = Number(p.type ?? 1);
      const hit = app.packages.find((x) => x.status === type || (type === 1 && x.status === 8));
      return ok(hit ? detailOf(hit) : null);
    },
  },
  auditquota: {
    method: 'GET',
    handle: (_sb, app) => ok({ quota_type: 1, quota_times: app.quota.total, remain_times: app.quota.remain }),
  },
};

// A failed upload keeps its upload error in getdetail too (not in the detail sample: our reading).
const detailOf = (p: SandboxPackage) => (p.uploadStatus === UPLOAD_FAILED ? packageItem(p) : detailItem(p));

const DATA_PREFIX = '/rest/2.0/smartapp/data/';
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * getanalysisusertrend (official Go client openapi/tp/analysis/getAnalysisUserTrend.go): dates
 * `yyyyMMdd`, start <= end <= yesterday (China time), gran day; figures made up from the app and day,
 * in the shape of fixture data.usertrend.success.
 */
function userTrend(app: SandboxApp, p: Params): Answer {
  const start = p.start_date ?? '';
  const end = p.end_date ?? '';
  const china = new Date(Date.now() + 8 * 3600_000 - 86_400_000);
  const yesterday = `${china.getUTCFullYear()}${pad2(china.getUTCMonth() + 1)}${pad2(china.getUTCDate())}`;
  if (!/^\d{8}$/.test(start) || !/^\d{8}$/.test(end) || start > end || end > yesterday)
    throw params40001('start_date/end_date must be yyyyMMdd, in order, at most yesterday');
  if (p.gran !== 'day') throw params40001('gran must be day');
  const days: string[] = [];
  for (let d = new Date(`${start.slice(0, 4)}-${start.slice(4, 6)}-${start.slice(6)}T00:00:00Z`); ; d = new Date(d.getTime() + 86_400_000)) {
    const s = `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}`;
    days.unshift(s);
    if (s.replaceAll('/', '') >= end || days.length > 366) break;
  }
  const row = (name: string) => {
    const seed = createHash('sha256').update(`${app.appId}:${name}`).digest();
    const users = 100 + seed.readUInt16BE(0);
    const fresh = Math.floor(users / 4);
    const ratio = (n: number) => Math.round((n / users) * 10_000) / 100;
    return {
      new_user_count: fresh,
      new_user_ratio: ratio(fresh),
      old_user_count: users - fresh,
      old_user_ratio: ratio(users - fresh),
      user_count: users,
      session_count: users * 2,
      average_session_time: 30 + (seed[2] % 60),
      session_time_per_person: 60 + (seed[3] % 120),
    };
  };
  const list = days.map((name) => ({ name, ...row(name) }));
  const sum = row(`${start}-${end}`);
  return ok({ time_span: `${days.at(-1)} - ${days[0]}`, offset: 0, total: list.length, sum, data_list: list });
}

/** Routes one call; throws SandboxNativeError / SandboxOAuthError for the envelope the host would answer. */
export function route(sb: BaiduSandbox, method: string, path: string, p: Params): Answer {
  if (path === TP_TOKEN_PATH) return tpToken(sb, p);
  if (path === OAUTH_TOKEN_PATH) return oauthToken(sb, p);
  if (path === `${DATA_PREFIX}getanalysisusertrend`) {
    if (method !== 'POST') throw params40001(`${path} takes POST`);
    const app = sb.apps.get(sb.tokens.check(p.access_token, 'app') ?? '');
    if (!app) throw new SandboxNativeError(SANDBOX_ERRNO.noAuthorization);
    return userTrend(app, p);
  }
  const r = path.startsWith(PACKAGE_PREFIX) ? PACKAGE_ROUTES[path.slice(PACKAGE_PREFIX.length)] : undefined;
  if (!r) throw new SandboxNativeError(SANDBOX_ERRNO.unsupportedMethod);
  if (r.method !== method) throw params40001(`${path} takes ${r.method}`);
  const appId = sb.tokens.check(p.access_token, 'app');
  const app = sb.apps.get(appId ?? '');
  if (!app) throw new SandboxNativeError(SANDBOX_ERRNO.noAuthorization);
  return r.handle(sb, app, p);
}
