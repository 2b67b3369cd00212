import {
  HostError,
  UnsupportedCapabilityError,
  unexpectedAnswer,
  type AdapterOptions,
  type BasicInfoApplyResult,
  type BasicInfoChange,
  type BasicInfoReviewRef,
  type BasicInfoReviewState,
  type BasicInfoSnapshot,
  type CallbackSecrets,
  type CallContext,
  type DailyAnalytics,
  type HostAdapter,
  type HostVersionRef,
  type ListingDefinition,
  type LiveListing,
  type ParsedCallback,
  type RawCallback,
  type ReleaseOptions,
  type ReleaseResult,
  type ReviewState,
  type RollbackResult,
  type SubmitResult,
  type UploadResult,
  type VersionSpec,
  type Violation,
} from '../core/index.js';
import { WechatBasicInfo } from './wechat.basic-info.js';
import { parseWechatCallback } from './wechat.callbacks.js';
import { WechatClient, type WechatJson } from './wechat.client.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { WECHAT_CAPABILITIES } from './wechat.profile.js';
import { normalizeAuditStatus, validateWechatListing } from './wechat.rules.js';
import { UndoAuditLedger } from './wechat.undo-quota.js';
import { scalarText } from '../core/index.js';

type Ctx = CallContext<WechatCredentials>;

/** WeChat third-party platform: code management on behalf of authorized mini programs (wechat.md §2). */
export class WechatAdapter implements HostAdapter<WechatCredentials> {
  readonly hostId = 'WECHAT' as const;
  readonly capabilities = WECHAT_CAPABILITIES;
  private readonly client: WechatClient;
  private readonly undoLedger: UndoAuditLedger;
  private readonly basicInfo: WechatBasicInfo;

  constructor(options: AdapterOptions) {
    const now = options.now ?? (() => new Date());
    this.client = new WechatClient({ ...options, now });
    this.undoLedger = new UndoAuditLedger(options.tokenStore, now);
    this.basicInfo = new WechatBasicInfo(this.client);
  }

  validate(definition: ListingDefinition, version?: VersionSpec): Violation[] {
    return validateWechatListing(definition, version);
  }

  async upload(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec): Promise<UploadResult> {
    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') throw new UnsupportedCapabilityError('WECHAT', 'artifact kind PACKAGE', 'third-party platforms commit from a code template');
    // §2: ext_json is a JSON string, not an object; template_id a number in the new doc.
    const res = await this.client.call(ctx.credentials, 'upload', {
      method: 'POST',
      path: '/wxa/commit',
      body: { template_id: Number(art.templateId), ext_json: JSON.stringify(art.extJson), user_version: version.version, user_desc: version.releaseNotes },
    });
    return { ref: { version: version.version, ids: { templateId: art.templateId } }, status: 'UPLOADED', response: res };
  }

  async reviewStatus(ctx: Ctx, ref: HostVersionRef): Promise<ReviewState> {
    let res: WechatJson;
    if (ref.ids.auditId) {
      res = await this.client.call(ctx.credentials, 'reviewStatus', {
        method: 'POST',
        path: '/wxa/get_auditstatus',
        body: { auditid: Number(ref.ids.auditId) },
      });
    } else {
      try {
        res = await this.client.call(ctx.credentials, 'reviewStatus', { method: 'GET', path: '/wxa/get_latest_auditstatus' });
      } catch (err) {
        // 85058: nothing was ever submitted, so the committed version is simply uploaded.
        if (err instanceof HostError && err.nativeCode === '85058') return { status: 'UPLOADED', ref, nativeStatus: null, response: null };
        throw err;
      }
      // The latest audit may belong to an older version: then ours is not submitted yet.
      if (typeof res.user_version === 'string' && res.user_version !== ref.version) return { status: 'UPLOADED', ref, nativeStatus: null, response: res };
      if (res.auditid !== undefined) ref = { ...ref, ids: { ...ref.ids, auditId: scalarText(res.auditid) } };
    }
    const native = Number(res.status);
    const mapped = normalizeAuditStatus(native);
    if (!mapped)
      throw unexpectedAnswer({ host: 'WECHAT', operation: 'reviewStatus', detail: `unknown audit status ${String(res.status)}`, raw: JSON.stringify(res) });
    // §2.2: the docs spell it `screenshot` and `ScreenShot`; read either.
    const shots = scalarText(res.screenshot ?? res.ScreenShot);
    return {
      status: mapped.status,
      delayed: mapped.delayed,
      ref,
      reason: typeof res.reason === 'string' && res.reason !== '' ? res.reason : null,
      screenshots: shots.split('|').filter((s) => s !== ''),
      nativeStatus: String(native),
      response: res,
    };
  }

  async submitForReview(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult> {
    // item_list is optional in practice (§2.1); the category set on the mini program applies.
    const res = await this.client.call(ctx.credentials, 'submitForReview', {
      method: 'POST',
      path: '/wxa/submit_audit',
      body: { version_desc: version.releaseNotes },
    });
    if (res.auditid === undefined || res.auditid === null)
      throw unexpectedAnswer({ host: 'WECHAT', operation: 'submitForReview', detail: 'submit_audit answer lacks auditid', raw: JSON.stringify(res) });
    return { ref: { ...ref, ids: { ...ref.ids, auditId: scalarText(res.auditid) } }, status: 'IN_REVIEW', nativeStatus: '2', response: res };
  }

  async withdrawReview(ctx: Ctx, _ref: HostVersionRef): Promise<void> {
    try {
      await this.client.call(ctx.credentials, 'withdrawReview', { method: 'GET', path: '/wxa/undocodeaudit' });
    } catch (err) {
      // 87013 is both the daily and the monthly cap (§4): the ledger tells which, so the retry time is right.
      if (err instanceof HostError && err.nativeCode === '87013') throw await this.undoLedger.refused(ctx.credentials, err);
      throw err;
    }
    await this.undoLedger.used(ctx.credentials);
  }

  async speedUpReview(ctx: Ctx, ref: HostVersionRef): Promise<void> {
    const auditId = ref.ids.auditId ?? (await this.reviewStatus(ctx, ref)).ref.ids.auditId;
    if (!auditId)
      throw new HostError({
        host: 'WECHAT',
        kind: 'conflict',
        retryable: false,
        nativeCode: null,
        nativeMessage: 'no audit to speed up for this version',
        operation: 'speedUpReview',
      });
    await this.client.call(ctx.credentials, 'speedUpReview', { method: 'POST', path: '/wxa/speedupaudit', body: { auditid: Number(auditId) } });
  }

  async release(ctx: Ctx, _ref: HostVersionRef, options: ReleaseOptions = {}): Promise<ReleaseResult> {
    const pct = options.grayPercentage;
    if (pct === undefined) {
      const res = await this.client.call(ctx.credentials, 'release', { method: 'POST', path: '/wxa/release', body: {} });
      return { status: 'RELEASED', grayPercentage: null, response: res };
    }
    const gray = this.capabilities.grayRelease;
    if (!gray || !Number.isInteger(pct) || pct < gray.min || pct > gray.max) {
      throw new UnsupportedCapabilityError('WECHAT', 'grayRelease', `percentage must be a whole number in [${gray?.min}, ${gray?.max}], got ${pct}`);
    }
    const res = await this.client.call(ctx.credentials, 'release', { method: 'POST', path: '/wxa/grayrelease', body: { gray_percentage: pct } });
    return { status: 'GRAY', grayPercentage: pct, response: res };
  }

  async cancelGray(ctx: Ctx, _ref: HostVersionRef): Promise<void> {
    await this.client.call(ctx.credentials, 'cancelGray', { method: 'GET', path: '/wxa/revertgrayrelease' });
  }

  async rollback(ctx: Ctx, _ref: HostVersionRef): Promise<RollbackResult> {
    // Without app_version the host restores the previous release (§2).
    const res = await this.client.call(ctx.credentials, 'rollback', { method: 'GET', path: '/wxa/revertcoderelease' });
    const info = await this.versionInfo(ctx, 'rollback');
    return { restoredVersion: info.release, response: res };
  }

  async readListing(ctx: Ctx): Promise<LiveListing> {
    const info = await this.versionInfo(ctx, 'readListing');
    const plan = await this.client.call(ctx.credentials, 'readListing', { method: 'GET', path: '/wxa/getgrayreleaseplan' });
    const visit = await this.client.call(ctx.credentials, 'readListing', { method: 'POST', path: '/wxa/getvisitstatus', body: {} });
    let latest: WechatJson | null = null;
    try {
      latest = await this.client.call(ctx.credentials, 'readListing', { method: 'GET', path: '/wxa/get_latest_auditstatus' });
    } catch (err) {
      if (!(err instanceof HostError && (err.nativeCode === '85058' || err.nativeCode === '86001'))) throw err;
    }
    const p = (plan.gray_release_plan ?? {}) as Record<string, unknown>;
    // Plan status 1 running, 2 paused (§2); the plan does not name its version, the last approved audit does.
    const grayOn = (p.status === 1 || p.status === 2) && Number(p.gray_percentage) > 0;
    const latestVersion = typeof latest?.user_version === 'string' ? latest.user_version : null;
    const latestStatus = latest ? (normalizeAuditStatus(Number(latest.status))?.status ?? null) : null;
    const grayVersion = grayOn && latestStatus === 'APPROVED' ? latestVersion : null;
    const pending =
      latestVersion !== null &&
      latestVersion !== info.release &&
      latestVersion !== grayVersion &&
      (latestStatus === 'IN_REVIEW' || latestStatus === 'APPROVED');
    return {
      liveVersion: info.release,
      grayVersion,
      grayPercentage: grayVersion ? Number(p.gray_percentage) : null,
      visibility: visit.status === 1 ? 'VISIBLE' : visit.status === 0 ? 'HIDDEN' : 'UNKNOWN',
      pendingVersion: pending ? latestVersion : null,
      pendingStatus: pending ? latestStatus : null,
      response: { versionInfo: info.raw, grayPlan: plan, visitStatus: visit, latestAudit: latest },
    };
  }

  async analytics(ctx: Ctx, day: string): Promise<DailyAnalytics> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
    const date = day.replaceAll('-', '');
    // §7: the range must be exactly one day.
    const res = await this.client.call(ctx.credentials, 'analytics', {
      method: 'POST',
      path: '/datacube/getweanalysisappiddailyvisittrend',
      body: { begin_date: date, end_date: date },
      expect: 'list',
    });
    const row = (Array.isArray(res.list) ? res.list.find((r: { ref_date?: string }) => r.ref_date === date) : undefined) as Record<string, unknown> | undefined;
    const num = (k: string) => (row && typeof row[k] === 'number' ? row[k] : null);
    return {
      day,
      opens: num('session_cnt'),
      pageViews: num('visit_pv'),
      uniqueVisitors: num('visit_uv'),
      newVisitors: num('visit_uv_new'),
      avgStaySeconds: num('stay_time_uv'),
      response: res,
    };
  }

  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
    return parseWechatCallback(raw, secrets);
  }

  readBasicInfo(ctx: Ctx): Promise<BasicInfoSnapshot> {
    return this.basicInfo.read(ctx.credentials);
  }

  applyBasicInfo(ctx: Ctx, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    return this.basicInfo.apply(ctx.credentials, change);
  }

  basicInfoReviewStatus(ctx: Ctx, review: BasicInfoReviewRef): Promise<BasicInfoReviewState> {
    return this.basicInfo.reviewStatus(ctx.credentials, review);
  }

  async probe(ctx: Ctx): Promise<void> {
    await this.client.call(ctx.credentials, 'probe', { method: 'GET', path: '/wxa/queryquota' });
  }

  async findUpload(ctx: Ctx, version: VersionSpec): Promise<UploadResult | null> {
    // getversioninfo names the experience version: the last commit this platform made.
    const info = await this.client.call(ctx.credentials, 'findUpload', { method: 'POST', path: '/wxa/getversioninfo', body: {} });
    const exp = (info.exp_info ?? {}) as Record<string, unknown>;
    if (exp.exp_version !== version.version) return null;
    const ids: Record<string, string> = version.artifact.kind === 'TEMPLATE' ? { templateId: version.artifact.templateId } : {};
    return { ref: { version: version.version, ids }, status: 'UPLOADED', nativeStatus: 'exp_version', response: info };
  }

  private async versionInfo(ctx: Ctx, operation: string): Promise<{ release: string | null; raw: WechatJson }> {
    const raw = await this.client.call(ctx.credentials, operation, { method: 'POST', path: '/wxa/getversioninfo', body: {} });
    const rel = (raw.release_info ?? {}) as Record<string, unknown>;
    // Community: release_version may be absent or empty before the first release.
    return { release: typeof rel.release_version === 'string' && rel.release_version !== '' ? rel.release_version : null, raw };
  }
}
