import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import {
  HostError,
  UnsupportedCapabilityError,
  type CallContext,
  type HostAdapter,
  type HostId,
  type HostVersionRef,
  type LiveListing,
  type ReleaseResult,
  type ReviewState,
  type RollbackResult,
  type SubmissionStatus,
  type SubmitResult,
  type UploadResult,
} from '../../adapters/core/index.js';
import { listingFor, versionSpecFor } from '../catalog/listing-projection.js';
import { MiniProgramService } from '../catalog/mini-program.service.js';
import type { MiniProgramModel, VersionModel } from '../catalog/catalog.models.js';
import { VersionService } from '../catalog/version.service.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { beginWith, endTransaction, runPrepared } from '../database/prepared.js';
import { EventsService, type NewListingEvent } from '../events/events.service.js';
import { BindingService, PLATFORM_TICKET_PREFIX } from '../hosts/binding.service.js';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import type { StoredTokenRow } from '../hosts/tokens/postgres-token-store.js';
import { runUnderStepLock, type UnlockWithStep } from '../jobs/advisory-step.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { SyncService, type StepReadBack } from '../sync/sync.service.js';
import { HostLimiter } from './host-limiter.js';
import { failureOf, note, persistStatement, SUBMISSION_COLUMNS, transition, type EventSink } from './submission-machine.js';
import { SubmissionEntity, type HostOperation, type SubmissionAction, type SubmissionIntent } from './submission.entity.js';

/** What one step does, decided from the submission row alone. */
type Plan =
  | { kind: 'idle' }
  | { kind: 'local'; action: SubmissionAction }
  | { kind: 'drop'; action: SubmissionAction; why: string }
  | { kind: 'call'; op: HostOperation; requested: boolean; grayPercentage: number | null }
  | { kind: 'poll'; read: 'reviewStatus' | 'readListing' };

/** The result of a host operation, as the call answered it or as a read of the host proved it. */
type Outcome =
  | { op: 'upload'; result: UploadResult }
  | { op: 'submit'; result: SubmitResult | ReviewState }
  | { op: 'release'; result: ReleaseResult }
  | { op: 'cancelGray' }
  | { op: 'rollback'; result: RollbackResult }
  | { op: 'withdraw' }
  | { op: 'speedUp'; confirmed: boolean };

const WAITING_ON_HOST: readonly SubmissionStatus[] = ['UPLOADING', 'IN_REVIEW', 'RELEASING'];
const EARLY_SLACK_MS = 50;
/**
 * How many steps one job may take in a row when each leaves the next due at once (upload ->
 * submit, approved -> release): the worker goes on under the lock it holds instead of queueing a
 * job, fetching it and locking again. Bounded, so one submission never keeps a slot for long.
 */
const STEPS_PER_JOB = 4;
/** How many locked versions, and mini-programs at a revision, a worker keeps in memory (the oldest kept is dropped beyond). */
const LOCKED_VERSIONS_KEPT = 1_000;
const PROGRAMS_KEPT = 1_000;

/** What a step needs of the binding: which app, its sealed credentials, whether it is still connected. */
type StepBinding = Pick<HostBindingEntity, 'id' | 'host' | 'hostAppId' | 'credentialsCiphertext' | 'credentialsKeyId' | 'disconnectedAt'> & {
  /** Whether listing sync set basic info there (read back with the listing then). */
  basicInfoSet: boolean;
};

/** A submission's row, its binding's (b_*) and its host's pushed ticket (t_*), as one statement reads them ($2: the tickets' key prefix). */
const STEP_READ = `SELECT ${SUBMISSION_COLUMNS}, b.id AS "b_id", b.host_app_id AS "b_hostAppId", b.credentials_ciphertext AS "b_credentialsCiphertext",
    b.credentials_key_id AS "b_credentialsKeyId", b.disconnected_at AS "b_disconnectedAt", b.basic_info_expected IS NOT NULL AS "b_basicInfoSet",
    t.ciphertext AS "t_ciphertext", t.key_id AS "t_keyId", t.expires_at AS "t_expiresAt", m.revision AS "m_revision"
  FROM submissions s LEFT JOIN host_bindings b ON b.id = s.binding_id LEFT JOIN host_tokens t ON t.key = $2 || s.host
    LEFT JOIN mini_programs m ON m.id = s.mini_program_id
  WHERE s.id = $1`;

/**
 * The step's lock ($2), tried only when submission $1 has work due by $3 (an intent to settle, a
 * user's action, or its next attempt; the same test as `stepOn`'s): see StepLockGuard.
 */
const DUE_LOCK = `SELECT CASE WHEN s.intent IS NOT NULL OR s.pending_action IS NOT NULL OR s.next_attempt_at <= $3
    THEN pg_try_advisory_lock(hashtextextended($2, 0)) END AS ok
  FROM submissions s WHERE s.id = $1`;

/** The submission's row, locked for the transaction that changes it (sent with BEGIN, so its id is a literal). */
const lockedRead = (id: string) => (literal: (value: string) => string) =>
  `SELECT ${SUBMISSION_COLUMNS} FROM submissions s WHERE s.id = ${literal(id)} FOR UPDATE`;

type StepRow = SubmissionEntity & {
  b_id: string | null;
  b_hostAppId: string;
  b_credentialsCiphertext: string | null;
  b_credentialsKeyId: string | null;
  b_disconnectedAt: Date | null;
  b_basicInfoSet: boolean | null;
  t_ciphertext: string | null;
  t_keyId: string;
  t_expiresAt: Date | null;
  m_revision: number | null;
};

function stepParts(row: StepRow): { sub: SubmissionEntity; binding: StepBinding | null; ticket: StoredTokenRow | null; programRevision: number | null } {
  const {
    b_id,
    b_hostAppId,
    b_credentialsCiphertext,
    b_credentialsKeyId,
    b_disconnectedAt,
    b_basicInfoSet,
    t_ciphertext,
    t_keyId,
    t_expiresAt,
    m_revision,
    ...sub
  } = row;
  const binding: StepBinding | null = b_id
    ? {
        id: b_id,
        host: sub.host,
        hostAppId: b_hostAppId,
        credentialsCiphertext: b_credentialsCiphertext,
        credentialsKeyId: b_credentialsKeyId,
        disconnectedAt: b_disconnectedAt,
        basicInfoSet: b_basicInfoSet === true,
      }
    : null;
  const ticket = t_ciphertext !== null ? { ciphertext: t_ciphertext, key_id: t_keyId, expires_at: t_expiresAt } : null;
  return { sub, binding, ticket, programRevision: m_revision };
}

/** Releases a full release or a gray one from the stage the submission is in. */
function actionPlan(sub: SubmissionEntity, action: SubmissionAction): Plan {
  const stage = sub.stage;
  const call = (op: HostOperation, grayPercentage: number | null = null): Plan => ({ kind: 'call', op, requested: true, grayPercentage });
  const drop = (why: string): Plan => ({ kind: 'drop', action, why });
  switch (action.op) {
    case 'release':
      return stage === 'APPROVED' || stage === 'GRAY'
        ? call('release', action.grayPercentage)
        : drop(`release needs APPROVED or GRAY, the submission is ${stage}`);
    case 'cancelGray':
      return stage === 'GRAY' ? call('cancelGray') : drop(`cancelGray needs GRAY, the submission is ${stage}`);
    case 'rollback':
      return stage === 'RELEASED' ? call('rollback') : drop(`rollback needs RELEASED, the submission is ${stage}`);
    case 'withdraw':
      return stage === 'IN_REVIEW' || stage === 'APPROVED' ? call('withdraw') : drop(`withdrawReview needs IN_REVIEW or APPROVED, the submission is ${stage}`);
    case 'speedUp':
      return stage === 'IN_REVIEW' ? call('speedUp') : drop(`speedUpReview needs IN_REVIEW, the submission is ${stage}`);
    case 'resubmit':
      return stage === 'REJECTED' || stage === 'WITHDRAWN' ? call('submit') : drop(`resubmission needs REJECTED or WITHDRAWN, the submission is ${stage}`);
    case 'restart':
      return stage === 'FAILED' ? { kind: 'local', action } : drop(`a restart needs FAILED, the submission is ${stage}`);
    case 'cancel':
      if (['PENDING', 'UPLOADING', 'UPLOADED'].includes(stage)) return { kind: 'local', action };
      if (stage === 'IN_REVIEW' || stage === 'APPROVED') return call('withdraw');
      return drop(`nothing to cancel at ${stage}`);
  }
}

/** The intent that announces the host call of `plan` (committed before the call is made). */
function intentOf(sub: SubmissionEntity, plan: Extract<Plan, { kind: 'call' }>): SubmissionIntent {
  return {
    op: plan.op,
    attempt: sub.attempts + 1,
    startedAt: new Date().toISOString(),
    grayPercentage: plan.grayPercentage,
    fromStage: sub.intent?.fromStage ?? sub.stage,
    requested: plan.requested,
  };
}

export function planOf(sub: SubmissionEntity): Plan {
  if (sub.intent) return { kind: 'call', op: sub.intent.op, requested: sub.intent.requested, grayPercentage: sub.intent.grayPercentage ?? null };
  if (sub.pendingAction) return actionPlan(sub, sub.pendingAction);
  switch (sub.stage) {
    case 'PENDING':
      return { kind: 'call', op: 'upload', requested: false, grayPercentage: null };
    case 'UPLOADED':
      return { kind: 'call', op: 'submit', requested: false, grayPercentage: null };
    case 'UPLOADING':
    case 'IN_REVIEW':
      return { kind: 'poll', read: 'reviewStatus' };
    case 'RELEASING':
      return { kind: 'poll', read: 'readListing' };
    case 'APPROVED':
      return sub.releaseMode === 'AUTO' && !sub.autoReleased
        ? { kind: 'call', op: 'release', requested: false, grayPercentage: sub.grayPercentage }
        : { kind: 'idle' };
    default:
      return { kind: 'idle' };
  }
}

/**
 * The publishing worker: advances one submission by one step under a PostgreSQL advisory lock
 * on its id (held on the step's own connection, so a killed worker frees it at once). A host
 * call that changes state is announced by an intent committed first; found still set, the host
 * is read before anything is repeated, so a host call is never doubled.
 */
@Injectable()
export class StepRunner {
  private readonly logger = new Logger('Publishing');
  private readonly limiter: HostLimiter;
  private readonly lockedVersions = new Map<string, VersionModel>();
  /** Mini-programs as read at a revision (every change bumps it): reused while the step's row names the same revision. */
  private readonly programsAtRevision = new Map<string, MiniProgramModel>();
  /** The revision of its mini-program each submission's step read with its row. */
  private readonly programRevisions = new WeakMap<SubmissionEntity, number>();
  /** The events of the transaction under way on a step's connection, written with the submission's row (see `commit`). */
  private readonly heldEvents = new WeakMap<EntityManager, NewListingEvent[]>();
  private readonly held: EventSink = {
    append: async (manager, event) => {
      const held = this.heldEvents.get(manager);
      if (!held) throw new Error('a submission event outside a step transaction');
      held.push(event);
    },
  };
  /** Submissions whose step may go on to the next at once (see STEPS_PER_JOB): set by `schedule` when it does. */
  private readonly chains = new WeakMap<SubmissionEntity, { goOn: boolean }>();
  /** What a read-back in the same step needs: the step's call context and what it read of the binding. */
  private readonly heldForReadBack = new WeakMap<SubmissionEntity, Pick<StepReadBack, 'ctx' | 'binding'>>();
  /** A read-back the transaction under way asks for, run once it commits (see `commit`). */
  private readonly readBacks = new WeakMap<SubmissionEntity, { bindingId: string; listing: LiveListing | null }>();

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
    private readonly bindings: BindingService,
    private readonly runtime: HostRuntime,
    private readonly programs: MiniProgramService,
    private readonly versions: VersionService,
    private readonly sync: SyncService,
  ) {
    this.limiter = new HostLimiter(db);
  }

  async run(submissionId: string): Promise<void> {
    const key = `submission:${submissionId}`;
    // Busy: another worker is on this submission; a step not yet due ends at once when looked at again.
    await runUnderStepLock(
      this.jobs.workerDb,
      key,
      async (runner, unlockWithStep) => {
        // Steps that leave the next due at once go on here; the last one queues its job as usual.
        for (let left = STEPS_PER_JOB - 1; await this.step(runner, submissionId, unlockWithStep, left > 0); left--);
      },
      (retryAt) => this.jobs.send(QUEUES.submissionStep, { submissionId }, { startAfter: retryAt }),
      // A job whose submission has nothing due (a poll a push has overtaken, a step already taken) ends here.
      { sql: DUE_LOCK, params: [submissionId, key, new Date(Date.now() + EARLY_SLACK_MS)] },
    );
  }

  /**
   * One step. With `mayGoOn`, a next step due at once is not queued: the answer is true and the
   * caller runs it under the lock it holds. Its row says it is due now, so if this worker dies
   * first the sweeper finds it overdue and queues it.
   */
  private async step(runner: QueryRunner, id: string, unlockWithStep: UnlockWithStep, mayGoOn = false): Promise<boolean> {
    // The submission, its binding and the host's pushed ticket: one statement, plain rows.
    const rows = await runPrepared<StepRow>(runner, STEP_READ, [id, PLATFORM_TICKET_PREFIX]);
    if (!rows[0]) return false;
    const { sub, binding, ticket, programRevision } = stepParts(rows[0]);
    if (programRevision !== null) this.programRevisions.set(sub, programRevision);
    const chain = { goOn: false };
    if (mayGoOn) this.chains.set(sub, chain);
    await this.stepOn(runner, sub, binding, ticket, unlockWithStep);
    return chain.goOn;
  }

  private async stepOn(
    runner: QueryRunner,
    sub: SubmissionEntity,
    binding: StepBinding | null,
    ticket: StoredTokenRow | null,
    unlockWithStep: UnlockWithStep,
  ): Promise<void> {
    const id = sub.id;
    const now = Date.now();
    if (!sub.intent && !sub.pendingAction && (sub.nextAttemptAt === null || sub.nextAttemptAt.getTime() > now + EARLY_SLACK_MS)) return;
    const plan = planOf(sub);
    this.logger.debug(`step ${id}: ${sub.stage} -> ${plan.kind}${plan.kind === 'call' ? ` ${plan.op}` : ''}`);
    if (plan.kind === 'idle') return this.commit(runner, sub, async (m, s) => this.scheduleNext(m, s, false));
    if (plan.kind === 'drop') return this.commit(runner, sub, async (m, s) => this.dropAction(m, s, plan.why));
    if (plan.kind === 'local') return this.commit(runner, sub, async (m, s) => this.applyLocal(m, s, plan.action));

    if (!binding || binding.disconnectedAt) {
      return this.commit(runner, sub, async (m, s) => this.fail(m, s, { kind: 'internal', op: 'binding', message: 'the host binding was disconnected' }, plan));
    }
    const host = sub.host as HostId;
    // A call with no intent left over is announced by the limiter's own statement, once granted.
    const announce = plan.kind === 'call' && !sub.intent ? intentOf(sub, plan) : null;
    const grant = await this.limiter.acquire(runner, host, binding.hostAppId, announce ? { submissionId: sub.id, intent: announce } : undefined);
    this.logger.debug(`step ${id}: limits ${grant.ok ? 'granted' : `denied (${grant.reason})`}`);
    // Over a limit: looked at again when it may pass. The row is left as it is (still due, so any
    // job may take it sooner): one statement, where a transaction would take five.
    if (!grant.ok) return this.jobs.send(QUEUES.submissionStep, { submissionId: id }, { startAfter: new Date(Date.now() + grant.retryInMs) });
    // The slots are freed with the submission's lock, in one statement, when the step is done. A
    // step that goes on takes its slots again (advisory locks count per connection), freed together.
    unlockWithStep(grant.handOver());
    const adapter = this.runtime.adapter(host);
    const ctx = await this.bindings.callContext(binding, { ticket });
    this.heldForReadBack.set(sub, { ctx, binding: { host, hostAppId: binding.hostAppId, basicInfoSet: binding.basicInfoSet } });
    if (plan.kind === 'poll') await this.poll(runner, sub, binding, adapter, ctx, plan.read);
    else await this.operate(runner, sub, binding, adapter, ctx, plan, grant.announced ? announce : null);
  }

  /** A host operation: reconcile a leftover intent first, else announce the intent, call, commit the outcome. */
  private async operate(
    runner: QueryRunner,
    sub: SubmissionEntity,
    binding: StepBinding,
    adapter: HostAdapter,
    ctx: CallContext<unknown>,
    plan: Extract<Plan, { kind: 'call' }>,
    announced: SubmissionIntent | null,
  ): Promise<void> {
    let stage: 'reconcile' | 'call' = 'call';
    try {
      if (announced) {
        // Written with the limits' grant; the call follows.
        sub.intent = announced;
        const outcome = await this.call(sub, adapter, ctx, plan);
        return await this.commit(runner, sub, async (m, s) => this.applyOutcome(m, s, binding, outcome, announced));
      }
      if (sub.intent) {
        stage = 'reconcile';
        const proven = await this.reconcile(sub, adapter, ctx, sub.intent);
        if (proven) return this.commit(runner, sub, async (m, s) => this.applyOutcome(m, s, binding, proven, s.intent!));
        this.logger.log(`submission ${sub.id}: ${sub.intent.op} did not take effect on ${sub.host}; trying it again`);
        stage = 'call';
      }
      const intent = intentOf(sub, plan);
      // Only the intent is written: one statement, which leaves a user's request that arrived
      // meanwhile alone. The stage moves with the outcome (an upload leaves PENDING only once the
      // host took it), so a definite refusal leaves the submission where it was, to be tried again.
      await runner.query('UPDATE submissions SET intent = $2, updated_at = now() WHERE id = $1', [sub.id, JSON.stringify(intent)]);
      sub.intent = intent;
      const outcome = await this.call(sub, adapter, ctx, plan);
      await this.commit(runner, sub, async (m, s) => this.applyOutcome(m, s, binding, outcome, intent));
    } catch (err) {
      // Only a definite refusal proves the host did nothing; anything else keeps the intent.
      const unknown = !(err instanceof HostError) || err.kind === 'unavailable';
      await this.commit(runner, sub, async (m, s) => {
        if (!unknown && stage === 'call') s.intent = null;
        await this.failed(m, s, binding, err, plan.op, plan);
      });
    }
  }

  private async call(sub: SubmissionEntity, adapter: HostAdapter, ctx: CallContext<unknown>, plan: Extract<Plan, { kind: 'call' }>): Promise<Outcome> {
    const ref = this.refOf(sub);
    switch (plan.op) {
      case 'upload': {
        const { def, spec } = await this.listing(sub);
        return { op: 'upload', result: await adapter.upload(ctx, def, spec) };
      }
      case 'submit': {
        const { def, spec } = await this.listing(sub);
        return { op: 'submit', result: await adapter.submitForReview(ctx, def, spec, ref) };
      }
      case 'release':
        return { op: 'release', result: await adapter.release(ctx, ref, plan.grayPercentage ? { grayPercentage: plan.grayPercentage } : {}) };
      case 'cancelGray':
        await adapter.cancelGray(ctx, ref);
        return { op: 'cancelGray' };
      case 'rollback':
        return { op: 'rollback', result: await adapter.rollback(ctx, ref) };
      case 'withdraw':
        await adapter.withdrawReview(ctx, ref);
        return { op: 'withdraw' };
      case 'speedUp':
        await adapter.speedUpReview(ctx, ref);
        return { op: 'speedUp', confirmed: true };
    }
  }

  /** Reads the host to learn whether an operation whose answer was lost took effect; null when it did not. */
  private async reconcile(sub: SubmissionEntity, adapter: HostAdapter, ctx: CallContext<unknown>, intent: SubmissionIntent): Promise<Outcome | null> {
    const ref = this.refOf(sub);
    switch (intent.op) {
      case 'upload': {
        const { spec } = await this.listing(sub);
        const found = await adapter.findUpload(ctx, spec);
        return found ? { op: 'upload', result: found } : null;
      }
      case 'submit': {
        // Without the previous audit id the host names its latest review of this version.
        const { auditId: previousAudit, ...ids } = ref.ids;
        const state = await adapter.reviewStatus(ctx, { version: ref.version, ids });
        const newAudit = state.ref.ids.auditId !== undefined && state.ref.ids.auditId !== previousAudit;
        const reviewed = state.status === 'IN_REVIEW' || state.status === 'APPROVED';
        const firstVerdict = intent.fromStage === 'UPLOADED' && state.status === 'REJECTED';
        return reviewed || firstVerdict || (newAudit && state.status !== 'UPLOADED') ? { op: 'submit', result: state } : null;
      }
      case 'release': {
        const live = await adapter.readListing(ctx);
        if (intent.grayPercentage) {
          return live.grayVersion === sub.version && live.grayPercentage === intent.grayPercentage
            ? { op: 'release', result: { status: 'GRAY', grayPercentage: intent.grayPercentage, response: live.response } }
            : null;
        }
        return live.liveVersion === sub.version ? { op: 'release', result: { status: 'RELEASED', grayPercentage: null, response: live.response } } : null;
      }
      case 'cancelGray': {
        const live = await adapter.readListing(ctx);
        return live.grayVersion !== sub.version ? { op: 'cancelGray' } : null;
      }
      case 'rollback': {
        const live = await adapter.readListing(ctx);
        return live.liveVersion !== sub.version ? { op: 'rollback', result: { restoredVersion: live.liveVersion, response: live.response } } : null;
      }
      case 'withdraw': {
        const state = await adapter.reviewStatus(ctx, ref);
        return state.status === 'WITHDRAWN' || state.status === 'UPLOADED' ? { op: 'withdraw' } : null;
      }
      case 'speedUp':
        // No host tells whether a speed-up was taken; asking twice would only spend quota.
        return { op: 'speedUp', confirmed: false };
    }
  }

  private async poll(
    runner: QueryRunner,
    sub: SubmissionEntity,
    binding: StepBinding,
    adapter: HostAdapter,
    ctx: CallContext<unknown>,
    read: 'reviewStatus' | 'readListing',
  ): Promise<void> {
    try {
      if (read === 'reviewStatus') {
        const state = await adapter.reviewStatus(ctx, this.refOf(sub));
        await this.commit(runner, sub, async (m, s) => this.applyReview(m, s, state));
      } else {
        const live = await adapter.readListing(ctx);
        await this.commit(runner, sub, async (m, s) => {
          if (live.liveVersion === s.version && !live.grayVersion) await this.released(m, s, binding, 'RELEASED', null, live.nativeStatus ?? null, live);
          else if (live.grayVersion === s.version) await this.released(m, s, binding, 'GRAY', live.grayPercentage, live.nativeStatus ?? null, live);
          await this.scheduleNext(m, s, false);
        });
      }
    } catch (err) {
      await this.commit(runner, sub, async (m, s) => this.failed(m, s, binding, err, read, { kind: 'poll', read }));
    }
  }

  /** A review status read from the host, applied from the submission's current stage. */
  private async applyReview(m: EntityManager, s: SubmissionEntity, state: ReviewState, schedule = true): Promise<void> {
    const before = s.stage;
    s.hostRef = state.ref;
    s.nativeStatus = state.nativeStatus ?? s.nativeStatus;
    const native = state.nativeStatus ?? null;
    if (s.stage === 'UPLOADING') {
      if (state.status === 'FAILED')
        await this.toFailed(m, s, { kind: 'rejected', op: 'upload', message: state.reason ?? 'the host could not build this version' });
      else if (state.status !== 'UPLOADING') await transition(this.held, m, s, 'UPLOADED', { nativeStatus: native });
    } else if (s.stage === 'IN_REVIEW') {
      s.evidence = { ...s.evidence, delayed: state.delayed === true };
      if (state.status === 'APPROVED') await transition(this.held, m, s, 'APPROVED', { nativeStatus: native });
      else if (state.status === 'REJECTED') {
        s.evidence = { ...s.evidence, rejectionReason: state.reason ?? null, screenshots: [...(state.screenshots ?? [])] };
        await transition(this.held, m, s, 'REJECTED', {
          nativeStatus: native,
          evidence: { reason: state.reason ?? null, screenshots: state.screenshots ?? [] },
        });
      } else if (state.status === 'WITHDRAWN') await transition(this.held, m, s, 'WITHDRAWN', { nativeStatus: native });
      else if (state.status === 'FAILED')
        await this.toFailed(m, s, { kind: 'rejected', op: 'reviewStatus', message: state.reason ?? 'the host dropped this version' });
    }
    s.attempts = 0;
    if (schedule) await this.scheduleNext(m, s, s.stage !== before);
  }

  private async applyOutcome(m: EntityManager, s: SubmissionEntity, binding: StepBinding, outcome: Outcome, intent: SubmissionIntent): Promise<void> {
    const before = s.stage;
    s.intent = null;
    s.attempts = 0;
    if (intent.requested) s.pendingAction = null;
    s.evidence = { ...s.evidence, lastError: null, note: null };
    switch (outcome.op) {
      case 'upload': {
        s.hostRef = outcome.result.ref;
        if (s.stage === 'PENDING') await transition(this.held, m, s, 'UPLOADING');
        if (outcome.result.status === 'UPLOADED') await transition(this.held, m, s, 'UPLOADED', { nativeStatus: outcome.result.nativeStatus ?? null });
        break;
      }
      case 'submit': {
        const r = outcome.result;
        s.hostRef = r.ref;
        s.reviewStartedAt = new Date();
        s.evidence = { ...s.evidence, rejectionReason: null, screenshots: [], delayed: false };
        await transition(this.held, m, s, 'IN_REVIEW', { nativeStatus: r.nativeStatus ?? null });
        if (r.status !== 'IN_REVIEW') await this.applyReview(m, s, { ...(r as ReviewState), ref: r.ref }, false);
        break;
      }
      case 'release': {
        if (!intent.requested) s.autoReleased = true;
        const r = outcome.result;
        if (r.status === 'RELEASING') await transition(this.held, m, s, 'RELEASING', { nativeStatus: r.nativeStatus ?? null });
        else await this.released(m, s, binding, r.status, r.grayPercentage ?? intent.grayPercentage ?? null, r.nativeStatus ?? null);
        break;
      }
      case 'cancelGray':
        await transition(this.held, m, s, 'APPROVED', { evidence: { grayCancelled: true } });
        await this.updateBinding(m, s, binding.id, { grayVersion: null, grayPercentage: null }, true);
        break;
      case 'rollback': {
        const fresh = await m.findOneByOrFail(HostBindingEntity, { id: binding.id });
        const restored = outcome.result.restoredVersion ?? fresh.previousLiveVersion;
        await transition(this.held, m, s, 'ROLLED_BACK', { nativeStatus: outcome.result.nativeStatus ?? null, evidence: { restoredVersion: restored } });
        await this.updateBinding(m, s, binding.id, { liveVersion: restored, previousLiveVersion: null, grayVersion: null, grayPercentage: null }, true);
        break;
      }
      case 'withdraw':
        await transition(this.held, m, s, 'WITHDRAWN');
        break;
      case 'speedUp':
        await note(this.held, m, s, 'REVIEW_SPEED_UP_REQUESTED', outcome.confirmed ? {} : { note: 'the answer was lost; not asked again' });
        break;
    }
    await this.scheduleNext(m, s, s.stage !== before);
  }

  /** RELEASED or GRAY: the submission moves and the binding's picture follows (`live`: the listing this step has just read, if it did). */
  private async released(
    m: EntityManager,
    s: SubmissionEntity,
    binding: StepBinding,
    to: 'RELEASED' | 'GRAY',
    pct: number | null,
    native: string | null,
    live: LiveListing | null = null,
  ): Promise<void> {
    await transition(this.held, m, s, to, { nativeStatus: native, evidence: to === 'GRAY' ? { grayPercentage: pct } : {} });
    if (to === 'RELEASED') {
      // The live version it replaces becomes the previous one (read and written in one statement: SET sees the old row).
      await m.query(
        `UPDATE host_bindings SET previous_live_version = CASE WHEN live_version IS DISTINCT FROM $2 THEN live_version ELSE previous_live_version END,
           live_version = $2, gray_version = NULL, gray_percentage = NULL, visibility = 'VISIBLE', settle_until = $3, updated_at = now()
         WHERE id = $1`,
        [binding.id, s.version, this.settleUntil()],
      );
      this.readBack(s, binding.id, live);
    } else await this.updateBinding(m, s, binding.id, { grayVersion: s.version, grayPercentage: pct }, true, live);
  }

  private settleUntil(): Date {
    return new Date(Date.now() + this.config.DRIFT_SETTLE_MS);
  }

  /**
   * After our own release, gray change or rollback the host is read back (drift), in this job once
   * the change is committed, on the step's connection: no job of its own. Should this worker die in
   * between, the sweeper's periodic read-back finds the binding not synced since.
   */
  private readBack(s: SubmissionEntity, bindingId: string, listing: LiveListing | null = null): void {
    this.readBacks.set(s, { bindingId, listing });
  }

  /** Changes the binding's picture; after our own release, gray change or rollback the host is read back. */
  private async updateBinding(
    m: EntityManager,
    s: SubmissionEntity,
    bindingId: string,
    picture: Partial<HostBindingEntity>,
    readBack: boolean,
    live: LiveListing | null = null,
  ): Promise<void> {
    const settleUntil = readBack ? this.settleUntil() : undefined;
    await m.getRepository(HostBindingEntity).update(bindingId, { ...picture, ...(settleUntil ? { settleUntil } : {}) });
    if (readBack) this.readBack(s, bindingId, live);
  }

  private async applyLocal(m: EntityManager, s: SubmissionEntity, action: SubmissionAction): Promise<void> {
    s.pendingAction = null;
    if (action.op === 'restart') {
      s.intent = null;
      s.attempts = 0;
      s.autoReleased = false;
      s.evidence = { ...s.evidence, lastError: null, note: null };
      await transition(this.held, m, s, 'PENDING', { evidence: { restarted: true } });
    } else if (action.op === 'cancel') {
      await this.toFailed(m, s, { kind: 'cancelled', op: 'cancel', message: 'the publish run was cancelled' });
    }
    await this.scheduleNext(m, s, true);
  }

  private async dropAction(m: EntityManager, s: SubmissionEntity, why: string): Promise<void> {
    const action = s.pendingAction;
    s.pendingAction = null;
    s.evidence = { ...s.evidence, note: why };
    await note(this.held, m, s, 'ACTION_FAILED', { action: action?.op ?? null, reason: why });
    await this.scheduleNext(m, s, false);
  }

  /** A failed step: wait for the quota window, back off with jitter, or give up with the native evidence. */
  private async failed(m: EntityManager, s: SubmissionEntity, binding: StepBinding, err: unknown, operation: string, plan: Plan): Promise<void> {
    const failure = failureOf(err, operation);
    s.evidence = { ...s.evidence, lastError: failure };
    await m.query('UPDATE host_bindings SET last_error = $2, updated_at = now() WHERE id = $1', [binding.id, JSON.stringify(failure)]);
    if (err instanceof HostError && err.kind === 'quota') {
      this.logger.warn(`submission ${s.id}: ${s.host} quota (${err.nativeCode ?? 'no code'}); waiting for the host's window`);
      return this.schedule(m, s, new Date(Date.now() + (err.retryAfterMs ?? this.config.QUOTA_RETRY_MS)));
    }
    const retryable = err instanceof HostError ? err.retryable : !(err instanceof UnsupportedCapabilityError);
    if (retryable && s.attempts + 1 < this.config.MAX_ATTEMPTS) {
      s.attempts += 1;
      const hostWait = err instanceof HostError ? (err.retryAfterMs ?? 0) : 0;
      const backoff = Math.min(this.config.RETRY_MAX_MS, this.config.RETRY_BASE_MS * 2 ** (s.attempts - 1));
      // Full jitter in the upper half: spread, but never much sooner than the backoff.
      const wait = Math.max(hostWait, backoff * (0.5 + Math.random() * 0.5));
      return this.schedule(m, s, new Date(Date.now() + wait));
    }
    s.attempts += 1;
    await this.fail(m, s, { kind: failure.kind, op: operation, message: failure.nativeMessage, failure }, plan);
  }

  /** A permanent failure: a user's action is dropped (the submission stays where it is); the pipeline ends FAILED. */
  private async fail(
    m: EntityManager,
    s: SubmissionEntity,
    why: { kind: string; op: string; message: string; failure?: ReturnType<typeof failureOf> },
    plan: Plan,
  ): Promise<void> {
    s.intent = null;
    if (plan.kind === 'call' && plan.requested) {
      const action = s.pendingAction;
      s.pendingAction = null;
      s.evidence = { ...s.evidence, note: `${action?.op ?? plan.op} failed: ${why.message}` };
      await note(this.held, m, s, 'ACTION_FAILED', { action: action?.op ?? plan.op, error: why.failure ?? why });
      return this.scheduleNext(m, s, false);
    }
    await this.toFailed(m, s, why);
    await this.scheduleNext(m, s, true);
  }

  private async toFailed(
    m: EntityManager,
    s: SubmissionEntity,
    why: { kind: string; op: string; message: string; failure?: ReturnType<typeof failureOf> },
  ): Promise<void> {
    const failure = why.failure ?? failureOf({ name: why.kind, message: why.message }, why.op);
    if (!why.failure) failure.kind = why.kind;
    s.evidence = { ...s.evidence, lastError: failure };
    if (s.stage !== 'FAILED') await transition(this.held, m, s, 'FAILED', { evidence: { error: failure } });
  }

  /** When to look again: now when work is ready, after the polling interval while the host works, never when it waits for the user. */
  private async scheduleNext(m: EntityManager, s: SubmissionEntity, changed: boolean): Promise<void> {
    const plan = planOf(s);
    if (plan.kind === 'idle') {
      s.pollIntervalMs = null;
      s.nextAttemptAt = null;
      return;
    }
    if (plan.kind === 'poll' && WAITING_ON_HOST.includes(s.stage)) {
      const min = this.config.SYNC_POLL_MIN_MS;
      s.pollIntervalMs = changed || !s.pollIntervalMs ? min : Math.min(this.config.SYNC_POLL_MAX_MS, s.pollIntervalMs * 2);
      return this.schedule(m, s, new Date(Date.now() + s.pollIntervalMs));
    }
    return this.schedule(m, s, new Date());
  }

  private async schedule(m: EntityManager, s: SubmissionEntity, at: Date): Promise<void> {
    s.nextAttemptAt = at;
    const chain = this.chains.get(s);
    if (chain && at.getTime() <= Date.now()) {
      chain.goOn = true;
      return;
    }
    if (chain) chain.goOn = false;
    await this.jobs.send(QUEUES.submissionStep, { submissionId: s.id }, { manager: m, startAfter: at });
  }

  /**
   * Runs `change` on a fresh copy of the row, taken FOR UPDATE in one transaction on the step's
   * connection, keeping a user's request that arrived meanwhile; then writes it back, with the
   * events of its transitions, in one statement.
   */
  private async commit(runner: QueryRunner, sub: SubmissionEntity, change: (m: EntityManager, s: SubmissionEntity) => Promise<void>): Promise<void> {
    try {
      const m = runner.manager;
      // BEGIN and the locked read: one round trip.
      const rows = await beginWith<SubmissionEntity>(runner, lockedRead(sub.id));
      const fresh = rows[0];
      if (!fresh) throw new Error(`submission ${sub.id} is gone`);
      const mine = { ...sub };
      Object.assign(sub, fresh, { intent: mine.intent, hostRef: mine.hostRef ?? fresh.hostRef });
      const events: NewListingEvent[] = [];
      this.heldEvents.set(m, events);
      await change(m, sub);
      if (events.length > 0) await this.events.appendAll(m, events, persistStatement(sub, 3));
      else {
        const update = persistStatement(sub);
        await runPrepared(runner, update.sql, update.values);
      }
      await endTransaction(runner, 'COMMIT');
    } catch (err) {
      this.readBacks.delete(sub);
      await endTransaction(runner, 'ROLLBACK');
      throw err;
    } finally {
      this.heldEvents.delete(runner.manager);
    }
    const readBack = this.readBacks.get(sub);
    if (readBack) {
      this.readBacks.delete(sub);
      const held = this.heldForReadBack.get(sub);
      // On the step's connection, with what the step already holds of the binding (its call context, its basic-info flag).
      // The change is committed: a read-back that fails (the host's failures it records itself) is
      // left to the periodic one, not taken for a failure of the step.
      try {
        if (held) await this.sync.readBack(readBack.bindingId, { runner, ...held, listing: readBack.listing });
        else await this.sync.readBack(readBack.bindingId);
      } catch (err) {
        this.logger.warn(
          `read-back of binding ${readBack.bindingId} after submission ${sub.id} failed; the periodic read-back will do it: ${(err as Error).message}`,
        );
      }
    }
  }

  private refOf(sub: SubmissionEntity): HostVersionRef {
    return sub.hostRef ?? { version: sub.version, ids: {} };
  }

  private async listing(sub: SubmissionEntity) {
    const host = sub.host as HostId;
    const [program, version] = await Promise.all([this.program(sub), this.version(sub)]);
    return { def: listingFor(program, host), spec: versionSpecFor(version, host) };
  }

  /** The submission's mini-program: read again only when its revision moved since it was kept. */
  private async program(sub: SubmissionEntity): Promise<MiniProgramModel> {
    const key = `${sub.organizationId}:${sub.miniProgramId}`;
    const revision = this.programRevisions.get(sub);
    const kept = this.programsAtRevision.get(key);
    if (kept && revision !== undefined && kept.revision === revision) return kept;
    const program = await this.programs.get(sub.organizationId, sub.miniProgramId);
    this.programsAtRevision.delete(key);
    if (this.programsAtRevision.size >= PROGRAMS_KEPT) this.programsAtRevision.delete(this.programsAtRevision.keys().next().value!);
    this.programsAtRevision.set(key, program);
    return program;
  }

  /** The submission's version: a locked one (every published version is) never changes again, so it is kept in memory. */
  private async version(sub: SubmissionEntity): Promise<VersionModel> {
    const key = `${sub.organizationId}:${sub.versionId}`;
    const kept = this.lockedVersions.get(key);
    if (kept) return kept;
    const version = await this.versions.get(sub.organizationId, sub.versionId);
    if (version.locked) {
      if (this.lockedVersions.size >= LOCKED_VERSIONS_KEPT) this.lockedVersions.delete(this.lockedVersions.keys().next().value!);
      this.lockedVersions.set(key, version);
    }
    return version;
  }
}
