import {
  HostError,
  UnsupportedCapabilityError,
  type AdapterOptions,
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
import { parseBaiduCallback } from './baidu.callbacks.js';
import { BaiduClient } from './baidu.client.js';
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
const ONLINE = 1;
const REVIEW_OR_PASSED = [4, 6];
const UPLOAD_SETTLE_MS = 4_000;
const UPLOAD_POLL_MS = 200;

/** Baidu smart-program TP: package management on behalf of authorized apps (alipay-baidu-bytedance.md B2). */
export class BaiduAdapter implements HostAdapter<BaiduCredentials> {
  readonly hostId = 'BAIDU' as const;
  readonly capabilities = BAIDU_CAPABILITIES;
  private readonly client: BaiduClient;

  private readonly uploadSettleMs: number;

  /** `tuning.uploadSettleMs`: how long upload waits for the build (tests set 0 to drive the polling path). */
  constructor(options: AdapterOptions, tuning: { uploadSettleMs?: number } = {}) {
    this.client = new BaiduClient({ ...options, now: options.now ?? (() => new Date()) });
    this.uploadSettleMs = tuning.uploadSettleMs ?? UPLOAD_SETTLE_MS;
  }

  validate(definition: ListingDefinition, version: VersionSpec): Violation[] {
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
      ref: withIds(ref, { packageId: packageIdOf(item) }),
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
      ref = withIds(ref, { packageId: packageIdOf(item) });
    }
    if (!item) return { status: 'FAILED', ref, reason: 'the host no longer lists this package', nativeStatus: null, response: null };
    const normalized = normalizePackage(item);
    if (!normalized)
      throw new HostError({
        host: 'BAIDU',
        kind: 'unavailable',
        retryable: true,
        nativeCode: null,
        nativeMessage: `unknown package status ${String(item.status)}`,
        operation: 'reviewStatus',
      });
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
        throw new HostError({
          host: 'BAIDU',
          kind: 'unavailable',
          retryable: true,
          nativeCode: null,
          nativeMessage: `unexpected package state ${normalized}`,
          operation: 'reviewStatus',
        });
    }
  }

  async submitForReview(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult> {
    const packageId = await this.packageIdFor(ctx, ref, 'submitForReview');
    // `content` is the audit description (B2); the release notes say what changed.
    const res = await this.client.call(ctx.credentials, 'submitForReview', {
      method: 'POST',
      path: `${P}/submitaudit`,
      params: { package_id: packageId, content: version.releaseNotes },
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
    // The online package is rolled back to its `rollback_version` (B2 list fields); the ref may be stale, the host is not.
    const online = await this.online(ctx, 'rollback');
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

  async analytics(_ctx: Ctx, _day: string): Promise<DailyAnalytics> {
    throw new UnsupportedCapabilityError('BAIDU', 'analytics', 'no TP analytics API is documented (B2)');
  }

  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
    return parseBaiduCallback(raw, secrets);
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
