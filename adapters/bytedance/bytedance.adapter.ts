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
import { BytedanceBasicInfo } from './bytedance.basic-info.js';
import { parseBytedanceCallback } from './bytedance.callbacks.js';
import { BytedanceClient, dataOf } from './bytedance.client.js';
import type { BytedanceCredentials } from './bytedance.credentials.js';
import { BYTEDANCE_CAPABILITIES } from './bytedance.profile.js';
import { INT64_MAX, isInt64TemplateId, validateBytedanceListing } from './bytedance.rules.js';
import { liveListingFrom, parseVersions, reviewStateFor, type VersionSlots } from './bytedance.versions.js';

type Ctx = CallContext<BytedanceCredentials>;

// C2 V2 paths. The audit path is a CONFLICT (doc v2, DY-skit v1): the doc's is used; change it here.
export const BYTEDANCE_PATHS = {
  upload: '/api/apps/v1/package_version/upload/',
  auditHosts: '/api/apps/v1/package_version/get_audit_hosts/',
  audit: '/api/apps/v2/package_version/audit/',
  revokeAudit: '/api/apps/v1/package_version/revoke_audit/',
  release: '/api/apps/v1/package_version/release/',
  rollback: '/api/apps/v1/package_version/rollback/',
  versions: '/api/apps/v1/package_version/versions/',
} as const;

const P = BYTEDANCE_PATHS;
const unsupported = (capability: string, detail: string) => new UnsupportedCapabilityError('BYTEDANCE', capability, detail);

/** Douyin third-party mini-app platform, V2 API: one test / audit / online slot per app (Part D). */
export class BytedanceAdapter implements HostAdapter<BytedanceCredentials> {
  readonly hostId = 'BYTEDANCE' as const;
  readonly capabilities = BYTEDANCE_CAPABILITIES;
  private readonly client: BytedanceClient;
  private readonly basicInfo: BytedanceBasicInfo;
  private readonly now: () => Date;

  constructor(options: AdapterOptions) {
    this.now = options.now ?? (() => new Date());
    this.client = new BytedanceClient({ ...options, now: this.now });
    this.basicInfo = new BytedanceBasicInfo(this.client);
  }

  validate(definition: ListingDefinition, version?: VersionSpec): Violation[] {
    return validateBytedanceListing(definition, version);
  }

  async upload(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec): Promise<UploadResult> {
    const art = version.artifact;
    if (art.kind !== 'TEMPLATE') throw unsupported('artifact kind PACKAGE', 'third-party mini-apps upload from a code template');
    if (!isInt64TemplateId(art.templateId)) {
      throw new HostError({
        host: 'BYTEDANCE',
        kind: 'invalid',
        retryable: false,
        nativeCode: null,
        nativeMessage: `template_id must be a positive int64 (at most ${INT64_MAX}), got ${art.templateId}`,
        operation: 'upload',
      });
    }
    // C2: template_id is an int64 and ext_json a JSON string. Template ids exceed 2^53 (SDK sample
    // 9133504853504535288), so the id stays a string and goes on the wire as its exact digits (a
    // bigint, which the client writes digit for digit). Part D: whether the upload is synchronous is
    // UNCONFIRMED; the versions API shows it as `latest` right away, so UPLOADED.
    const res = await this.client.call(ctx.credentials, 'upload', {
      method: 'POST',
      path: P.upload,
      body: { template_id: BigInt(art.templateId), user_version: version.version, user_desc: version.releaseNotes, ext_json: JSON.stringify(art.extJson) },
    });
    return { ref: { version: version.version, ids: { templateId: art.templateId } }, status: 'UPLOADED', nativeStatus: 'latest', response: res };
  }

  async reviewStatus(ctx: Ctx, ref: HostVersionRef): Promise<ReviewState> {
    const { slots, response } = await this.versions(ctx, 'reviewStatus');
    return { ...reviewStateFor(slots, ref), response };
  }

  async submitForReview(ctx: Ctx, _definition: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult> {
    // C2: hosts not submitted will not show the app, so submit to every host the app may be audited for.
    const hosts = dataOf(await this.client.call(ctx.credentials, 'submitForReview', { method: 'GET', path: P.auditHosts }), 'submitForReview');
    const hostNames = Array.isArray(hosts.host_names) ? hosts.host_names.filter((h): h is string => typeof h === 'string') : [];
    if (hostNames.length === 0) {
      throw new HostError({
        host: 'BYTEDANCE',
        kind: 'conflict',
        retryable: false,
        nativeCode: null,
        nativeMessage: 'get_audit_hosts lists no host to submit to',
        operation: 'submitForReview',
      });
    }
    const res = await this.client.call(ctx.credentials, 'submitForReview', {
      method: 'POST',
      path: P.audit,
      body: { host_names: hostNames, audit_note: version.releaseNotes, audit_way: 0 },
    });
    return {
      ref: { version: ref.version, ids: { ...ref.ids, hostNames: hostNames.join(',') } },
      status: 'IN_REVIEW',
      nativeStatus: 'audit.status 0',
      response: res,
    };
  }

  async withdrawReview(ctx: Ctx, _ref: HostVersionRef): Promise<void> {
    await this.client.call(ctx.credentials, 'withdrawReview', { method: 'POST', path: P.revokeAudit, body: {} });
  }

  async speedUpReview(_ctx: Ctx, _ref: HostVersionRef): Promise<void> {
    throw unsupported('speedUpReview', 'no speed-up API is documented for third-party mini-apps');
  }

  async release(ctx: Ctx, _ref: HostVersionRef, options?: ReleaseOptions): Promise<ReleaseResult> {
    if (options?.grayPercentage !== undefined) throw unsupported('grayRelease', 'no gray release API is confirmed (Part D); host_gray_scale is read only');
    const res = await this.client.call(ctx.credentials, 'release', { method: 'POST', path: P.release, body: {} });
    // How soon the release shows in `current` is not documented: the gateway confirms with readListing.
    return { status: 'RELEASING', response: res };
  }

  async cancelGray(_ctx: Ctx, _ref: HostVersionRef): Promise<void> {
    throw unsupported('grayRelease', 'no gray release API is confirmed (Part D)');
  }

  async rollback(ctx: Ctx, _ref: HostVersionRef): Promise<RollbackResult> {
    // C2: the host refuses the first online version and a second rollback per release; its error says so.
    const res = await this.client.call(ctx.credentials, 'rollback', { method: 'POST', path: P.rollback, body: {} });
    // The rollback takes 3-5 min to apply (C2): the restored version is read back later, not guessed.
    return { restoredVersion: null, response: res };
  }

  async readListing(ctx: Ctx): Promise<LiveListing> {
    const { slots, response } = await this.versions(ctx, 'readListing');
    return { ...liveListingFrom(slots), response };
  }

  async analytics(_ctx: Ctx, _day: string): Promise<DailyAnalytics> {
    throw unsupported('analytics', 'no analytics API is documented for third-party mini-apps');
  }

  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback {
    return parseBytedanceCallback(raw, secrets, this.now());
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
    await this.versions(ctx, 'probe');
  }

  async findUpload(ctx: Ctx, version: VersionSpec): Promise<UploadResult | null> {
    const { slots, response } = await this.versions(ctx, 'findUpload');
    if (slots.latest?.version !== version.version) return null;
    const ids: Record<string, string> = version.artifact.kind === 'TEMPLATE' ? { templateId: version.artifact.templateId } : {};
    return { ref: { version: version.version, ids }, status: 'UPLOADED', nativeStatus: 'latest', response };
  }

  private async versions(ctx: Ctx, operation: string): Promise<{ slots: VersionSlots; response: unknown }> {
    const res = await this.client.call(ctx.credentials, operation, { method: 'GET', path: P.versions });
    return { slots: parseVersions(dataOf(res, operation)), response: res };
  }
}
