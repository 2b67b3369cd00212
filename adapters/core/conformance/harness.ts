import type { HostErrorKind } from '../host-error.js';
import type { HostAdapterFactory } from '../host-adapter.js';
import type { HostId } from '../host-id.js';
import type { ListingDefinition, VersionSpec } from '../listing.js';
import type { HostSandbox } from '../sandbox.js';

export type ConformanceOperation = 'upload' | 'submitForReview' | 'reviewStatus' | 'release' | 'rollback' | 'withdrawReview' | 'readListing';

/** What a host folder gives the shared conformance suite. */
export interface ConformanceHarness<C = unknown> {
  hostId: HostId;
  factory: HostAdapterFactory<C>;
  createSandbox(): HostSandbox;
  /** A definition that passes every rule of this host. */
  validDefinition(): ListingDefinition;
  /** A version that passes every rule of this host; the suite calls it with increasing semvers. */
  validVersion(semver: string): VersionSpec;
  /** Inputs that break this host's rules, each with the violations expected (field + rule). */
  invalidCases: Array<{
    name: string;
    definition: ListingDefinition;
    version: VersionSpec;
    expect: Array<{ field: string; rule: string }>;
  }>;
  /**
   * Path(s) of the host's token endpoints, so the suite can count token requests (each endpoint
   * at most once after `expireTokens`). Null when the host has no bearer token (Alipay signs every call).
   */
  tokenRequestPath: RegExp | null;
  /**
   * Native error codes of the lifecycle calls, written out from shared/hosts independently of
   * the adapter's mapping table; the suite injects each through the sandbox and checks the kind.
   */
  nativeErrors: Array<{ nativeCode: string; operation: ConformanceOperation; kind: HostErrorKind; retryable: boolean }>;
  /**
   * Path the suite's push receiver is registered under (default `/callbacks/<host>`). A host whose
   * review pushes name the app only through a URL placeholder puts it here (WeChat: `$APPID$`, wechat.md §5).
   */
  pushPath?: string;
  /** Body the host expects in answer to a push (default `success`, documented for all four hosts). */
  pushReplyBody?: string;
}
