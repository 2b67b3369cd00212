import type { HostId } from './host-id.js';
import type { SubmissionStatus } from './lifecycle.js';

/**
 * A mini-program definition as one host should see it: the canonical definition with that
 * host's overrides already applied. Lengths are counted by each host's own rule in `validate`.
 */
export interface ListingDefinition {
  name: string;
  shortName?: string | null;
  slogan?: string | null;
  description: string;
  /** Canonical gateway category code, e.g. `life.food`, `games.casual`. */
  category: string;
  keywords: readonly string[];
  icon?: { url: string; sha256: string; width: number; height: number; sizeBytes?: number | null } | null;
  servicePhone?: string | null;
  serviceEmail?: string | null;
  privacyPolicyUrl?: string | null;
}

export type VersionArtifact =
  | { kind: 'PACKAGE'; url: string; sha256: string; sizeBytes: number }
  | {
      kind: 'TEMPLATE';
      /** The host's template id (already resolved for this host). */
      templateId: string;
      /** The ext JSON object; adapters serialize it the way their host wants (WeChat: a string). */
      extJson: Record<string, unknown>;
      /** Code size of the template build, when known, for package size rules. */
      sizeBytes?: number | null;
    };

export interface VersionSpec {
  /** Semantic version, e.g. `1.4.0`. */
  version: string;
  artifact: VersionArtifact;
  releaseNotes: string;
}

/** One broken rule; `field` is a path into the definition or version (`name`, `version`, `icon.width`). */
export interface Violation {
  host: HostId;
  field: string;
  /** Stable rule id, e.g. `maxLength`, `versionFormat`, `categoryUnmapped`. */
  rule: string;
  message: string;
}

/**
 * The native ids and facts a host gave us for one version. Adapters return it from `upload`
 * and `submitForReview`; the gateway stores it and hands it back on later calls.
 */
export interface HostVersionRef {
  version: string;
  /** Native ids by name: `auditId`, `packageId`, `appVersion`, `templateId` ... */
  ids: Record<string, string>;
}

export interface NativeEvidence {
  /** Native status code or string as the host reported it. */
  nativeStatus?: string | null;
  /** The host's response body (parsed), never our request (it may hold secrets). */
  response?: unknown;
}

export interface UploadResult extends NativeEvidence {
  ref: HostVersionRef;
  /** UPLOADING while the host still builds, UPLOADED when ready for review. */
  status: Extract<SubmissionStatus, 'UPLOADING' | 'UPLOADED'>;
}

export interface ReviewState extends NativeEvidence {
  status: Extract<SubmissionStatus, 'UPLOADING' | 'UPLOADED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN' | 'FAILED'>;
  ref: HostVersionRef;
  reason?: string | null;
  screenshots?: readonly string[];
  /** The host delayed its review (WeChat status 4); still IN_REVIEW. */
  delayed?: boolean;
}

export interface SubmitResult extends NativeEvidence {
  ref: HostVersionRef;
  status: Extract<SubmissionStatus, 'IN_REVIEW' | 'APPROVED'>;
}

export interface ReleaseOptions {
  /** Percentage of users for a gray (staged) release; absent = full release. */
  grayPercentage?: number;
}

export interface ReleaseResult extends NativeEvidence {
  status: Extract<SubmissionStatus, 'RELEASING' | 'GRAY' | 'RELEASED'>;
  grayPercentage?: number | null;
}

export interface RollbackResult extends NativeEvidence {
  /** The version that is live after the rollback, when the host says. */
  restoredVersion: string | null;
}

/** What is really live on the host. */
export interface LiveListing extends NativeEvidence {
  liveVersion: string | null;
  grayVersion: string | null;
  grayPercentage: number | null;
  /** Whether users can find and open the mini-program. */
  visibility: 'VISIBLE' | 'HIDDEN' | 'UNKNOWN';
  /** The version in review or approved but not live, if any. */
  pendingVersion: string | null;
  pendingStatus: SubmissionStatus | null;
}

export interface DailyAnalytics extends NativeEvidence {
  /** `YYYY-MM-DD`. */
  day: string;
  opens: number | null;
  pageViews: number | null;
  uniqueVisitors: number | null;
  newVisitors: number | null;
  avgStaySeconds: number | null;
}
