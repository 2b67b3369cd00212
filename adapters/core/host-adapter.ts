import type { AnswerFixtureSet } from './answer-fixtures.js';
import type { BasicInfoApplyResult, BasicInfoChange, BasicInfoReviewRef, BasicInfoReviewState, BasicInfoSnapshot } from './basic-info.js';
import type { CallbackSecrets, ParsedCallback, RawCallback } from './callbacks.js';
import type { HostCapabilities } from './capabilities.js';
import type { HostId } from './host-id.js';
import type { HttpTransport } from './http.js';
import type {
  DailyAnalytics,
  HostVersionRef,
  ListingDefinition,
  LiveListing,
  ReleaseOptions,
  ReleaseResult,
  ReviewState,
  RollbackResult,
  SubmitResult,
  UploadResult,
  VersionSpec,
  Violation,
} from './listing.js';
import type { TokenStore } from './token-store.js';

/** Logger shape adapters use; never pass credentials or tokens to it. */
export interface AdapterLogger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export const silentLogger: AdapterLogger = { debug: () => undefined, warn: () => undefined };

/** Everything an adapter needs from outside, given once when the registry builds it. */
export interface AdapterOptions {
  /** Base URL of the host's API (the real host in production, a sandbox in tests). */
  baseUrl: string;
  http: HttpTransport;
  tokenStore: TokenStore;
  now?: () => Date;
  logger?: AdapterLogger;
  /** Per-call deadline in milliseconds. */
  timeoutMs?: number;
}

/** One call on behalf of one merchant app: who it is and the credentials to act for it. */
export interface CallContext<C> {
  hostAppId: string;
  credentials: C;
}

/**
 * The contract every host implements. Adapters are stateless apart from the injected token
 * store: credentials come with each call, so one instance serves every tenant.
 *
 * Rules for implementers:
 * - Throw `HostError` for every failure at the host (map native codes to a kind, keep the
 *   native code, message and request id); never return an error as data.
 * - Throw `UnsupportedCapabilityError` before any network call when `capabilities` says no.
 * - `validate` is pure and returns every violation, not only the first.
 * - Never put credentials or tokens into errors, logs or evidence.
 */
export interface HostAdapter<C = unknown> {
  readonly hostId: HostId;
  readonly capabilities: HostCapabilities;

  /**
   * Checks a definition and a version against the host's listing rules. Pure. Without a version
   * only the definition's rules are checked (what listing sync changes on a live app).
   */
  validate(definition: ListingDefinition, version?: VersionSpec): Violation[];

  /** Uploads the code (template instantiation) and returns the host's ids for the version. */
  upload(ctx: CallContext<C>, definition: ListingDefinition, version: VersionSpec): Promise<UploadResult>;

  /** Reads the state of an uploaded or submitted version (build status, review result). */
  reviewStatus(ctx: CallContext<C>, ref: HostVersionRef): Promise<ReviewState>;

  submitForReview(ctx: CallContext<C>, definition: ListingDefinition, version: VersionSpec, ref: HostVersionRef): Promise<SubmitResult>;

  withdrawReview(ctx: CallContext<C>, ref: HostVersionRef): Promise<void>;

  speedUpReview(ctx: CallContext<C>, ref: HostVersionRef): Promise<void>;

  /** Full release, or gray when `options.grayPercentage` is set (checked against capabilities). */
  release(ctx: CallContext<C>, ref: HostVersionRef, options?: ReleaseOptions): Promise<ReleaseResult>;

  /** Stops a gray release; users in the slice go back to the previous version. */
  cancelGray(ctx: CallContext<C>, ref: HostVersionRef): Promise<void>;

  /** Puts the previously released version back live. */
  rollback(ctx: CallContext<C>, ref: HostVersionRef): Promise<RollbackResult>;

  /** Reads back what is really live on the host. */
  readListing(ctx: CallContext<C>): Promise<LiveListing>;

  /** Visit figures for one day (`YYYY-MM-DD`). */
  analytics(ctx: CallContext<C>, day: string): Promise<DailyAnalytics>;

  /**
   * Verifies and decrypts a push. Throws `CallbackRejectedError` when the signature, the
   * app id or the envelope is wrong; nothing from such a push may be applied.
   */
  parseCallback(raw: RawCallback, secrets: CallbackSecrets): ParsedCallback;

  /** A cheap authenticated read used by health checks. */
  probe(ctx: CallContext<C>): Promise<void>;

  /**
   * Whether the host already has `version` uploaded, read from the host: what the gateway asks
   * after an upload whose answer was lost (timeout, reset) before it would upload again. Null
   * when the host has no such upload.
   */
  findUpload(ctx: CallContext<C>, version: VersionSpec): Promise<UploadResult | null>;

  /**
   * What the host shows users now (name, description, icon, categories, contacts), with the
   * changes still in review and what is left of each field's quota, where the host reports them.
   */
  readBasicInfo(ctx: CallContext<C>): Promise<BasicInfoSnapshot>;

  /**
   * Changes one field on the host (one field per call, see basic-info.ts). Refuses a field that
   * `capabilities.basicInfo` says is not changeable with `UnsupportedCapabilityError`, before any
   * network call; an icon of a type the host does not take is `invalid`.
   */
  applyBasicInfo(ctx: CallContext<C>, change: BasicInfoChange): Promise<BasicInfoApplyResult>;

  /** Where the review of a change stands (by its id where the host has one, else by reading back). */
  basicInfoReviewStatus(ctx: CallContext<C>, review: BasicInfoReviewRef): Promise<BasicInfoReviewState>;
}

export class CallbackRejectedError extends Error {
  constructor(
    readonly host: HostId,
    readonly reason: 'signature' | 'app_id' | 'envelope' | 'decrypt' | 'unsupported',
    detail: string,
  ) {
    super(`${host} push refused (${reason}): ${detail}`);
    this.name = 'CallbackRejectedError';
  }
}

/** How a host folder exposes itself to the registry: one factory plus its options check. */
export interface HostAdapterFactory<C = unknown> {
  hostId: HostId;
  profile: HostProfile;
  /** Throws a readable error when options are unusable (bad base URL ...), at boot. */
  validateOptions(options: AdapterOptions): void;
  create(options: AdapterOptions): HostAdapter<C>;
  /** Checks a credentials object for this host; returns the problems, field by field. */
  checkCredentials(credentials: unknown): string[];
}

/** Calls in flight at once and calls started per second. */
export interface HostCallLimit {
  concurrency: number;
  perSecond: number;
}

/** Facts about a host that docs/hosts.md is generated from, kept in code beside the adapter. */
export interface HostProfile {
  displayName: string;
  /** Listing and lifecycle limits: `{ rule: 'name length', value: '4-30 (CJK counts 2)', source: 'shared/hosts/wechat.md §4' }`. */
  limits: Array<{ rule: string; value: string; source: string }>;
  /** Native status -> normalized status, as `<host>.rules.ts` maps it. */
  statusMapping: Array<{ native: string; normalized: string; note?: string }>;
  /**
   * Host calls the gateway allows itself, across all its processes: for the whole platform and
   * for one host app. Past them a step waits (it is not failed).
   */
  callLimits?: { platform: HostCallLimit; app: HostCallLimit; source: string };
  /** Protocol quirks the adapter handles. */
  quirks: string[];
  /** Readings chosen where shared/hosts marks a fact UNCONFIRMED or CONFLICT, and where to change them. */
  assumptions: string[];
  /** Answers copied from the host's docs and SDK samples, each with its source (listed in docs/hosts.md). */
  answerFixtures?: AnswerFixtureSet;
  /** Every fact shared/hosts marks UNCONFIRMED or CONFLICT for this host, and what was decided about it. */
  unconfirmed?: readonly UnconfirmedFact[];
}

/**
 * One fact shared/hosts marks UNCONFIRMED or CONFLICT: either confirmed since from a named source
 * (and then also stated among the quirks or limits), or kept as an assumption with the place in
 * code that holds it, so changing the reading is one edit.
 */
export type UnconfirmedFact =
  | {
      /** The fact and where shared/hosts marks it: `A1.2 timestamp: time zone`. */
      fact: string;
      decision: 'confirmed';
      /** What holds. */
      reading: string;
      /** Where it was confirmed: repository and file, or doc page. */
      source: string;
    }
  | {
      fact: string;
      decision: 'assumption';
      /** The reading taken, and why. */
      reading: string;
      /** The place to change it: a file of the host folder and a symbol (or literal) in it. */
      code: { file: string; symbol: string };
    };
