import {
  HostError,
  UnsupportedCapabilityError,
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
import { BaiduBasicInfo } from './baidu.basic-info.js';
import { parseBaiduCallback } from './baidu.callbacks.js';
import { BaiduClient } from './baidu.client.js';
import { malformedAnswer } from './baidu.errors.js';
import type { BaiduCredentials } from './baidu.credentials.js';
import {
  findPackage,
  idsWithVersion,
  nativeOf,
  newestIn,
  packageIdOf,
  packageItem,
  packageList,
  str,
  uploadFailed,
  withIds,
  type BaiduPackage,
} from './baidu.packages.js';
import { BAIDU_CAPABILITIES } from './baidu.profile.js';
import { normalizePackage, validateBaiduListing } from './baidu.rules.js';

type Ctx = CallContext<BaiduCredentials>;

const P = '/rest/2.0/smartapp/package';
export const ANALYTICS_USER_TREND = '/rest/2.0/smartapp/data/getanalysisusertrend';
const ONLINE = 1;
const REVIEW_OR_PASSED = [4, 6];
const UPLOAD_SETTLE_MS = 4_000;
const UPLOAD_POLL_MS = 200;

/** Baidu smart-program TP: package management on behalf of authorized apps (alipay-baidu-bytedance.md B2). */
export class BaiduAdapter implements HostAdapter<BaiduCredentials> {
  readonly hostId = 'BAIDU' as const;
  readonly capabilities = BAIDU_CAPABILITIES;
  private readonly client: BaiduClient;
  private readonly basicInfo: BaiduBasicInfo;

  private readonly uploadSettleMs: number;

  /** `tuning.uploadSettleMs`: how long upload waits for the build (tests set 0 to drive the polling path). */
  constructor(options: AdapterOptions, tuning: { uploadSettleMs?: number } = {}) {
    this.client = new BaiduClient({ ...options, now: options.now ?? (() => new Date()) });
    this.basicInfo = new BaiduBasicInfo(this.client);
    this.uploadSettleMs = tuning.uploadSettleMs ?? UPLOAD_SETTLE_MS;
  }

  validate(definition: ListingDefinition, version?: VersionSpec): Violation[] {
    return validateBaiduListing(definition, version);
  }

  async upload(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec): Promise<UploadResult> {
    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') throw new UnsupportedCapabilityError('BAIDU', 'artifact kind PACKAGE', 'a Baidu TP uploads from a code template');
    // Upload is asynchronous and answers no package id (B2): remember which packages already carry
    // this user_version, so the new one is recognised in package/get afterwards.
    const supersedes = idsWithVersion(await this.packages(ctx, 'upload'), version.version).join(',');
    // B2 ext_json keys: extEnable and extAppid are required.
    const ext = { extEnable: true, extAppid: ctx.credentials.appId, ...art.extJson };
    const res = await this.client.call(ctx.credentials, 'upload', {
      method: 'POST',
      path: `${P}/upload`,
      params: { template_id: art.templateId, ext_json: JSON.stringify(ext), user_version: version.version, user_desc: version.releaseNotes },
    });
    const ref: HostVersionRef = { version: version.version, ids: { templateId: art.templateId, ...(supersedes ? { supersedes } : {}) } };
    const item = await this.settledUpload(ctx, ref);
    if (!item) return { ref, status: 'UPLOADING', nativeStatus: null, response: res };
    const status = normalizePackage(item);
    if (status === 'FAILED') throw uploadFailed(item);
    return {
      ref: packageIdOf(item) !== '' ? withIds(ref, { packageId: packageIdOf(item) }) : ref,
      status: status === 'UPLOADING' ? 'UPLOADING' : 'UPLOADED',
      nativeStatus: nativeOf(item),
      response: item,
    };
  }

  async reviewStatus(ctx: Ctx, ref: HostVersionRef): Promise<ReviewState> {
    let item: BaiduPackage | null;
    if (ref.ids.packageId) {
      const res = await this.client.call(ctx.credentials, 'reviewStatus', { method: 'GET', path: `${P}/getdetail`, params: { package_id: ref.ids.packageId } });
      item = packageItem(res.data);
    } else {
      item = findPackage(await this.packages(ctx, 'reviewStatus'), ref);
      if (!item) return { status: 'UPLOADING', ref, nativeStatus: null, response: null };
      // An item still uploading is listed without package_id (fixture package.get.success).
      if (packageIdOf(item) !== '') ref = withIds(ref, { packageId: packageIdOf(item) });
    }
    if (!item) return { status: 'FAILED', ref, reason: 'the host no longer lists this package', nativeStatus: null, response: null };
    const normalized = normalizePackage(item);
    if (!normalized) throw malformedAnswer(`unknown package status ${String(item.status)}`, 'reviewStatus', JSON.stringify(item));
    const reason = str(item.msg) ?? str(item.upload_err_msg);
    const base = { ref, nativeStatus: nativeOf(item), response: item, screenshots: [] as string[] };
    switch (normalized) {
      // B2 has no "withdrawn" status: a withdrawn package is back in development, which a submitted ref tells apart.
      case 'UPLOADED':
        return { ...base, status: ref.ids.submitted ? 'WITHDRAWN' : 'UPLOADED' };
      case 'RELEASED':
      case 'RELEASING':
      case 'GRAY':
        return { ...base, status: 'APPROVED' };
      case 'REJECTED':
      case 'FAILED':
        return { ...base, status: normalized, reason };
      case 'UPLOADING':
      case 'IN_REVIEW':
      case 'APPROVED':
        return { ...base, status: normalized };
      default:
        throw malformedAnswer(`unexpected package state ${normalized}`, 'reviewStatus', JSON.stringify(item));
    }
  }

  async submitForReview(ctx: Ctx, definition: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult> {
    const packageId = await this.packageIdFor(ctx, ref, 'submitForReview');
    // B2: `content` (the audit description: the release notes say what changed) and `remark` are
    // both required (third/apppage.md; official Go submitPackageAudit.go and PHP clients send it).
    const res = await this.client.call(ctx.credentials, 'submitForReview', {
      method: 'POST',
      path: `${P}/submitaudit`,
      params: { package_id: packageId, content: version.releaseNotes, remark: submitRemark(definition, version) },
    });
    return { ref: withIds(ref, { packageId, submitted: '1' }), status: 'IN_REVIEW', nativeStatus: '4', response: res };
  }

  async withdrawReview(ctx: Ctx, ref: HostVersionRef): Promise<void> {
    const packageId = await this.packageIdFor(ctx, ref, 'withdrawReview');
    await this.client.call(ctx.credentials, 'withdrawReview', { method: 'POST', path: `${P}/withdraw`, params: { package_id: packageId } });
  }

  async speedUpReview(): Promise<void> {
    throw new UnsupportedCapabilityError('BAIDU', 'speedUpReview', 'no expedited review API is documented (B2)');
  }

  async release(ctx: Ctx, ref: HostVersionRef, options: ReleaseOptions = {}): Promise<ReleaseResult> {
    if (options.grayPercentage !== undefined) throw new UnsupportedCapabilityError('BAIDU', 'grayRelease', 'gray release is console-only on Baidu (B2)');
    const packageId = await this.packageIdFor(ctx, ref, 'release');
    const res = await this.client.call(ctx.credentials, 'release', { method: 'POST', path: `${P}/release`, params: { package_id: packageId } });
    return { status: 'RELEASED', grayPercentage: null, nativeStatus: String(ONLINE), response: res };
  }

  async cancelGray(): Promise<void> {
    throw new UnsupportedCapabilityError('BAIDU', 'grayRelease', 'gray release is console-only on Baidu (B2)');
  }

  async rollback(ctx: Ctx, _ref: HostVersionRef): Promise<RollbackResult> {
    // The online package is rolled back to its `rollback_version`, which package/get lists (getdetail
    // does not: fixtures package.get.success, package.getdetail.success); the ref may be stale, the host is not.
    const online = newestIn(await this.packages(ctx, 'rollback'), [ONLINE]);
    if (!online)
      throw new HostError({
        host: 'BAIDU',
        kind: 'conflict',
        retryable: false,
        nativeCode: null,
        nativeMessage: 'no online package to roll back',
        operation: 'rollback',
      });
    const res = await this.client.call(ctx.credentials, 'rollback', { method: 'POST', path: `${P}/rollback`, params: { package_id: packageIdOf(online) } });
    return { restoredVersion: str(online.rollback_version), nativeStatus: '8', response: res };
  }

  async readListing(ctx: Ctx): Promise<LiveListing> {
    const online = await this.online(ctx, 'readListing');
    const list = await this.packages(ctx, 'readListing');
    const pending = newestIn(list, REVIEW_OR_PASSED);
    return {
      liveVersion: online ? str(online.version) : null,
      // B2: gray release is console-only and not reported by the TP APIs.
      grayVersion: null,
      grayPercentage: null,
      visibility: online ? 'VISIBLE' : 'HIDDEN',
      pendingVersion: pending ? str(pending.version) : null,
      pendingStatus: pending ? normalizePackage(pending) : null,
      nativeStatus: online ? nativeOf(online) : null,
      response: { online, packages: list },
    };
  }

  /**
   * One day of the user trend (`POST /rest/2.0/smartapp/data/getanalysisusertrend`, official Go client
   * openapi/tp/analysis/getAnalysisUserTrend.go): gran=day over [day, day]. The trend has no page
   * views, so pageViews is null; the stay is per user (session_time_per_person, seconds).
   */
  async analytics(ctx: Ctx, day: string): Promise<DailyAnalytics> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`day must be YYYY-MM-DD, got ${day}`);
    const date = day.replaceAll('-', '');
    const res = await this.client.call(ctx.credentials, 'analytics', {
      method: 'POST',
      path: ANALYTICS_USER_TREND,
      params: { start_date: date, end_date: date, gran: 'day', start_index: '0' },
    });
    const data = res.data;
    if (typeof data !== 'object' || data === null || !Array.isArray((data as Record<string, unknown>).data_list)) {
      throw malformedAnswer('user trend answer lacks data.data_list', 'analytics', JSON.stringify(res));
    }
    // Rows are named by day as `yyyy/MM/dd` (fixture data.usertrend.success).
    const rows = (data as { data_list: unknown[] }).data_list.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
    const row = rows.find((r) => r.name === day.replaceAll('-', '/'));
    const num = (k: string) =>
      row && typeof row[k] === 'number'
        ? row[k]
        : row && typeof row[k] === 'string' && row[k] !== '' && Number.isFinite(Number(row[k]))
          ? Number(row[k])
          : null;
    return {
      day,
      opens: num('session_count'),
      pageViews: null,
      uniqueVisitors: num('user_count'),
      newVisitors: num('new_user_count'),
      avgStaySeconds: num('session_time_per_person'),
      response: res,
    };
  }

  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
    return parseBaiduCallback(raw, secrets);
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
    await this.client.call(ctx.credentials, 'probe', { method: 'GET', path: `${P}/auditquota` });
  }

  async findUpload(ctx: Ctx, version: VersionSpec): Promise<UploadResult | null> {
    const ref: HostVersionRef = { version: version.version, ids: version.artifact.kind === 'TEMPLATE' ? { templateId: version.artifact.templateId } : {} };
    const item = findPackage(await this.packages(ctx, 'findUpload'), ref);
    if (!item) return null;
    const status = normalizePackage(item);
    if (status === 'FAILED') return null;
    return {
      ref: withIds(ref, { packageId: packageIdOf(item) }),
      status: status === 'UPLOADING' ? 'UPLOADING' : 'UPLOADED',
      nativeStatus: nativeOf(item),
      response: item,
    };
  }

  private async packages(ctx: Ctx, operation: string): Promise<BaiduPackage[]> {
    return packageList((await this.client.call(ctx.credentials, operation, { method: 'GET', path: `${P}/get` })).data);
  }

  // B2: the upload finishes in about 3 s; waiting that long here saves the gateway a polling round.
  // Past the bound the version stays UPLOADING and reviewStatus keeps polling.
  private async settledUpload(ctx: Ctx, ref: HostVersionRef): Promise<BaiduPackage | null> {
    const deadline = Date.now() + this.uploadSettleMs;
    for (;;) {
      const item = findPackage(await this.packages(ctx, 'upload'), ref);
      if ((item && normalizePackage(item) !== 'UPLOADING') || Date.now() >= deadline) return item;
      await new Promise((r) => setTimeout(r, UPLOAD_POLL_MS));
    }
  }

  private async online(ctx: Ctx, operation: string): Promise<BaiduPackage | null> {
    const res = await this.client.call(ctx.credentials, operation, { method: 'GET', path: `${P}/getdetail`, params: { type: String(ONLINE) } });
    return packageItem(res.data);
  }

  private async packageIdFor(ctx: Ctx, ref: HostVersionRef, operation: string): Promise<string> {
    if (ref.ids.packageId) return ref.ids.packageId;
    const item = findPackage(await this.packages(ctx, operation), ref);
    if (!item)
      throw new HostError({
        host: 'BAIDU',
        kind: 'conflict',
        retryable: true,
        retryAfterMs: 3_000,
        nativeCode: null,
        nativeMessage: `no package for ${ref.version} yet (upload still running)`,
        operation,
      });
    return packageIdOf(item);
  }
}

/** submitaudit `remark` (备注, required): which definition and version this package is, for the reviewer. */
export function submitRemark(definition: ListingDefinition, version: VersionSpec): string {
  return `${definition.name} ${version.version}`;
}
