import { business } from './sandbox-errors.js';
import { scalarText } from '../../core/index.js';

// Version states of A2.3 and the guards of A2.4.
export type VersionStatus = 'INIT' | 'AUDITING' | 'WAIT_RELEASE' | 'AUDIT_REJECT' | 'GRAY' | 'RELEASE' | 'OFFLINE' | 'AUDIT_OFFLINE';

export interface SandboxVersion {
  appVersion: string;
  status: VersionStatus;
  templateId: string;
  ext: string;
  buildReadyAt: number;
  versionDesc: string;
  /** audit.apply `memo` (A2.2). */
  memo: string;
  rejectReason: string;
  grayStrategy: string;
  autoOnline: boolean;
  gmtCreate: Date;
  gmtApplyAudit: Date | null;
  gmtAuditEnd: Date | null;
  gmtOnline: Date | null;
  gmtOffline: Date | null;
}

/** Base info kept across submissions: omitted audit.apply fields inherit it (A2.2). */
export interface BaseInfo {
  app_name: string;
  app_english_name: string;
  app_slogan: string;
  app_desc: string;
  service_phone: string;
  service_email: string;
  mini_category_ids: string;
  region_type: string;
}

const BLOCKING: readonly VersionStatus[] = ['AUDITING', 'WAIT_RELEASE', 'AUDIT_REJECT', 'GRAY'];
const MAX_PART = 2_147_483_647;
export const GRAY_STRATEGIES = ['p10', 'p30', 'p50'];
const MAX_DEV_VERSIONS = 20;

function parts(v: string): number[] | null {
  return /^\d+\.\d+\.\d+$/.test(v) ? v.split('.').map(Number) : null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const stateError = (v: SandboxVersion, wanted: string) => business('INVALID_VERSION_STATUS', `version ${v.appVersion} is ${v.status}, ${wanted} needed`);

/** One merchant mini-program and its versions, as the host keeps them. */
export class SandboxMiniApp {
  readonly versions = new Map<string, SandboxVersion>();
  /** Versions that have been online, oldest first; rollback returns to the one before the last. */
  readonly onlineHistory: string[] = [];
  baseInfo: BaseInfo;

  constructor(
    readonly appId: string,
    public appAuthToken: string,
    name: string,
  ) {
    this.baseInfo = {
      app_name: name,
      app_english_name: '',
      app_slogan: '',
      app_desc: '',
      service_phone: '',
      service_email: '',
      mini_category_ids: '',
      region_type: '',
    };
  }

  version(appVersion: unknown): SandboxVersion {
    const v = typeof appVersion === 'string' ? this.versions.get(appVersion) : undefined;
    if (!v) throw business('APP_VERSION_IS_BLANK', 'app_version is empty or does not exist');
    return v;
  }

  /** build_status: 1 building until the configured delay passes, then 2 (A2.1). */
  buildStatus(v: SandboxVersion, now: number): string {
    return now >= v.buildReadyAt ? '2' : '1';
  }

  upload(biz: Record<string, unknown>, now: Date, buildDelayMs: number): SandboxVersion {
    const appVersion = scalarText(biz.app_version);
    const p = parts(appVersion);
    if (!p) throw business('APP_VERSION_IS_BLANK', 'app_version must be x.y.z');
    if (p.some((n) => n > MAX_PART)) throw business('VERSION_EXCEEDED_LENGTH', 'a version number exceeds 2147483647');
    if (!biz.template_id) throw business('TEMPLATE_ID_IS_BLANK', 'template_id is empty');
    if (!/^\d{16}$/.test(scalarText(biz.template_id))) throw business('APP_INFO_NOT_EXIST', 'template not found');
    if (biz.template_id === this.appId) throw business('TEMPLATE_MINIAPP_NOT_ALLOWED', 'the template cannot build itself');
    if (biz.ext !== undefined) {
      try {
        JSON.parse(scalarText(biz.ext));
      } catch {
        throw business('INVALID_EXT_JSON', 'ext is not JSON');
      }
    }
    // A2.4: strictly greater than every existing version.
    for (const v of this.versions.values())
      if (compare(p, parts(v.appVersion)!) <= 0) throw business('VERSION_HAS_EXISTED', `version ${appVersion} is not greater than ${v.appVersion}`);
    if ([...this.versions.values()].filter((v) => v.status === 'INIT').length >= MAX_DEV_VERSIONS)
      throw business('DEV_VERSION_EXCEEDED', 'at most 20 development versions');
    const v: SandboxVersion = {
      appVersion,
      status: 'INIT',
      templateId: scalarText(biz.template_id),
      ext: scalarText(biz.ext),
      buildReadyAt: now.getTime() + buildDelayMs,
      versionDesc: '',
      memo: '',
      rejectReason: '',
      grayStrategy: '',
      autoOnline: false,
      gmtCreate: now,
      gmtApplyAudit: null,
      gmtAuditEnd: null,
      gmtOnline: null,
      gmtOffline: null,
    };
    this.versions.set(appVersion, v);
    return v;
  }

  /** audit.apply (A2.2, A2.4): text params; omitted base info inherits, never set -> *_IS_BLANK. */
  apply(text: Record<string, string>, now: Date): SandboxVersion {
    const v = this.version(text.app_version);
    if (this.buildStatus(v, now.getTime()) !== '2') throw business('MINI_APP_PACKAGE_INFO_NOT_EXIST', 'the version is not built yet');
    const blocking = [...this.versions.values()].find((o) => BLOCKING.includes(o.status));
    if (blocking) throw business('CAN_NOT_SUBMIT_WITH_AUDIT_GRAY', `version ${blocking.appVersion} is ${blocking.status}`);
    if (v.status !== 'INIT') throw stateError(v, 'INIT');
    if (!text.version_desc) throw business('VERSION_DESC_IS_BLANK', 'version_desc is empty');
    const info: BaseInfo = { ...this.baseInfo };
    for (const k of Object.keys(info) as Array<keyof BaseInfo>) if (text[k]) info[k] = text[k];
    if (!info.app_name) throw business('APP_NAME_IS_BLANK', 'app_name is empty');
    if (!/^[\p{Script=Han}A-Za-z0-9_+-]+$/u.test(info.app_name)) throw business('INVALID_MINI_APP_NAME', 'app_name has illegal characters');
    if (!info.service_phone && !info.service_email) throw business('SERVICE_TEL_AND_MAIL_BOTH_BLANK', 'service phone and email are both empty');
    if (info.service_phone && !/^[0-9-]{5,30}$/.test(info.service_phone)) throw business('INVALID_MINI_APP_SERVICE_TEL', 'service_phone is invalid');
    if (!info.region_type) throw business('REGION_TYPE_IS_BLANK', 'region_type is empty');
    if (!['GLOBAL', 'CHINA', 'LOCATION'].includes(info.region_type)) throw business('REGION_TYPE_IS_INVALID', 'region_type is invalid');
    if (info.mini_category_ids && info.mini_category_ids.split(';').length > 4) throw business('CATEGORY_NUM_IS_INVALID', 'at most 4 categories');
    this.baseInfo = info;
    Object.assign(v, {
      status: 'AUDITING',
      versionDesc: text.version_desc,
      memo: text.memo ?? '',
      rejectReason: '',
      autoOnline: text.auto_online === 'true',
      gmtApplyAudit: now,
    });
    return v;
  }

  decide(v: SandboxVersion, outcome: 'approve' | 'reject', reason: string, now: Date): void {
    if (v.status !== 'AUDITING') return;
    v.gmtAuditEnd = now;
    if (outcome === 'reject') Object.assign(v, { status: 'AUDIT_REJECT', rejectReason: reason });
    else if (v.autoOnline) this.goOnline(v, now);
    else v.status = 'WAIT_RELEASE';
  }

  auditCancel(appVersion: unknown): SandboxVersion {
    const v = appVersion ? this.version(appVersion) : [...this.versions.values()].find((o) => o.status === 'AUDITING');
    if (!v) throw business('APP_VERSION_IS_BLANK', 'no version under audit');
    if (v.status !== 'AUDITING') throw stateError(v, 'AUDITING');
    v.status = 'INIT'; // A2.4: back to development (UNCONFIRMED target state)
    return v;
  }

  auditedCancel(appVersion: unknown): void {
    const v = this.version(appVersion);
    if (v.status !== 'WAIT_RELEASE' && v.status !== 'AUDIT_REJECT') throw stateError(v, 'WAIT_RELEASE or AUDIT_REJECT');
    v.status = 'INIT';
  }

  online(appVersion: unknown, now: Date): void {
    const v = this.version(appVersion);
    if (v.status !== 'WAIT_RELEASE' && v.status !== 'GRAY') throw stateError(v, 'WAIT_RELEASE or GRAY');
    this.goOnline(v, now);
  }

  grayOnline(appVersion: unknown, strategy: unknown): void {
    if (!strategy) throw business('GRAY_STRATEGY_IS_BLANK', 'gray_strategy is empty');
    if (!GRAY_STRATEGIES.includes(scalarText(strategy))) throw business('GRAY_STRATEGY_IS_INVALID', 'gray_strategy must be p10, p30 or p50');
    const v = this.version(appVersion);
    if (v.status !== 'WAIT_RELEASE') throw stateError(v, 'WAIT_RELEASE');
    Object.assign(v, { status: 'GRAY', grayStrategy: scalarText(strategy) });
  }

  grayCancel(appVersion: unknown): void {
    const v = this.version(appVersion);
    if (v.status !== 'GRAY') throw stateError(v, 'GRAY');
    Object.assign(v, { status: 'WAIT_RELEASE', grayStrategy: '' });
  }

  offline(appVersion: unknown, now: Date): void {
    const v = this.version(appVersion);
    if (v.status !== 'RELEASE') throw stateError(v, 'RELEASE');
    Object.assign(v, { status: 'OFFLINE', gmtOffline: now });
  }

  /** A2.4: app_version = current online; it goes offline and the previous online one comes back, no audit. */
  rollback(appVersion: unknown, now: Date): void {
    const v = this.version(appVersion);
    if (v.status !== 'RELEASE') throw stateError(v, 'RELEASE');
    const previous = this.onlineHistory
      .slice(0, -1)
      .reverse()
      .find((a) => a !== v.appVersion && this.versions.get(a)?.status === 'OFFLINE');
    if (!previous) throw business('NO_PREVIOUS_ONLINE_VERSION', 'there is no earlier online version to roll back to');
    Object.assign(v, { status: 'OFFLINE', gmtOffline: now });
    Object.assign(this.versions.get(previous)!, { status: 'RELEASE', gmtOnline: now, gmtOffline: null });
    this.onlineHistory.pop();
  }

  remove(appVersion: unknown): void {
    const v = this.version(appVersion);
    if (v.status !== 'INIT') throw stateError(v, 'INIT');
    this.versions.delete(v.appVersion);
  }

  find(status: VersionStatus): SandboxVersion | undefined {
    return [...this.versions.values()].find((v) => v.status === status);
  }

  private goOnline(v: SandboxVersion, now: Date): void {
    const current = this.find('RELEASE');
    if (current && current !== v) Object.assign(current, { status: 'OFFLINE', gmtOffline: now });
    Object.assign(v, { status: 'RELEASE', grayStrategy: '', gmtOnline: now });
    this.onlineHistory.push(v.appVersion);
  }
}
