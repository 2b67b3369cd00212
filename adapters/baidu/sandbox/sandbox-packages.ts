import type { ReviewDecision, ReviewPolicy } from '../../core/index.js';
import { SANDBOX_ERRNO, SandboxNativeError } from './sandbox-errors.js';

// B2 status codes: 1 online, 3 development, 4 under audit, 5 audit failed, 6 audit passed, 8 rolling back.
export const ONLINE = 1;
export const DEVELOPMENT = 3;
export const AUDITING = 4;
export const AUDIT_FAILED = 5;
export const AUDIT_PASSED = 6;
export const ROLLING_BACK = 8;
// upload_status: 1 uploading, 3 failed (B2). UPLOADED is the sandbox's own marker: once uploaded the
// host sends no upload_status at all (fixture package.get.success).
export const UPLOADING = 1;
export const UPLOADED = 2;
export const UPLOAD_FAILED = 3;

export interface SandboxPackage {
  packageId: number;
  version: string;
  desc: string;
  templateId: string;
  status: number;
  uploadStatus: number;
  /** Audit information (the rejection reason once rejected). */
  msg: string;
  /** submitaudit `remark`. */
  remark: string;
  commitTime: Date;
  rollbackVersion: string;
  timer: NodeJS.Timeout | null;
}

export interface SandboxApp {
  appId: string;
  name: string;
  packages: SandboxPackage[];
  /** Packages that were online before the current one, oldest first (rollback targets). */
  history: SandboxPackage[];
  policy: ReviewPolicy;
  quota: { total: number; remain: number };
}

const fail = (errno: number, detail?: string) => new SandboxNativeError(errno, detail);
const China = (d: Date) => new Date(d.getTime() + 8 * 3600_000);
const pad = (n: number) => String(n).padStart(2, '0');

/** commit_time as the host shows it: `yyyy/MM/dd HH:mm:ss`, China time (B2). */
export function commitTime(d: Date): string {
  const c = China(d);
  return `${c.getUTCFullYear()}/${pad(c.getUTCMonth() + 1)}/${pad(c.getUTCDate())} ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`;
}

/**
 * One package as package/get lists it, in the fixture's shapes (package.get.success; official Java
 * SDK test and the SKIT sample): a package still uploading shows only its version, time, description
 * and upload status (no package_id yet); a failed upload adds its error (Go GetPackageResponsedataItem);
 * an uploaded package shows the rest and no upload status.
 */
export function packageItem(p: SandboxPackage): Record<string, unknown> {
  const common = { version: p.version, commit_time: commitTime(p.commitTime), version_desc: p.desc };
  if (p.uploadStatus === UPLOADING) return { ...common, upload_status: UPLOADING, upload_status_desc: '上传中' };
  if (p.uploadStatus === UPLOAD_FAILED) {
    return {
      ...common,
      package_id: p.packageId,
      upload_status: UPLOAD_FAILED,
      upload_status_desc: '上传失败',
      upload_err_code: 1,
      upload_err_msg: 'template build failed',
    };
  }
  return { ...detailItem(p), rollback_version: p.rollbackVersion };
}

/** One package as package/getdetail answers it (fixture package.getdetail.success: no upload or rollback fields). */
export function detailItem(p: SandboxPackage): Record<string, unknown> {
  return {
    version: p.version,
    remark: p.remark,
    msg: p.msg,
    committer: '--',
    status: p.status,
    commit_time: commitTime(p.commitTime),
    version_desc: p.desc,
    package_id: p.packageId,
  };
}

export function packageOf(app: SandboxApp, id: string | undefined): SandboxPackage {
  const p = app.packages.find((x) => String(x.packageId) === id);
  if (!p) throw fail(SANDBOX_ERRNO.params, 'package_id does not exist');
  return p;
}

export function live(app: SandboxApp): SandboxPackage | null {
  return app.packages.find((p) => p.status === ONLINE || p.status === ROLLING_BACK) ?? null;
}

export function inAudit(app: SandboxApp): SandboxPackage | null {
  return app.packages.find((p) => p.status === AUDITING) ?? null;
}

/** submitaudit guards: content and remark (both required, B2), uploaded, in development or audit failed, nothing else under audit, quota left. */
export function submit(app: SandboxApp, p: SandboxPackage, content: string, remark: string): void {
  if (content.trim() === '') throw fail(SANDBOX_ERRNO.params, 'content is required');
  if (remark.trim() === '') throw fail(SANDBOX_ERRNO.params, 'remark is required');
  if (p.uploadStatus !== UPLOADED) throw fail(SANDBOX_ERRNO.wrongState, 'package upload has not finished');
  if (p.status !== DEVELOPMENT && p.status !== AUDIT_FAILED) throw fail(SANDBOX_ERRNO.wrongState, 'package cannot be submitted in its state');
  if (inAudit(app)) throw fail(SANDBOX_ERRNO.wrongState, 'another package is under audit');
  if (app.quota.remain <= 0) throw fail(SANDBOX_ERRNO.auditQuota);
  app.quota.remain--;
  p.status = AUDITING;
  p.msg = '';
  p.remark = remark;
}

export function withdraw(p: SandboxPackage): void {
  if (p.status !== AUDITING) throw fail(SANDBOX_ERRNO.wrongState, 'package is not under audit');
  if (p.timer) clearTimeout(p.timer);
  p.timer = null;
  p.status = DEVELOPMENT;
}

/** Ends the audit of `p`; false when it is not under audit or the decision keeps it there. */
export function decide(p: SandboxPackage, d: ReviewDecision): boolean {
  if (p.status !== AUDITING) return false;
  if (d.decision === 'delay') {
    // Baidu has no delayed status or push (B2, B4): the package simply stays under audit.
    p.msg = d.reason;
    return false;
  }
  p.status = d.decision === 'approve' ? AUDIT_PASSED : AUDIT_FAILED;
  p.msg = d.decision === 'reject' ? d.reason : '';
  return true;
}

/** release: only an audit-passed package; the previous online one becomes a rollback target. */
export function release(app: SandboxApp, p: SandboxPackage): void {
  if (p.status !== AUDIT_PASSED) throw fail(SANDBOX_ERRNO.noApprovedPackage, 'package has not passed audit');
  const current = live(app);
  if (current?.status === ROLLING_BACK) throw fail(SANDBOX_ERRNO.wrongState, 'a rollback is in progress');
  if (current) {
    app.packages = app.packages.filter((x) => x !== current);
    app.history.push(current);
  }
  p.status = ONLINE;
  p.rollbackVersion = current?.version ?? '';
}

/** rollback of the online package to the previous online one; applied by `finishRollback` later. */
export function startRollback(app: SandboxApp, p: SandboxPackage): void {
  if (p.status !== ONLINE) throw fail(SANDBOX_ERRNO.wrongState, 'only the online package can be rolled back');
  if (app.history.length === 0) throw fail(SANDBOX_ERRNO.noApprovedPackage, 'no previous online package');
  p.status = ROLLING_BACK;
}

export function finishRollback(app: SandboxApp, p: SandboxPackage): void {
  const previous = app.history.pop();
  if (p.status !== ROLLING_BACK || !previous) return;
  p.status = AUDIT_PASSED;
  p.rollbackVersion = '';
  previous.status = ONLINE;
  previous.rollbackVersion = app.history.at(-1)?.version ?? '';
  app.packages.push(previous);
}
