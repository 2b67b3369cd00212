import type { BasicInfoField } from './basic-info.js';
import type { HostId } from './host-id.js';

/** A push as it reached our HTTP endpoint, before anything was parsed. */
export interface RawCallback {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body exactly as received (XML, JSON or form text). */
  body: string;
}

export type HostEvent =
  | { type: 'TICKET'; ticket: string; at: Date }
  | { type: 'AUTHORIZED' | 'AUTHORIZATION_UPDATED'; hostAppId: string; authorizationCode: string | null; at: Date }
  | { type: 'UNAUTHORIZED'; hostAppId: string; at: Date }
  | {
      type: 'REVIEW_APPROVED' | 'REVIEW_REJECTED' | 'REVIEW_DELAYED';
      /** Host app id, or the host's account id (WeChat gh_ id) when the push carries only that. */
      hostAppId: string;
      /** The version the host reported, when its push names one. */
      version: string | null;
      reason: string | null;
      screenshots: readonly string[];
      /** Native ids the push carried (`packageId`, `hostName` ...). */
      ids: Record<string, string>;
      at: Date;
    }
  | {
      /** The host's review of a basic-info change (name, icon, description, category) ended. */
      type: 'BASIC_INFO_APPROVED' | 'BASIC_INFO_REJECTED';
      /** Host app id, or the host's account id (WeChat gh_ id) when the push carries only that. */
      hostAppId: string;
      field: BasicInfoField;
      /** The value reviewed (the new name, the category ids), when the push names it. */
      value: string | null;
      reason: string | null;
      ids: Record<string, string>;
      at: Date;
    }
  | { type: 'OTHER'; nativeType: string; hostAppId: string | null; at: Date };

export interface ParsedCallback {
  host: HostId;
  /** A stable id for de-duplication: the same push delivered twice gives the same key. */
  dedupeKey: string;
  events: HostEvent[];
  /** The plain decrypted/verified payload, kept as evidence. */
  payload: unknown;
  /** What to answer the host with so it stops retrying. */
  reply: { status: number; contentType: string; body: string };
}

/** Secrets needed to verify and decrypt pushes (platform-level, not per merchant). */
export type CallbackSecrets = Record<string, string>;
