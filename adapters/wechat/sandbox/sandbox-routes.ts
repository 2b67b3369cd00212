import { createHash } from 'node:crypto';
import * as machine from './sandbox-app.js';
import type { MiniApp } from './sandbox-app.js';
import { SandboxNativeError } from './sandbox-errors.js';
import { scalarText } from '../../core/index.js';

export interface PlatformQuota {
  limit: number;
  rest: number;
  speedupLimit: number;
  speedupRest: number;
}

export interface RouteContext {
  app: MiniApp;
  body: Record<string, unknown>;
  query: Record<string, string>;
  now: Date;
  quota: PlatformQuota;
  nextAuditId(): number;
  /** Called after a submit so the sandbox applies the app's review policy. */
  reviewStarted(app: MiniApp): void;
}

export interface Route {
  method: 'GET' | 'POST';
  /** wechat.md §0: these POSTs need the literal `{}` body (44002 when empty). */
  requireBody?: boolean;
  /** Success carries only the route's fields, no `errcode`/`errmsg` (datacube, §7; fixture dailyVisitTrend.*). */
  bare?: boolean;
  handle(ctx: RouteContext): Record<string, unknown>;
}

const secs = (ms: number) => Math.floor(ms / 1000);
const version = (v: machine.CodeVersion | null, prefix: 'exp' | 'release') =>
  v ? { [`${prefix}_time`]: secs(v.time), [`${prefix}_version`]: v.version, [`${prefix}_desc`]: v.desc } : undefined;

/** Authorizer-token APIs of code management (wechat.md §2) and analytics (§7). */
export const WXA_ROUTES: Record<string, Route> = {
  '/wxa/commit': { method: 'POST', requireBody: true, handle: (c) => (machine.commit(c.app, c.body, c.now.getTime()), {}) },
  '/wxa/submit_audit': {
    method: 'POST',
    requireBody: true,
    handle: (c) => {
      if (c.app.exp && !machine.inReview(c.app) && c.quota.rest <= 0) throw new SandboxNativeError(85085);
      const audit = machine.submit(c.app, c.nextAuditId(), scalarText(c.body.version_desc), c.now.getTime());
      c.quota.rest--;
      c.reviewStarted(c.app);
      return { auditid: audit.auditId };
    },
  },
  '/wxa/get_auditstatus': {
    method: 'POST',
    requireBody: true,
    handle: (c) => {
      const a = c.app.audit;
      if (!a || a.auditId !== Number(c.body.auditid)) throw new SandboxNativeError(85012);
      return { status: a.status, reason: a.reason, screenshot: a.screenshots.join('|') };
    },
  },
  '/wxa/get_latest_auditstatus': {
    method: 'GET',
    handle: (c) => {
      const a = c.app.audit;
      if (!a) throw new SandboxNativeError(85058);
      // §2.2: the documented example spells ScreenShot here.
      return {
        auditid: a.auditId,
        status: a.status,
        reason: a.reason,
        ScreenShot: a.screenshots.join('|'),
        user_version: a.version,
        user_desc: a.desc,
        submit_audit_time: secs(a.submitTime),
      };
    },
  },
  '/wxa/undocodeaudit': { method: 'GET', handle: (c) => (machine.withdraw(c.app, c.now), {}) },
  '/wxa/speedupaudit': {
    method: 'POST',
    requireBody: true,
    handle: (c) => {
      const a = c.app.audit;
      if (!a || a.auditId !== Number(c.body.auditid) || !machine.inReview(c.app)) throw new SandboxNativeError(89402);
      if (a.spedUp) throw new SandboxNativeError(89404);
      if (c.quota.speedupRest <= 0) throw new SandboxNativeError(89405);
      a.spedUp = true;
      c.quota.speedupRest--;
      return {};
    },
  },
  '/wxa/queryquota': {
    method: 'GET',
    handle: (c) => ({ rest: c.quota.rest, limit: c.quota.limit, speedup_rest: c.quota.speedupRest, speedup_limit: c.quota.speedupLimit }),
  },
  '/wxa/release': { method: 'POST', requireBody: true, handle: (c) => (machine.release(c.app, c.now.getTime()), {}) },
  '/wxa/grayrelease': { method: 'POST', requireBody: true, handle: (c) => (machine.grayRelease(c.app, c.body, c.now.getTime()), {}) },
  '/wxa/revertgrayrelease': { method: 'GET', handle: (c) => ((c.app.gray = null), {}) },
  '/wxa/getgrayreleaseplan': {
    method: 'GET',
    handle: (c) => {
      const g = c.app.gray;
      return {
        gray_release_plan: {
          status: g ? 1 : 0,
          create_timestamp: g ? secs(g.createdAt) : 0,
          gray_percentage: g?.percentage ?? 0,
          support_experiencer_first: false,
          support_debuger_first: false,
        },
      };
    },
  },
  '/wxa/revertcoderelease': {
    method: 'GET',
    handle: (c) => {
      if (c.query.action === 'get_history_version') {
        return { version_list: c.app.history.map((v, i) => ({ app_version: i + 1, user_version: v.version, user_desc: v.desc, commit_time: secs(v.time) })) };
      }
      machine.rollback(c.app, c.query.app_version, c.now.getTime());
      return {};
    },
  },
  '/wxa/getversioninfo': {
    method: 'POST',
    requireBody: true,
    handle: (c) => ({ exp_info: version(c.app.exp, 'exp'), release_info: version(c.app.release, 'release') }),
  },
  '/wxa/getvisitstatus': { method: 'POST', requireBody: true, handle: (c) => ({ status: c.app.visitStatus }) },
  '/datacube/getweanalysisappiddailyvisittrend': {
    method: 'POST',
    requireBody: true,
    bare: true,
    handle: (c) => {
      const { begin_date: begin, end_date: end } = c.body;
      const yesterday = new Date(c.now.getTime() - 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      // §7: exactly one day, at most yesterday.
      if (typeof begin !== 'string' || !/^\d{8}$/.test(begin) || begin !== end || begin > yesterday) throw new SandboxNativeError(40097);
      const seed = createHash('sha256').update(`${c.app.appId}:${begin}`).digest();
      const uv = 100 + seed.readUInt16BE(0);
      return {
        list: [
          {
            ref_date: begin,
            session_cnt: uv * 2,
            visit_pv: uv * 5,
            visit_uv: uv,
            visit_uv_new: Math.floor(uv / 4),
            stay_time_uv: 60 + (seed[2] % 120),
            stay_time_session: 30 + (seed[3] % 60),
            visit_depth: 2,
          },
        ],
      };
    },
  },
};
