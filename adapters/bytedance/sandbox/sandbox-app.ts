import type { ReviewDecision, ReviewPolicy } from '../../core/index.js';
import { SandboxNativeError } from './sandbox-errors.js';
import { scalarText } from '../../core/index.js';

// One mini-app's single test / audit / online slot (alipay-baidu-bytedance.md C2, Part D) and its guards (C3).
export interface Slot {
  version: string;
  summary: string;
  ctime: number;
  /** int64 kept as its digits (C2; ids exceed 2^53). */
  templateId: string;
}

export interface AuditSlot extends Slot {
  /** C2: 0 auditing, 1 passed, 2 rejected, 3 revoked. */
  status: 0 | 1 | 2 | 3;
  hostNames: string[];
  reason: string[];
  /** Screenshot URLs of a rejection (attach_info, one entry per host). */
  screenshots: string[];
  submittedAt: number;
  hasPublish: boolean;
  timer: NodeJS.Timeout | null;
}

export interface DyApp {
  appId: string;
  name: string;
  refreshToken: string;
  refreshExpiresAt: number;
  policy: ReviewPolicy;
  latest: (Slot & { hasAudit: boolean }) | null;
  audit: AuditSlot | null;
  current: Slot | null;
  /** A gray release set on the console (no TP API, Part D): the version and its share per host. */
  gray: (Slot & { hostGrayScale: Record<string, string> }) | null;
  /** The version a rollback restores; null for the first online version and after a rollback. */
  previous: Slot | null;
  lastSubmitAt: number | null;
  lastRollbackAt: number | null;
}

export interface SlotRules {
  /** 11301 below this gap between submits (C5: 10 s). */
  submitIntervalMs: number;
  /** 11501 below this gap between rollbacks (C5: 10 min). */
  rollbackIntervalMs: number;
  /** 11602 once an audit has run this long (the host is processing it). */
  revocableForMs: number;
  auditHosts: readonly string[];
}

type Body = Record<string, unknown>;
const fail = (code: number): never => {
  throw new SandboxNativeError(code);
};

export function newApp(appId: string, name: string, refreshToken: string, now: number): DyApp {
  return {
    appId,
    name,
    refreshToken,
    refreshExpiresAt: now + 30 * 86_400_000,
    policy: { decision: 'approve' },
    latest: null,
    audit: null,
    current: null,
    gray: null,
    previous: null,
    lastSubmitAt: null,
    lastRollbackAt: null,
  };
}

const INT64_MAX = 9223372036854775807n;

/**
 * template_id as the host reads it: a JSON integer within int64 (C2). The server parses bodies
 * losslessly, so a large id arrives as a bigint; a string or a rounded float is refused.
 */
function templateIdOf(t: unknown): string {
  if (typeof t === 'number' && Number.isSafeInteger(t) && t > 0) return String(t);
  if (typeof t === 'bigint' && t > 0n && t <= INT64_MAX) return t.toString();
  return fail(40001);
}

/** C2 upload: template_id integer, user_version, user_desc, ext_json as a JSON string; replaces the test version. */
export function upload(app: DyApp, b: Body, now: number): void {
  const t = templateIdOf(b.template_id);
  if (typeof b.user_version !== 'string' || b.user_version.trim() === '') fail(40001);
  if (b.user_desc !== undefined && typeof b.user_desc !== 'string') fail(40001);
  if (typeof b.ext_json !== 'string') fail(40001);
  try {
    const ext: unknown = JSON.parse(b.ext_json as string);
    if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) fail(40001);
  } catch (err) {
    if (err instanceof SandboxNativeError) throw err;
    fail(40001);
  }
  app.latest = {
    version: b.user_version as string,
    summary: scalarText(b.user_desc),
    ctime: Math.floor(now / 1000),
    templateId: t,
    hasAudit: false,
  };
}

/** C2 audit: host_names within get_audit_hosts, audit_note <= 200, audit_way 0 (latest) or 1 (last failed). */
export function submit(app: DyApp, b: Body, rules: SlotRules, now: number): AuditSlot {
  if (app.lastSubmitAt !== null && now - app.lastSubmitAt < rules.submitIntervalMs) fail(11301);
  const hosts = b.host_names;
  if (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((h) => typeof h === 'string' && rules.auditHosts.includes(h))) fail(40001);
  if (b.audit_note !== undefined && (typeof b.audit_note !== 'string' || [...b.audit_note].length > 200)) fail(40001);
  const way = b.audit_way ?? 0;
  if (way !== 0 && way !== 1) fail(40001);
  if (app.audit?.status === 0) fail(11303);
  const source = way === 1 ? (app.audit?.status === 2 ? app.audit : null) : app.latest;
  if (!source) return fail(11302);
  if (app.audit?.timer) clearTimeout(app.audit.timer);
  const { version, summary, ctime, templateId } = source;
  app.audit = {
    version,
    summary,
    ctime,
    templateId,
    status: 0,
    hostNames: [...(hosts as string[])],
    reason: [],
    screenshots: [],
    submittedAt: now,
    hasPublish: false,
    timer: null,
  };
  if (app.latest && app.latest.version === version) app.latest.hasAudit = true;
  app.lastSubmitAt = now;
  return app.audit;
}

/** C3 revoke_audit guards: 11601 revoked, 11603 finished (or nothing submitted), 11602 being processed. */
export function revoke(app: DyApp, rules: SlotRules, now: number): void {
  const a = app.audit;
  if (!a || a.status === 1 || a.status === 2) return fail(11603);
  if (a.status === 3) fail(11601);
  if (now - a.submittedAt > rules.revocableForMs) fail(11602);
  if (a.timer) clearTimeout(a.timer);
  a.timer = null;
  a.status = 3;
}

/** C3 release guards: 11403 still auditing, 11402 nothing passed (or already published). */
export function release(app: DyApp, now: number): void {
  const a = app.audit;
  if (a?.status === 0) fail(11403);
  if (!a || a.status !== 1 || a.hasPublish) return fail(11402);
  app.previous = app.current;
  app.current = { version: a.version, summary: a.summary, ctime: Math.floor(now / 1000), templateId: a.templateId };
  app.gray = null;
  a.hasPublish = true;
}

/** C2 rollback: not for the first online version, once per release (10003: no record), 10 min apart (11501). */
export function rollback(app: DyApp, rules: SlotRules, now: number): void {
  if (app.lastRollbackAt !== null && now - app.lastRollbackAt < rules.rollbackIntervalMs) fail(11501);
  if (!app.current || !app.previous) fail(10003);
  app.current = app.previous;
  app.previous = null;
  app.lastRollbackAt = now;
}

/** Ends an audit in progress; false when there is none or the decision keeps it in review. */
export function decide(app: DyApp, d: ReviewDecision): boolean {
  const a = app.audit;
  if (!a || a.status !== 0) return false;
  if (a.timer) clearTimeout(a.timer);
  a.timer = null;
  // Douyin has no "delayed" audit state or push: a delayed review simply stays in audit.
  if (d.decision === 'delay') return false;
  a.status = d.decision === 'approve' ? 1 : 2;
  a.reason = d.decision === 'reject' ? [d.reason] : [];
  a.screenshots = d.decision === 'reject' ? [...(d.screenshots ?? [])] : [];
  return true;
}

// The fields every slot carries (fixture versions.success); developer_* name the TP's account.
const base = (s: Slot) => ({
  version: s.version,
  summary: s.summary,
  ctime: s.ctime,
  categories: ['工具-效率'],
  developer_id: '0',
  developer_name: 'sandbox',
  developer_avatar: '',
});

/** Per host, as the versions answer keys its maps (fixture versions.success: attach_info, reason_detail). */
const byHost = <T>(hosts: readonly string[], value: T): Record<string, T> => Object.fromEntries(hosts.map((h) => [h, value]));

/** The `data` of package_version/versions in V2 spelling, in the shape of fixture versions.success. */
export function versionsOf(app: DyApp): Record<string, unknown> {
  const a = app.audit;
  const rejected = a?.status === 2;
  return {
    latest: app.latest ? { ...base(app.latest), has_audit: app.latest.hasAudit ? 1 : 0, screenshot: '' } : null,
    audit: a
      ? {
          ...base(a),
          status: a.status,
          has_publish: a.hasPublish ? 1 : 0,
          is_illegal_version: false,
          approved_apps: a.status === 1 ? a.hostNames : [],
          reason: rejected ? a.hostNames.map((h) => `${h}: ${a.reason.join(';')}`).join(';') : '',
          reason_detail: rejected ? byHost(a.hostNames, a.reason) : {},
          attach_info: rejected && a.screenshots.length > 0 ? byHost(a.hostNames, a.screenshots.join(',')) : {},
        }
      : null,
    current: app.current
      ? {
          ...base(app.current),
          has_down: 0,
          approved_apps: a?.hostNames ?? [],
          not_approved_apps: [],
          attach_info: {},
          rollback: { can_rollback: app.previous !== null, last_version: app.previous?.version ?? '' },
          uid: uidOf(app.appId),
        }
      : null,
    gray: app.gray ? { ...base(app.gray), host_gray_scale: { ...app.gray.hostGrayScale } } : null,
  };
}

/** current.uid is a number (the developer account; fixture versions.success). */
function uidOf(appId: string): number {
  return Number.parseInt(appId.slice(-8), 16) || 1;
}
