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
import { AlipayBasicInfo } from './alipay.basic-info.js';
import { parseAlipayCallback } from './alipay.callbacks.js';
import { alipayCategoryFor } from './alipay.categories.js';
import { AlipayClient, type AlipayJson } from './alipay.client.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { ALIPAY_BUNDLE_ID, ALIPAY_CAPABILITIES, ALIPAY_REGION_TYPE } from './alipay.profile.js';
import { ALIPAY_BUILD_STATUS, ALIPAY_GRAY_STRATEGIES, ALIPAY_VERSION_STATUS, grayPercentageOf, validateAlipayListing } from './alipay.rules.js';
import { scalarText } from '../core/index.js';

type Ctx = CallContext<AlipayCredentials>;

const M = 'alipay.open.mini.';
// Set on the ref by submitForReview: an INIT version we submitted was withdrawn (A2.4).
const SUBMITTED = 'submitted';

/** The statuses readListing and the rollback read-back need from version.list.query (A2.3). */
export const LISTED_VERSION_STATUSES = ['RELEASE', 'GRAY', 'AUDITING', 'WAIT_RELEASE', 'BASE_AUDIT_PASS', 'AUDIT_REJECT', 'INIT', 'OFFLINE'] as const;

// An answer whose status we do not know is in no documented shape: never retried, kept as evidence.
const unavailable = (message: string, operation: string, raw?: unknown) =>
  unexpectedAnswer({ host: 'ALIPAY', operation, detail: message, raw: raw === undefined ? null : JSON.stringify(raw) });

/** Alipay open platform, gateway 2.0: mini-program versions on behalf of merchants (shared/hosts Part A). */
export class AlipayAdapter implements HostAdapter<AlipayCredentials> {
  readonly hostId = 'ALIPAY' as const;
  readonly capabilities = ALIPAY_CAPABILITIES;
  private readonly client: AlipayClient;
  private readonly basicInfo: AlipayBasicInfo;

  constructor(options: AdapterOptions) {
    this.client = new AlipayClient({
      baseUrl: options.baseUrl,
      http: options.http,
      now: options.now ?? (() => new Date()),
      logger: options.logger,
      timeoutMs: options.timeoutMs,
    });
    this.basicInfo = new AlipayBasicInfo(this.client);
  }

  validate(definition: ListingDefinition, version?: VersionSpec): Violation[] {
    return validateAlipayListing(definition, version);
  }

  async upload(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec): Promise<UploadResult> {
    const art = version.artifact;
    if (art.kind !== 'TEMPLATE')
      throw new UnsupportedCapabilityError('ALIPAY', 'artifact kind PACKAGE', 'an ISV builds merchant mini-programs from a template (A2 upload)');
    // A2: ext is a JSON string; template_version omitted = the template's latest online version.
    const res = await this.call(ctx, 'upload', 'version.upload', {
      app_version: version.version,
      template_id: art.templateId,
      ext: JSON.stringify(art.extJson),
      bundle_id: ALIPAY_BUNDLE_ID,
    });
    const build = ALIPAY_BUILD_STATUS[String(res.build_status)];
    if (build?.review === 'FAILED')
      throw new HostError({
        host: 'ALIPAY',
        kind: 'invalid',
        retryable: false,
        nativeCode: `build_status ${String(res.build_status)}`,
        nativeMessage: `template build ${build.meaning}`,
        operation: 'upload',
      });
    const ref: HostVersionRef = { version: version.version, ids: { appVersion: version.version, templateId: art.templateId, bundleId: ALIPAY_BUNDLE_ID } };
    return {
      ref,
      status: build?.review === 'UPLOADED' ? 'UPLOADED' : 'UPLOADING',
      nativeStatus: `build_status ${scalarText(res.build_status)}`,
      response: res,
    };
  }

  async reviewStatus(ctx: Ctx, ref: HostVersionRef): Promise<ReviewState> {
    const detail = await this.detail(ctx, 'reviewStatus', ref.version);
    const native = scalarText(detail.status);
    const row = ALIPAY_VERSION_STATUS[native];
    if (!row) throw unavailable(`unknown version status ${native}`, 'reviewStatus', detail);
    const reason = typeof detail.reject_reason === 'string' && detail.reject_reason !== '' ? detail.reject_reason : null;
    if (native !== 'INIT') return { status: row.review, ref, reason, nativeStatus: native, response: detail };
    if (ref.ids[SUBMITTED] === 'true') return { status: 'WITHDRAWN', ref, reason, nativeStatus: native, response: detail };
    // A2.1: an INIT version is usable only once build.query says build_status 2.
    const build = await this.call(ctx, 'reviewStatus', 'version.build.query', { app_version: ref.version, bundle_id: ALIPAY_BUNDLE_ID });
    const b = ALIPAY_BUILD_STATUS[String(build.build_status)];
    if (!b) throw unavailable(`unknown build_status ${String(build.build_status)}`, 'reviewStatus', build);
    return {
      status: b.review,
      ref,
      reason: b.review === 'FAILED' ? `template build ${b.meaning}` : null,
      nativeStatus: `INIT/build_status ${String(build.build_status)}`,
      response: { detail, build },
    };
  }

  async submitForReview(ctx: Ctx, def: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult> {
    const category = alipayCategoryFor(def.category);
    // A2: audit.apply is an upload request: text fields are top-level form params, not biz_content.
    // Omitted fields keep their previous value (A2.2), so only what the definition holds is sent.
    const text: Record<string, string> = {
      app_version: version.version,
      version_desc: version.releaseNotes,
      app_name: def.name,
      app_slogan: def.slogan ?? '',
      app_desc: def.description,
      mini_category_ids: 'miniCategoryIds' in category ? category.miniCategoryIds : '',
      service_phone: def.servicePhone ?? '',
      service_email: def.serviceEmail ?? '',
      region_type: ALIPAY_REGION_TYPE,
      bundle_id: ALIPAY_BUNDLE_ID,
    };
    const apply = () => this.client.call(ctx.credentials, 'submitForReview', { method: `${M}version.audit.apply`, textParams: text });
    let res: AlipayJson;
    try {
      res = await apply();
    } catch (err) {
      // A2.4: a rejected version blocks submissions until audited.cancel puts it back to development;
      // resubmitting our own rejected version does exactly that first, then applies once more.
      if (!(err instanceof HostError && err.nativeCode === '40004/CAN_NOT_SUBMIT_WITH_AUDIT_GRAY')) throw err;
      const own = await this.detail(ctx, 'submitForReview', version.version);
      if (own.status !== 'AUDIT_REJECT') throw err;
      await this.call(ctx, 'submitForReview', 'version.audited.cancel', { app_version: version.version, bundle_id: ALIPAY_BUNDLE_ID });
      res = await apply();
    }
    return { ref: { ...ref, ids: { ...ref.ids, [SUBMITTED]: 'true' } }, status: 'IN_REVIEW', nativeStatus: 'AUDITING', response: res };
  }

  async withdrawReview(ctx: Ctx, ref: HostVersionRef): Promise<void> {
    await this.call(ctx, 'withdrawReview', 'version.audit.cancel', { app_version: ref.version, bundle_id: ALIPAY_BUNDLE_ID });
  }

  async speedUpReview(): Promise<void> {
    throw new UnsupportedCapabilityError('ALIPAY', 'speedUpReview', 'Alipay takes speed_up only at audit.apply time; there is no call for a running review');
  }

  async release(ctx: Ctx, ref: HostVersionRef, options: ReleaseOptions = {}): Promise<ReleaseResult> {
    const pct = options.grayPercentage;
    if (pct === undefined) {
      const res = await this.call(ctx, 'release', 'version.online', { app_version: ref.version, bundle_id: ALIPAY_BUNDLE_ID });
      return { status: 'RELEASED', grayPercentage: null, response: res };
    }
    const strategy = Number.isInteger(pct) ? ALIPAY_GRAY_STRATEGIES[pct] : undefined;
    if (!strategy)
      throw new UnsupportedCapabilityError(
        'ALIPAY',
        'grayRelease',
        `percentage must be one of ${Object.keys(ALIPAY_GRAY_STRATEGIES).join(', ')} (p10/p30/p50), got ${pct}`,
      );
    const res = await this.call(ctx, 'release', 'version.gray.online', { app_version: ref.version, gray_strategy: strategy, bundle_id: ALIPAY_BUNDLE_ID });
    return { status: 'GRAY', grayPercentage: pct, response: res };
  }

  async cancelGray(ctx: Ctx, ref: HostVersionRef): Promise<void> {
    await this.call(ctx, 'cancelGray', 'version.gray.cancel', { app_version: ref.version, bundle_id: ALIPAY_BUNDLE_ID });
  }

  async rollback(ctx: Ctx, ref: HostVersionRef): Promise<RollbackResult> {
    // A2.4: app_version is the current online version; the previous online one comes back.
    const res = await this.call(ctx, 'rollback', 'version.rollback', { app_version: ref.version, bundle_id: ALIPAY_BUNDLE_ID });
    let restoredVersion: string | null = null;
    try {
      restoredVersion = versionIn(await this.versions(ctx, 'rollback'), 'RELEASE');
    } catch (err) {
      // The rollback itself succeeded; the read-back is only a courtesy.
      if (!(err instanceof HostError)) throw err;
    }
    return { restoredVersion, response: res };
  }

  async readListing(ctx: Ctx): Promise<LiveListing> {
    const infos = await this.versions(ctx, 'readListing');
    const liveVersion = versionIn(infos, 'RELEASE');
    const grayVersion = versionIn(infos, 'GRAY');
    // list.query has no gray_strategy; detail.query does (A2.3).
    const grayDetail = grayVersion ? await this.detail(ctx, 'readListing', grayVersion) : null;
    const pending = infos.find((i) => ['AUDITING', 'WAIT_RELEASE', 'BASE_AUDIT_PASS'].includes(String(i.version_status)));
    return {
      liveVersion,
      grayVersion,
      grayPercentage: grayDetail ? grayPercentageOf(grayDetail.gray_strategy) : null,
      visibility: liveVersion ? 'VISIBLE' : 'HIDDEN',
      pendingVersion: pending ? String(pending.app_version) : null,
      pendingStatus: pending ? ALIPAY_VERSION_STATUS[String(pending.version_status)].submission : null,
      response: { versions: infos, grayDetail },
    };
  }

  async analytics(_ctx: Ctx, _day: string): Promise<DailyAnalytics> {
    throw new UnsupportedCapabilityError('ALIPAY', 'analytics', 'no visit statistics API in the documented open platform set');
  }

  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
    return parseAlipayCallback(raw, secrets);
  }

  async findUpload(ctx: Ctx, version: VersionSpec): Promise<UploadResult | null> {
    const ids: Record<string, string> = { appVersion: version.version, bundleId: ALIPAY_BUNDLE_ID };
    if (version.artifact.kind === 'TEMPLATE') ids.templateId = version.artifact.templateId;
    const ref: HostVersionRef = { version: version.version, ids };
    // detail.query answers APP_VERSION_IS_BLANK both for a version the host never took and for one
    // still building (A3), so whether the upload took is read from list.query, which lists every
    // version the host holds (an uploaded one as INIT) and answers an empty list otherwise (A2).
    const listed = (await this.versions(ctx, 'findUpload')).some((i) => scalarText(i.app_version) === version.version);
    if (!listed) return null;
    const state = await this.reviewStatus(ctx, ref);
    if (state.status === 'FAILED') return null;
    return { ref, status: state.status === 'UPLOADING' ? 'UPLOADING' : 'UPLOADED', nativeStatus: state.nativeStatus ?? null, response: state.response };
  }

  readBasicInfo(ctx: Ctx): Promise<BasicInfoSnapshot> {
    return this.basicInfo.read(ctx.credentials);
  }

  applyBasicInfo(ctx: Ctx, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    return this.basicInfo.apply(ctx.credentials, change);
  }

  async basicInfoReviewStatus(_ctx: Ctx, review: BasicInfoReviewRef): Promise<BasicInfoReviewState> {
    return this.basicInfo.reviewStatus(review);
  }

  async probe(ctx: Ctx): Promise<void> {
    await this.client.call(ctx.credentials, 'probe', { method: `${M}baseinfo.query` });
  }

  private call(ctx: Ctx, operation: string, method: string, bizContent: Record<string, unknown>): Promise<AlipayJson> {
    return this.client.call(ctx.credentials, operation, { method: `${M}${method}`, bizContent });
  }

  private detail(ctx: Ctx, operation: string, appVersion: string): Promise<AlipayJson> {
    return this.call(ctx, operation, 'version.detail.query', { app_version: appVersion, bundle_id: ALIPAY_BUNDLE_ID });
  }

  private async versions(ctx: Ctx, operation: string): Promise<Array<Record<string, unknown>>> {
    // version_status is "可选；不填默认不返回" (optional; when absent nothing is returned: JAVA-m
    // AlipayOpenMiniVersionListQueryModel), so every status the listing reads is asked for.
    const res = await this.call(ctx, operation, 'version.list.query', { bundle_id: ALIPAY_BUNDLE_ID, version_status: LISTED_VERSION_STATUSES.join(',') });
    const infos = res.app_version_infos;
    return Array.isArray(infos) ? (infos.filter((i) => typeof i === 'object' && i !== null) as Array<Record<string, unknown>>) : [];
  }
}

function versionIn(infos: Array<Record<string, unknown>>, status: string): string | null {
  const hit = infos.find((i) => i.version_status === status);
  return hit ? String(hit.app_version) : null;
}
