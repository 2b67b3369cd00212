import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import {
  HostError,
  UnsupportedCapabilityError,
  windowKey,
  type BasicInfoChange,
  type BasicInfoSnapshot,
  type CallContext,
  type HostAdapter,
  type HostId,
} from '../../adapters/core/index.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { EventsService, type ListingEventType } from '../events/events.service.js';
import { BindingService } from '../hosts/binding.service.js';
import { HostBindingEntity, type BasicInfoExpectation } from '../hosts/host-binding.entity.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import { runUnderStepLock } from '../jobs/advisory-step.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { HostLimiter } from '../publishing/host-limiter.js';
import { failureOf } from '../publishing/submission-machine.js';
import { fetchCheckedIcon, IconFetchError } from './icon-fetcher.js';
import { prepareIcon } from './icon-image.js';
import { ListingSyncStepEntity, OPEN_FIELD_STATES, type FieldEvidence, type FieldIntent, type FieldTarget } from './listing-sync-step.entity.js';

const EARLY_SLACK_MS = 50;

interface Outcome {
  status: 'APPLIED' | 'IN_REVIEW';
  reviewId: string | null;
  nativeStatus: string | null;
  response: unknown;
  icon?: FieldEvidence['icon'];
  /** Proven by a read-back after an answer was lost, not by the call's answer. */
  reconciled?: boolean;
}

/** The host shows the change an intent announced: applied, or in its review; null when it does not. */
export function provenByReadBack(target: FieldTarget, intent: FieldIntent, snap: BasicInfoSnapshot): Pick<Outcome, 'status' | 'reviewId'> | null {
  const pending = snap.pendingReviews.find((r) => r.field === target.field && r.status === 'IN_REVIEW');
  switch (target.field) {
    case 'icon':
      if (pending) return { status: 'IN_REVIEW', reviewId: pending.reviewId };
      return (snap.icon?.fingerprint ?? null) !== intent.iconBefore ? { status: 'APPLIED', reviewId: null } : null;
    case 'serviceContact':
      return snap.serviceContact && snap.serviceContact.phone === target.phone && snap.serviceContact.email === target.email
        ? { status: 'APPLIED', reviewId: null }
        : null;
    case 'category':
      // Host categories are ids and names of the host's own taxonomy: only a review in progress proves the call.
      return pending ? { status: 'IN_REVIEW', reviewId: pending.reviewId } : null;
    default:
      if (pending && (pending.value === null || pending.value === target.value)) return { status: 'IN_REVIEW', reviewId: pending.reviewId };
      return snap[target.field] === target.value ? { status: 'APPLIED', reviewId: null } : null;
  }
}

/** What the binding expects on the host once the change is live. */
export function expectationOf(target: FieldTarget): BasicInfoExpectation {
  switch (target.field) {
    case 'icon':
      return { icon: { sha256: target.sha256, fingerprint: null } };
    case 'category':
      return { category: { code: target.value, hostIds: null } };
    case 'serviceContact':
      return { serviceContact: { phone: target.phone, email: target.email } };
    default:
      return { [target.field]: target.value };
  }
}

/**
 * The listing worker: advances one step (one basic-info field on one host) under an advisory
 * lock on its id, as the publishing StepRunner does: an intent is committed before
 * `applyBasicInfo`; found still set, the host is read back before the call is made again. A step
 * in review is polled with backoff, and looked at at once when the host pushes its outcome.
 */
@Injectable()
export class ListingStepRunner {
  private readonly logger = new Logger('ListingSync');
  private limiterOnWorkerDb: HostLimiter | null = null;

  constructor(
    private readonly config: GatewayConfig,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
    private readonly bindings: BindingService,
    private readonly runtime: HostRuntime,
  ) {}

  private get limiter(): HostLimiter {
    this.limiterOnWorkerDb ??= new HostLimiter(this.jobs.workerDb);
    return this.limiterOnWorkerDb;
  }

  async run(stepId: string): Promise<void> {
    await runUnderStepLock(
      this.jobs.workerDb,
      `listing-step:${stepId}`,
      (runner) => this.step(runner, stepId),
      (retryAt) => this.jobs.send(QUEUES.listingStep, { stepId }, { startAfter: retryAt }),
    );
  }

  private async step(runner: QueryRunner, id: string): Promise<void> {
    const st = await runner.manager.findOneBy(ListingSyncStepEntity, { id });
    if (!st || !OPEN_FIELD_STATES.includes(st.state)) return;
    if (!st.intent && (st.nextAttemptAt === null || st.nextAttemptAt.getTime() > Date.now() + EARLY_SLACK_MS)) return;
    const binding = await runner.manager.findOneBy(HostBindingEntity, { id: st.bindingId });
    if (!binding || binding.disconnectedAt)
      return this.commit(runner, st, (m, s) => this.toFailed(m, s, failureOf(new Error('the host binding was disconnected'), 'binding')));
    const host = st.host as HostId;
    const grant = await this.limiter.acquire(runner, host, binding.hostAppId);
    if (!grant.ok) return this.commit(runner, st, (m, s) => this.schedule(m, s, new Date(Date.now() + grant.retryInMs)));
    try {
      const adapter = this.runtime.adapter(host);
      const ctx = await this.bindings.callContext(binding);
      if (st.state === 'IN_REVIEW' && !st.intent) await this.poll(runner, st, binding, adapter, ctx);
      else await this.operate(runner, st, binding, adapter, ctx);
    } finally {
      await grant.release();
    }
  }

  private async operate(
    runner: QueryRunner,
    st: ListingSyncStepEntity,
    binding: HostBindingEntity,
    adapter: HostAdapter,
    ctx: CallContext<unknown>,
  ): Promise<void> {
    let stage: 'reconcile' | 'prepare' | 'call' = 'prepare';
    try {
      if (st.intent) {
        stage = 'reconcile';
        const snap = await adapter.readBasicInfo(ctx);
        const proven = provenByReadBack(st.target, st.intent, snap);
        if (proven) {
          const outcome: Outcome = { ...proven, nativeStatus: snap.nativeStatus ?? null, response: snap.response, reconciled: true };
          return this.commit(runner, st, (m, s) => this.applyOutcome(m, s, binding, adapter, outcome));
        }
        this.logger.log(`listing step ${st.id}: ${st.field} did not take effect on ${st.host}; sending it again`);
        stage = 'prepare';
      }
      const { change, icon } = await this.changeOf(st.target, adapter);
      const iconBefore = st.target.field === 'icon' ? ((await adapter.readBasicInfo(ctx)).icon?.fingerprint ?? null) : null;
      const intent: FieldIntent = { attempt: st.attempts + 1, startedAt: new Date().toISOString(), iconBefore };
      await this.commit(runner, st, async (_m, s) => {
        s.intent = intent;
        if (s.state === 'PENDING') s.state = 'APPLYING';
      });
      stage = 'call';
      const result = await adapter.applyBasicInfo(ctx, change);
      const outcome: Outcome = { status: result.status, reviewId: result.reviewId, nativeStatus: result.nativeStatus ?? null, response: result.response, icon };
      await this.commit(runner, st, (m, s) => this.applyOutcome(m, s, binding, adapter, outcome));
    } catch (err) {
      // Only a definite refusal proves the host did nothing; anything else keeps the intent.
      const unknown = stage === 'call' && (!(err instanceof HostError) || err.kind === 'unavailable');
      await this.commit(runner, st, async (m, s) => {
        if (!unknown && stage === 'call') s.intent = null;
        await this.failed(m, s, binding, err);
      });
    }
  }

  /** The change to send: text fields as they are; the icon fetched, checked against its sha256 and converted for the host. */
  private async changeOf(target: FieldTarget, adapter: HostAdapter): Promise<{ change: BasicInfoChange; icon?: FieldEvidence['icon'] }> {
    switch (target.field) {
      case 'icon': {
        const fetched = await fetchCheckedIcon(target, {
          maxBytes: this.config.ICON_FETCH_MAX_BYTES,
          timeoutMs: this.config.ICON_FETCH_TIMEOUT_MS,
          allowPrivate: this.config.ICON_FETCH_ALLOW_PRIVATE,
        });
        const spec = adapter.capabilities.basicInfo.icon.image;
        if (!spec) throw new UnsupportedCapabilityError(adapter.hostId, 'basic info: icon', 'the adapter declares no image types for icons');
        const prepared = await prepareIcon(fetched.bytes, spec);
        return {
          change: { field: 'icon', icon: { bytes: prepared.bytes, contentType: prepared.contentType } },
          icon: { fetchedType: prepared.fetchedType, uploadedType: prepared.contentType, bytes: prepared.bytes.length, converted: prepared.converted },
        };
      }
      case 'serviceContact':
        return { change: { field: 'serviceContact', phone: target.phone, email: target.email } };
      case 'name':
        return { change: { field: 'name', name: target.value } };
      case 'shortName':
        return { change: { field: 'shortName', shortName: target.value } };
      case 'slogan':
        return { change: { field: 'slogan', slogan: target.value } };
      case 'description':
        return { change: { field: 'description', description: target.value } };
      case 'category':
        return { change: { field: 'category', category: target.value } };
    }
  }

  private async poll(
    runner: QueryRunner,
    st: ListingSyncStepEntity,
    binding: HostBindingEntity,
    adapter: HostAdapter,
    ctx: CallContext<unknown>,
  ): Promise<void> {
    try {
      const state = await adapter.basicInfoReviewStatus(ctx, { field: st.field, reviewId: st.reviewId });
      await this.commit(runner, st, async (m, s) => {
        if (s.state !== 'IN_REVIEW') return;
        s.nativeStatus = state.nativeStatus ?? s.nativeStatus;
        s.attempts = 0;
        if (state.status === 'APPROVED') {
          s.evidence = { ...s.evidence, review: state.response ?? null };
          await this.applied(m, s, binding);
        } else if (state.status === 'REJECTED') {
          s.state = 'REJECTED';
          s.reviewReason = state.reason ?? 'the host gave no reason';
          s.nextAttemptAt = null;
          s.pollIntervalMs = null;
          s.evidence = { ...s.evidence, review: state.response ?? null };
          await this.event(m, s, 'BASIC_INFO_REJECTED', { reason: s.reviewReason, nativeStatus: s.nativeStatus });
        } else {
          s.pollIntervalMs = s.pollIntervalMs ? Math.min(this.config.SYNC_POLL_MAX_MS, s.pollIntervalMs * 2) : this.config.SYNC_POLL_MIN_MS;
          await this.schedule(m, s, new Date(Date.now() + s.pollIntervalMs));
        }
      });
    } catch (err) {
      await this.commit(runner, st, (m, s) => this.failed(m, s, binding, err));
    }
  }

  private async applyOutcome(m: EntityManager, s: ListingSyncStepEntity, binding: HostBindingEntity, adapter: HostAdapter, o: Outcome): Promise<void> {
    s.intent = null;
    s.attempts = 0;
    s.nativeStatus = o.nativeStatus ?? s.nativeStatus;
    s.evidence = {
      ...s.evidence,
      response: o.response,
      lastError: null,
      ...(o.icon ? { icon: o.icon } : {}),
      note: o.reconciled ? 'the answer was lost; the host read back shows the change' : null,
    };
    await this.countQuotaUse(m, s, adapter);
    if (o.status === 'IN_REVIEW') {
      s.state = 'IN_REVIEW';
      s.reviewId = o.reviewId;
      s.pollIntervalMs = this.config.SYNC_POLL_MIN_MS;
      await this.event(m, s, 'BASIC_INFO_IN_REVIEW', { reviewId: o.reviewId, nativeStatus: s.nativeStatus });
      await this.schedule(m, s, new Date(Date.now() + s.pollIntervalMs));
    } else await this.applied(m, s, binding);
  }

  /** Live on the host: the binding expects it from now on, and the host is read back (drift). */
  private async applied(m: EntityManager, s: ListingSyncStepEntity, binding: HostBindingEntity): Promise<void> {
    s.state = 'APPLIED';
    s.nextAttemptAt = null;
    s.pollIntervalMs = null;
    await m.query(`UPDATE host_bindings SET basic_info_expected = COALESCE(basic_info_expected, '{}'::jsonb) || $2::jsonb WHERE id = $1`, [
      binding.id,
      JSON.stringify(expectationOf(s.target)),
    ]);
    await this.event(m, s, 'BASIC_INFO_APPLIED', { nativeStatus: s.nativeStatus });
    await this.jobs.send(QUEUES.bindingSync, { bindingId: binding.id }, { manager: m });
  }

  /** One change the host took, counted in the field's quota window (the adapter's, or `total` when only the host knows it). */
  private async countQuotaUse(m: EntityManager, s: ListingSyncStepEntity, adapter: HostAdapter): Promise<void> {
    const window = adapter.capabilities.basicInfo[s.field].quota?.window ?? 'HOST_REPORTED';
    await m.query(
      `INSERT INTO basic_info_quota_uses (binding_id, field, "window", window_key, used) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (binding_id, field, window_key) DO UPDATE SET used = basic_info_quota_uses.used + 1, updated_at = now()`,
      [s.bindingId, s.field, window, windowKey(window, new Date())],
    );
  }

  /** Retryable errors back off; refusals (the host's own, a quota, an icon that cannot be used) end the step FAILED. */
  private async failed(m: EntityManager, s: ListingSyncStepEntity, binding: HostBindingEntity, err: unknown): Promise<void> {
    const failure =
      err instanceof IconFetchError
        ? { ...failureOf(err, 'prepareIcon'), kind: 'invalid', nativeCode: err.rule, nativeMessage: err.message }
        : failureOf(err, s.state === 'IN_REVIEW' ? 'basicInfoReviewStatus' : 'applyBasicInfo');
    s.evidence = { ...s.evidence, lastError: failure };
    if (!(err instanceof IconFetchError)) await m.getRepository(HostBindingEntity).update(binding.id, { lastError: failure });
    // A basic-info quota window is a month or a year: waiting for it is the user's decision, not a retry.
    const retryable =
      err instanceof HostError ? err.retryable && err.kind !== 'quota' : !(err instanceof UnsupportedCapabilityError || err instanceof IconFetchError);
    if (retryable && s.attempts + 1 < this.config.MAX_ATTEMPTS) {
      s.attempts += 1;
      const hostWait = err instanceof HostError ? (err.retryAfterMs ?? 0) : 0;
      const backoff = Math.min(this.config.RETRY_MAX_MS, this.config.RETRY_BASE_MS * 2 ** (s.attempts - 1));
      return this.schedule(m, s, new Date(Date.now() + Math.max(hostWait, backoff * (0.5 + Math.random() * 0.5))));
    }
    s.attempts += 1;
    await this.toFailed(m, s, failure);
  }

  private async toFailed(m: EntityManager, s: ListingSyncStepEntity, failure: ReturnType<typeof failureOf>): Promise<void> {
    s.intent = null;
    s.state = 'FAILED';
    s.nextAttemptAt = null;
    s.pollIntervalMs = null;
    s.evidence = { ...s.evidence, lastError: failure };
    await this.event(m, s, 'BASIC_INFO_FAILED', { error: failure });
  }

  private async event(m: EntityManager, s: ListingSyncStepEntity, type: ListingEventType, evidence: Record<string, unknown>): Promise<void> {
    await this.events.append(m, {
      organizationId: s.organizationId,
      miniProgramId: s.miniProgramId,
      bindingId: s.bindingId,
      submissionId: null,
      host: s.host,
      type,
      nativeStatus: s.nativeStatus,
      evidence: { runId: s.runId, stepId: s.id, field: s.field, ...evidence },
    });
  }

  private async schedule(m: EntityManager, s: ListingSyncStepEntity, at: Date): Promise<void> {
    s.nextAttemptAt = at;
    await this.jobs.send(QUEUES.listingStep, { stepId: s.id }, { manager: m, startAfter: at });
  }

  /** Runs `change` on a fresh copy of the row taken FOR UPDATE, in one transaction on the step's connection, then writes it back. */
  private async commit(runner: QueryRunner, st: ListingSyncStepEntity, change: (m: EntityManager, s: ListingSyncStepEntity) => Promise<void>): Promise<void> {
    await runner.startTransaction();
    try {
      const m = runner.manager;
      const fresh = await m.findOneOrFail(ListingSyncStepEntity, { where: { id: st.id }, lock: { mode: 'pessimistic_write' } });
      Object.assign(st, fresh, { intent: st.intent });
      await change(m, st);
      await m.getRepository(ListingSyncStepEntity).update(st.id, {
        state: st.state,
        intent: st.intent,
        reviewId: st.reviewId,
        reviewReason: st.reviewReason,
        nativeStatus: st.nativeStatus,
        // jsonb written whole; TypeORM's deep-partial type cannot describe `unknown` answers.
        evidence: st.evidence as Record<string, never>,
        attempts: st.attempts,
        nextAttemptAt: st.nextAttemptAt,
        pollIntervalMs: st.pollIntervalMs,
      });
      await runner.commitTransaction();
    } catch (err) {
      await runner.rollbackTransaction();
      throw err;
    }
  }
}
