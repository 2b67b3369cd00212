import { createHash } from 'node:crypto';
import type { BasicInfoField, QuotaWindow } from './basic-info.js';

/** A host's basic-info record of one app as its sandbox keeps it (the live values). */
export interface SandboxBasicInfo {
  name: string;
  slogan: string;
  description: string;
  /** URL the host serves the icon at; sha256 of the bytes uploaded last (null for the initial icon). */
  icon: { url: string; sha256: string | null; contentType: string | null };
  /** The host's category id paths (top level first), e.g. `[['8', '39']]`. */
  categories: string[][];
  phone: string | null;
  email: string | null;
}

export type BasicInfoReviewPolicy = { decision: 'approve'; afterMs?: number } | { decision: 'reject'; reason: string; afterMs?: number } | { decision: 'hold' };

export interface SandboxBasicInfoReview {
  id: number;
  field: BasicInfoField;
  /** The value under review as text (name, description, icon URL, category path). */
  value: string;
  status: 'IN_REVIEW' | 'APPROVED' | 'REJECTED';
  reason: string;
  createdAt: number;
  decidedAt: number | null;
}

/** How tests (and the demo) steer and inspect a sandbox's basic info. */
export interface BasicInfoSandboxControl {
  /** How this app's basic-info reviews end from now on (default: approve at once). */
  setReviewPolicy(hostAppId: string, policy: BasicInfoReviewPolicy): void;
  /** Ends the review of `field` held by policy `hold`, sending the push the host would. */
  decideReview(hostAppId: string, field: BasicInfoField, outcome: { decision: 'approve' } | { decision: 'reject'; reason: string }): void;
  /** The live values. */
  state(hostAppId: string): SandboxBasicInfo;
  reviews(hostAppId: string): readonly SandboxBasicInfoReview[];
  /** Changes counted in the current window against the field's limit (null: no limit). */
  quotaUse(hostAppId: string, field: BasicInfoField): { used: number; limit: number | null };
  /** A change made on the host side (in its console), not through the API: what drift checks must catch. */
  changeOnHost(hostAppId: string, patch: Partial<SandboxBasicInfo>): void;
}

interface PendingChange {
  review: SandboxBasicInfoReview;
  apply: (s: SandboxBasicInfo) => void;
  timer: NodeJS.Timeout | null;
}

interface DeskApp {
  info: SandboxBasicInfo;
  policy: BasicInfoReviewPolicy;
  reviews: PendingChange[];
  usage: Map<string, number>;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The key of the quota window `at` falls in: China-time calendar periods, or one total. */
export function windowKey(window: QuotaWindow, at: Date): string {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
  if (window === 'DAY') return local.slice(0, 10);
  if (window === 'MONTH') return local.slice(0, 7);
  if (window === 'YEAR') return local.slice(0, 4);
  return 'total';
}

/**
 * The basic-info side of a host sandbox, shared by the four: live values, reviews under a
 * policy the tests steer (approve / reject with a reason / hold), and quotas counted per app and
 * window. Each sandbox keeps its own wire shapes and native codes and calls this for the state.
 */
export class BasicInfoDesk implements BasicInfoSandboxControl {
  private readonly apps = new Map<string, DeskApp>();
  private seq = 70_000 + Math.floor(Math.random() * 10_000);

  constructor(
    private readonly options: {
      /** Per-field limits, counted per app and window. */
      quotas: Partial<Record<BasicInfoField, { count: number; window: QuotaWindow }>>;
      /** Called when a review ends (by policy or `decideReview`): the sandbox sends its push. */
      onDecided(hostAppId: string, review: SandboxBasicInfoReview): void;
      now?: () => Date;
    },
  ) {}

  register(hostAppId: string, info: SandboxBasicInfo): void {
    this.apps.set(hostAppId, { info, policy: { decision: 'approve' }, reviews: [], usage: new Map() });
  }

  setReviewPolicy(hostAppId: string, policy: BasicInfoReviewPolicy): void {
    this.app(hostAppId).policy = policy;
  }

  state(hostAppId: string): SandboxBasicInfo {
    return this.app(hostAppId).info;
  }

  reviews(hostAppId: string): readonly SandboxBasicInfoReview[] {
    return this.app(hostAppId).reviews.map((r) => r.review);
  }

  /** The newest review of `field`, whatever its status. */
  latestReview(hostAppId: string, field: BasicInfoField): SandboxBasicInfoReview | null {
    const list = this.app(hostAppId).reviews.filter((r) => r.review.field === field);
    return list.length > 0 ? list[list.length - 1].review : null;
  }

  reviewById(hostAppId: string, id: number): SandboxBasicInfoReview | null {
    return this.app(hostAppId).reviews.find((r) => r.review.id === id)?.review ?? null;
  }

  inReview(hostAppId: string, field: BasicInfoField): boolean {
    return this.app(hostAppId).reviews.some((r) => r.review.field === field && r.review.status === 'IN_REVIEW');
  }

  quotaUse(hostAppId: string, field: BasicInfoField): { used: number; limit: number | null } {
    const q = this.options.quotas[field];
    if (!q) return { used: 0, limit: null };
    return { used: this.app(hostAppId).usage.get(`${field}:${windowKey(q.window, this.now())}`) ?? 0, limit: q.count };
  }

  /** Counts one change of `field`; false (nothing counted) when the window's quota is used up. */
  useQuota(hostAppId: string, field: BasicInfoField): boolean {
    const q = this.options.quotas[field];
    if (!q) return true;
    const key = `${field}:${windowKey(q.window, this.now())}`;
    const usage = this.app(hostAppId).usage;
    const used = usage.get(key) ?? 0;
    if (used >= q.count) return false;
    usage.set(key, used + 1);
    return true;
  }

  /**
   * A change the host accepted: applied at once when not reviewed, else a review under the app's
   * policy (applied on approval). Returns the review, or null when applied at once.
   */
  submit(hostAppId: string, field: BasicInfoField, value: string, apply: (s: SandboxBasicInfo) => void, reviewed: boolean): SandboxBasicInfoReview | null {
    const app = this.app(hostAppId);
    if (!reviewed) {
      apply(app.info);
      return null;
    }
    const review: SandboxBasicInfoReview = { id: ++this.seq, field, value, status: 'IN_REVIEW', reason: '', createdAt: this.now().getTime(), decidedAt: null };
    const pending: PendingChange = { review, apply, timer: null };
    app.reviews.push(pending);
    const policy = app.policy;
    if (policy.decision !== 'hold') {
      pending.timer = setTimeout(() => {
        pending.timer = null;
        this.end(hostAppId, pending, policy.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason: policy.reason });
      }, policy.afterMs ?? 0);
    }
    return review;
  }

  decideReview(hostAppId: string, field: BasicInfoField, outcome: { decision: 'approve' } | { decision: 'reject'; reason: string }): void {
    const pending = this.app(hostAppId).reviews.find((r) => r.review.field === field && r.review.status === 'IN_REVIEW');
    if (!pending) throw new Error(`no ${field} review in progress for ${hostAppId}`);
    this.end(hostAppId, pending, outcome);
  }

  changeOnHost(hostAppId: string, patch: Partial<SandboxBasicInfo>): void {
    Object.assign(this.app(hostAppId).info, patch);
  }

  /** A URL the sandbox serves an uploaded icon at, derived from its bytes. */
  static iconUrl(base: string, bytes: Buffer): { url: string; sha256: string } {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { url: `${base}${sha256.slice(0, 24)}`, sha256 };
  }

  stop(): void {
    for (const app of this.apps.values()) for (const r of app.reviews) if (r.timer) clearTimeout(r.timer);
  }

  private end(hostAppId: string, pending: PendingChange, outcome: { decision: 'approve' } | { decision: 'reject'; reason: string }): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    const app = this.app(hostAppId);
    if (outcome.decision === 'approve') {
      pending.apply(app.info);
      Object.assign(pending.review, { status: 'APPROVED', reason: '', decidedAt: this.now().getTime() });
    } else {
      Object.assign(pending.review, { status: 'REJECTED', reason: outcome.reason, decidedAt: this.now().getTime() });
    }
    this.options.onDecided(hostAppId, pending.review);
  }

  private app(hostAppId: string): DeskApp {
    const app = this.apps.get(hostAppId);
    if (!app) throw new Error(`unknown sandbox app ${hostAppId}`);
    return app;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
