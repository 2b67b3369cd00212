import type { ReviewDecision, ReviewPolicy } from '../../core/index.js';
import { SandboxNativeError } from './sandbox-errors.js';
import { scalarText } from '../../core/index.js';

export interface CodeVersion {
  version: string;
  desc: string;
  time: number;
}

export interface Audit {
  auditId: number;
  version: string;
  desc: string;
  /** 0 approved, 1 rejected, 2 in review, 3 withdrawn, 4 delayed (wechat.md §2.2). */
  status: 0 | 1 | 2 | 3 | 4;
  reason: string;
  screenshots: string[];
  submitTime: number;
  spedUp: boolean;
  timer: NodeJS.Timeout | null;
}

/** One authorized merchant mini program and its code-management state machine (wechat.md §8). */
export interface MiniApp {
  appId: string;
  ghId: string;
  name: string;
  refreshToken: string;
  exp: (CodeVersion & { templateId: number; extJson: string }) | null;
  audit: Audit | null;
  release: CodeVersion | null;
  /** Previous releases, newest last (rollback keeps up to 5). */
  history: CodeVersion[];
  gray: { version: string; percentage: number; createdAt: number } | null;
  policy: ReviewPolicy;
  undo: { day: string; dayCount: number; month: string; monthCount: number };
  visitStatus: 0 | 1;
}

export const UNDO_PER_DAY = 5;
export const UNDO_PER_MONTH = 10;
export const ROLLBACK_HISTORY = 5;

export const inReview = (app: MiniApp) => app.audit !== null && (app.audit.status === 2 || app.audit.status === 4);

export function commit(app: MiniApp, body: Record<string, unknown>, now: number): void {
  const templateId = Number(body.template_id);
  if (!Number.isInteger(templateId) || templateId <= 0) throw new SandboxNativeError(85014);
  // §2: ext_json must be a string holding JSON.
  if (body.ext_json !== undefined && typeof body.ext_json !== 'string') throw new SandboxNativeError(85013);
  const extJson = body.ext_json ?? '{}';
  try {
    const parsed: unknown = JSON.parse(extJson);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  } catch {
    throw new SandboxNativeError(85048);
  }
  const version = body.user_version;
  if (typeof version !== 'string' || version === '' || [...version].length > 64) throw new SandboxNativeError(40097);
  app.exp = { version, desc: scalarText(body.user_desc), time: now, templateId, extJson };
}

export function submit(app: MiniApp, auditId: number, desc: string, now: number): Audit {
  if (!app.exp) throw new SandboxNativeError(85086);
  if (inReview(app)) throw new SandboxNativeError(85009);
  app.audit = {
    auditId,
    version: app.exp.version,
    desc: desc || app.exp.desc,
    status: 2,
    reason: '',
    screenshots: [],
    submitTime: now,
    spedUp: false,
    timer: null,
  };
  return app.audit;
}

/** Ends (or delays) the review in progress; returns false when nothing is in review. */
export function decide(app: MiniApp, outcome: ReviewDecision): boolean {
  const audit = app.audit;
  if (!audit || !inReview(app)) return false;
  if (audit.timer) clearTimeout(audit.timer);
  audit.timer = null;
  if (outcome.decision === 'approve') Object.assign(audit, { status: 0, reason: '', screenshots: [] });
  else if (outcome.decision === 'reject') Object.assign(audit, { status: 1, reason: outcome.reason, screenshots: outcome.screenshots ?? [] });
  else Object.assign(audit, { status: 4, reason: outcome.reason });
  return true;
}

export function withdraw(app: MiniApp, now: Date): void {
  if (!inReview(app)) throw new SandboxNativeError(87012);
  // §4: the counter resets at 00:00 China time (UTC+8).
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const month = day.slice(0, 7);
  if (app.undo.day !== day) Object.assign(app.undo, { day, dayCount: 0 });
  if (app.undo.month !== month) Object.assign(app.undo, { month, monthCount: 0 });
  if (app.undo.dayCount >= UNDO_PER_DAY || app.undo.monthCount >= UNDO_PER_MONTH) throw new SandboxNativeError(87013);
  app.undo.dayCount++;
  app.undo.monthCount++;
  const audit = app.audit!;
  if (audit.timer) clearTimeout(audit.timer);
  Object.assign(audit, { status: 3, timer: null });
}

export function release(app: MiniApp, now: number): void {
  const audit = app.audit;
  if (audit && inReview(app)) throw new SandboxNativeError(85020);
  if (!audit || audit.status !== 0) throw new SandboxNativeError(85019);
  if (app.release?.version === audit.version && !app.gray) throw new SandboxNativeError(85052);
  if (app.release && app.release.version !== audit.version) app.history = [...app.history, app.release].slice(-ROLLBACK_HISTORY);
  app.release = { version: audit.version, desc: audit.desc, time: now };
  app.gray = null;
}

export function grayRelease(app: MiniApp, body: Record<string, unknown>, now: number): void {
  const pct = body.gray_percentage;
  const flags = body.support_debuger_first === true || body.support_experiencer_first === true;
  if (typeof pct !== 'number' || !Number.isInteger(pct) || pct < 0 || pct > 100 || (pct === 0 && !flags)) throw new SandboxNativeError(85081);
  if (!app.release) throw new SandboxNativeError(85079);
  const audit = app.audit;
  if (!audit || audit.status !== 0 || audit.version === app.release.version) throw new SandboxNativeError(85080);
  if (app.gray && pct <= app.gray.percentage) throw new SandboxNativeError(85082);
  app.gray = { version: audit.version, percentage: pct, createdAt: app.gray?.createdAt ?? now };
}

export function rollback(app: MiniApp, appVersion: string | undefined, now: number): void {
  if (app.gray) throw new SandboxNativeError(87011);
  if (!app.release || app.history.length === 0) throw new SandboxNativeError(87012);
  // app_version numbers the history entries (1 = oldest), as get_history_version lists them.
  const index = appVersion === undefined ? app.history.length - 1 : Number(appVersion) - 1;
  if (!Number.isInteger(index) || index < 0 || index >= app.history.length) throw new SandboxNativeError(40097);
  app.release = { ...app.history[index], time: now };
  app.history = app.history.slice(0, index);
}
