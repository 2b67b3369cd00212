import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { canTransition, type HostId, type SubmissionStatus } from '../../adapters/core/index.js';
import { MiniProgramService } from '../catalog/mini-program.service.js';
import { VersionService } from '../catalog/version.service.js';
import { GatewayError, type FieldViolation } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import { sqlPool } from '../database/sql-pool.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { EventsService } from '../events/events.service.js';
import { BindingService } from '../hosts/binding.service.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import { ListingValidationService } from '../hosts/listing-validation.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { PublishRunEntity } from './publish-run.entity.js';
import { type PublishInput, type PublishProgressModel, type PublishRunModel, type SubmissionModel, ReleaseMode } from './publishing.models.js';
import { ACTIVE_STAGES, blocksNewPublish, note, persist } from './submission-machine.js';
import { SubmissionEntity, type SubmissionAction } from './submission.entity.js';

const IDEMPOTENCY_CONSTRAINT = 'uq_publish_runs_org_idempotency';

export function toRunModel(row: PublishRunEntity, version: string): PublishRunModel {
  return {
    id: row.id,
    miniProgramId: row.miniProgramId,
    versionId: row.versionId,
    version,
    hosts: row.hosts as HostId[],
    release: row.releaseMode as ReleaseMode,
    grayPercentage: row.grayPercentage,
    idempotencyKey: row.idempotencyKey,
    cancelledAt: row.cancelledAt,
    createdAt: row.createdAt,
  };
}

export function toSubmissionModel(row: SubmissionEntity): SubmissionModel {
  const e = row.evidence ?? {};
  return {
    id: row.id,
    runId: row.runId,
    bindingId: row.bindingId,
    host: row.host as HostId,
    version: row.version,
    stage: row.stage,
    hostIds: Object.entries(row.hostRef?.ids ?? {}).map(([name, value]) => ({ name, value })),
    nativeStatus: row.nativeStatus,
    rejectionReason: e.rejectionReason ?? null,
    screenshots: e.screenshots ?? [],
    reviewDelayed: e.delayed === true,
    lastError: e.lastError ? { ...e.lastError, at: new Date(e.lastError.at) } : null,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    releaseMode: row.releaseMode as ReleaseMode,
    grayPercentage: row.grayPercentage,
    pendingAction: row.pendingAction
      ? { op: row.pendingAction.op, grayPercentage: row.pendingAction.op === 'release' ? row.pendingAction.grayPercentage : null }
      : null,
    note: e.note ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function progressOf(subs: SubmissionEntity[]): PublishProgressModel {
  const count = (f: (s: SubmissionEntity) => boolean) => subs.filter(f).length;
  const inProgress = count(
    (s) => ['PENDING', 'UPLOADING', 'UPLOADED', 'RELEASING'].includes(s.stage) || (s.stage === 'APPROVED' && s.releaseMode === 'AUTO' && !s.autoReleased),
  );
  const inReview = count((s) => s.stage === 'IN_REVIEW');
  return {
    total: subs.length,
    released: count((s) => s.stage === 'RELEASED' || s.stage === 'ROLLED_BACK'),
    gray: count((s) => s.stage === 'GRAY'),
    inReview,
    inProgress,
    waitingForYou: count(
      (s) => (s.stage === 'APPROVED' && (s.releaseMode === 'MANUAL' || s.autoReleased)) || s.stage === 'REJECTED' || s.stage === 'WITHDRAWN',
    ),
    failed: count((s) => s.stage === 'FAILED'),
    settled: inProgress === 0 && inReview === 0 && subs.every((s) => !s.pendingAction),
  };
}

function fingerprint(input: PublishInput): string {
  const canonical = {
    miniProgramId: input.miniProgramId,
    versionId: input.versionId,
    hosts: [...input.hosts],
    release: input.release,
    grayPercentage: input.grayPercentage ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

const stageRefusal = (field: string, what: string, stage: SubmissionStatus, needs: string) =>
  new GatewayError('CONFLICT', `${what} needs the submission ${needs}; it is ${stage}`, [
    { field, rule: 'stageDoesNotAllow', message: `${what} needs ${needs}; the submission is ${stage}` },
  ]);
const capabilityRefusal = (field: string, host: string, capability: string, detail = '') =>
  GatewayError.badInput([{ field, rule: 'capabilityMissing', message: `${host} does not offer ${capability}${detail ? `: ${detail}` : ''}` }]);

/**
 * The publish mutations and queries. A mutation only checks and records (the run, its
 * submissions, a requested action) and queues the work in the same transaction; the workers
 * call the hosts. Every refusal names the field and the rule, before any host call.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(PublishRunEntity) private readonly runs: Repository<PublishRunEntity>,
    @InjectRepository(SubmissionEntity) private readonly submissions: Repository<SubmissionEntity>,
    private readonly programs: MiniProgramService,
    private readonly versions: VersionService,
    private readonly validation: ListingValidationService,
    private readonly bindings: BindingService,
    private readonly runtime: HostRuntime,
    private readonly events: EventsService,
    private readonly jobs: JobsService,
  ) {}

  async publish(organizationId: string, input: PublishInput): Promise<PublishRunModel> {
    const print = fingerprint(input);
    if (input.idempotencyKey) {
      const replay = await this.replayOf(organizationId, input.idempotencyKey, print);
      if (replay) return replay;
    }
    const program = await this.programs.get(organizationId, input.miniProgramId);
    const version = await this.versions.get(organizationId, input.versionId);
    if (version.miniProgramId !== program.id) throw GatewayError.notFound('Version', input.versionId);
    if (program.archived) throw GatewayError.conflict(`Mini-program ${program.id} is archived: unarchive it before publishing`);
    const bound = await this.bindings.activeByHost(organizationId, program.id);
    const violations: FieldViolation[] = [];
    input.hosts.forEach((host, i) => {
      if (!bound.has(host))
        violations.push({ field: `hosts.${i}`, rule: 'hostNotBound', message: `${host} is not bound to this mini-program: connectHost first` });
    });
    if (input.grayPercentage && input.release !== ReleaseMode.AUTO) {
      violations.push({
        field: 'grayPercentage',
        rule: 'grayNeedsAutoRelease',
        message: 'grayPercentage applies to an AUTO release; with MANUAL pass it to release',
      });
    }
    for (const [i, host] of input.hosts.entries()) {
      const caps = this.runtime.adapter(host).capabilities;
      if (!caps.artifactKinds.includes(version.artifact.kind)) {
        violations.push({ field: `hosts.${i}`, rule: 'capabilityMissing', message: `${host} does not take ${version.artifact.kind} artifacts` });
      }
      if (input.grayPercentage) {
        const problem = grayProblem(caps.grayRelease, input.grayPercentage, null);
        if (problem) violations.push({ field: 'grayPercentage', rule: 'capabilityMissing', message: `${host}: ${problem}` });
      }
    }
    for (const v of await this.validation.validate(organizationId, program.id, version.id, input.hosts)) {
      for (const x of v.violations) violations.push({ field: `${v.host}.${x.field}`, rule: x.rule, message: `${v.host}: ${x.message}` });
    }
    if (violations.length > 0) throw GatewayError.badInput(violations);

    try {
      return await this.db.transaction(async (m) => {
        const locked = await this.versions.lockForPublish(m, organizationId, version.id);
        // Publishes of one version wait for each other on its lock: a replay of a key that just
        // committed is found here rather than refused as a second run in flight.
        if (input.idempotencyKey) {
          const replay = await m.getRepository(PublishRunEntity).findOneBy({ organizationId, idempotencyKey: input.idempotencyKey });
          if (replay) return (await this.replayOf(organizationId, input.idempotencyKey, print, m))!;
        }
        const busy = await m.getRepository(SubmissionEntity).find({
          where: { bindingId: In(input.hosts.map((h) => bound.get(h)!.id)), stage: In([...ACTIVE_STAGES]) },
        });
        const blocking = busy.filter(blocksNewPublish);
        if (blocking.length > 0) {
          throw new GatewayError(
            'CONFLICT',
            `Another version is still in flight on ${blocking.map((b) => `${b.host} (${b.version}, ${b.stage}, submission ${b.id})`).join(', ')}: wait for it, or withdraw or cancel it`,
            blocking.map((b) => ({
              field: `hosts.${input.hosts.indexOf(b.host as HostId)}`,
              rule: 'submissionInFlight',
              message: `${b.host} has ${b.version} at ${b.stage}`,
            })),
          );
        }
        const run = await m.getRepository(PublishRunEntity).save(
          m.getRepository(PublishRunEntity).create({
            organizationId,
            miniProgramId: program.id,
            versionId: version.id,
            hosts: [...input.hosts],
            releaseMode: input.release,
            grayPercentage: input.grayPercentage ?? null,
            idempotencyKey: input.idempotencyKey ?? null,
            requestFingerprint: print,
            cancelledAt: null,
          }),
        );
        for (const host of input.hosts) {
          const sub = await m.getRepository(SubmissionEntity).save(
            m.getRepository(SubmissionEntity).create({
              organizationId,
              runId: run.id,
              bindingId: bound.get(host)!.id,
              miniProgramId: program.id,
              versionId: version.id,
              version: locked.version,
              host,
              stage: 'PENDING',
              hostRef: null,
              nativeStatus: null,
              evidence: {},
              attempts: 0,
              nextAttemptAt: new Date(),
              pollIntervalMs: null,
              releaseMode: input.release,
              grayPercentage: input.grayPercentage ?? null,
              autoReleased: false,
              pendingAction: null,
              intent: null,
              reviewStartedAt: null,
            }),
          );
          await this.events.append(m, {
            organizationId,
            miniProgramId: program.id,
            bindingId: sub.bindingId,
            submissionId: sub.id,
            host,
            type: 'STAGE_CHANGED',
            fromStage: null,
            toStage: 'PENDING',
            evidence: { version: locked.version, runId: run.id },
          });
          await this.jobs.send(QUEUES.submissionStep, { submissionId: sub.id }, { manager: m });
        }
        return toRunModel(run, locked.version);
      });
    } catch (err) {
      // Two requests with one key at once: the second finds the first's run.
      if (input.idempotencyKey && isUniqueViolation(err, IDEMPOTENCY_CONSTRAINT)) {
        const replay = await this.replayOf(organizationId, input.idempotencyKey, print);
        if (replay) return replay;
      }
      throw err;
    }
  }

  private async replayOf(organizationId: string, key: string, print: string, manager?: EntityManager): Promise<PublishRunModel | null> {
    const existing = await (manager ? manager.getRepository(PublishRunEntity) : this.runs).findOneBy({ organizationId, idempotencyKey: key });
    if (!existing) return null;
    if (existing.requestFingerprint !== print) {
      throw new GatewayError('CONFLICT', `idempotencyKey ${key} was used for another publish request (run ${existing.id})`, [
        { field: 'idempotencyKey', rule: 'idempotencyKeyReused', message: 'this key was used with another input' },
      ]);
    }
    return this.runModel(existing);
  }

  async release(organizationId: string, submissionId: string, grayPercentage: number | null): Promise<SubmissionModel> {
    const target = await this.submissions.findOneBy({ id: submissionId, organizationId });
    const binding = target ? await this.bindings.byId(target.bindingId) : null;
    return this.request(organizationId, submissionId, (s) => {
      const caps = this.runtime.adapter(s.host as HostId).capabilities;
      if (grayPercentage) {
        const current = s.stage === 'GRAY' && binding?.grayVersion === s.version ? binding.grayPercentage : null;
        const problem = grayProblem(caps.grayRelease, grayPercentage, current);
        if (problem) throw capabilityRefusal('grayPercentage', s.host, 'this gray release', problem);
      }
      const target: SubmissionStatus = grayPercentage ? 'GRAY' : 'RELEASED';
      if (!(s.stage === 'APPROVED' || s.stage === 'GRAY') || !canTransition(s.stage, target)) {
        throw stageRefusal('submissionId', grayPercentage ? 'A gray release' : 'A release', s.stage, 'APPROVED or GRAY');
      }
      return { op: 'release', grayPercentage: grayPercentage ?? null };
    });
  }

  cancelGray(organizationId: string, submissionId: string): Promise<SubmissionModel> {
    return this.request(organizationId, submissionId, (s) => {
      const gray = this.runtime.adapter(s.host as HostId).capabilities.grayRelease;
      if (!gray) throw capabilityRefusal('submissionId', s.host, 'gray release');
      if (!gray.cancellable) throw capabilityRefusal('submissionId', s.host, 'cancelling a gray release');
      if (s.stage !== 'GRAY' || !canTransition('GRAY', 'APPROVED')) throw stageRefusal('submissionId', 'cancelGray', s.stage, 'GRAY');
      return { op: 'cancelGray' };
    });
  }

  async rollback(organizationId: string, bindingId: string): Promise<SubmissionModel> {
    const binding = await this.bindings.get(organizationId, bindingId);
    if (binding.disconnectedAt) throw GatewayError.notFound('Host binding', bindingId);
    if (!this.runtime.adapter(binding.host as HostId).capabilities.rollback) throw capabilityRefusal('bindingId', binding.host, 'rollback');
    const live = binding.liveVersion
      ? await this.submissions.findOne({ where: { bindingId, stage: 'RELEASED', version: binding.liveVersion }, order: { createdAt: 'DESC' } })
      : null;
    if (!live) {
      throw new GatewayError('CONFLICT', `Nothing released through the gateway is live on ${binding.host} for this binding`, [
        { field: 'bindingId', rule: 'nothingToRollBack', message: `no RELEASED submission of the live version ${binding.liveVersion ?? '(none)'}` },
      ]);
    }
    if (!binding.previousLiveVersion) {
      throw new GatewayError('CONFLICT', `No earlier version was live on ${binding.host}: a rollback has nothing to restore`, [
        { field: 'bindingId', rule: 'nothingToRestore', message: 'no previous live version is known' },
      ]);
    }
    return this.request(organizationId, live.id, (s) => {
      if (s.stage !== 'RELEASED' || !canTransition('RELEASED', 'ROLLED_BACK')) throw stageRefusal('bindingId', 'A rollback', s.stage, 'RELEASED');
      return { op: 'rollback' };
    });
  }

  withdrawReview(organizationId: string, submissionId: string): Promise<SubmissionModel> {
    return this.request(organizationId, submissionId, (s) => {
      if (!this.runtime.adapter(s.host as HostId).capabilities.withdrawReview) throw capabilityRefusal('submissionId', s.host, 'withdrawing a review');
      if (!canTransition(s.stage, 'WITHDRAWN') || s.stage === 'REJECTED')
        throw stageRefusal('submissionId', 'withdrawReview', s.stage, 'IN_REVIEW or APPROVED');
      return { op: 'withdraw' };
    });
  }

  speedUpReview(organizationId: string, submissionId: string): Promise<SubmissionModel> {
    return this.request(organizationId, submissionId, (s) => {
      if (!this.runtime.adapter(s.host as HostId).capabilities.speedUpReview) throw capabilityRefusal('submissionId', s.host, 'expedited review');
      if (s.stage !== 'IN_REVIEW') throw stageRefusal('submissionId', 'speedUpReview', s.stage, 'IN_REVIEW');
      return { op: 'speedUp' };
    });
  }

  retrySubmission(organizationId: string, submissionId: string): Promise<SubmissionModel> {
    return this.request(organizationId, submissionId, (s) => {
      if (s.stage === 'FAILED' && canTransition('FAILED', 'PENDING')) return { op: 'restart' };
      if ((s.stage === 'REJECTED' || s.stage === 'WITHDRAWN') && canTransition(s.stage, 'IN_REVIEW')) return { op: 'resubmit' };
      throw stageRefusal('submissionId', 'retrySubmission', s.stage, 'FAILED, REJECTED or WITHDRAWN');
    });
  }

  async cancelPublishRun(organizationId: string, runId: string): Promise<PublishRunModel> {
    const run = await this.db.transaction(async (m) => {
      const row = await m.getRepository(PublishRunEntity).findOne({ where: { id: runId, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('Publish run', runId);
      if (row.cancelledAt)
        throw new GatewayError('CONFLICT', `Publish run ${runId} is already cancelled`, [
          { field: 'id', rule: 'alreadyCancelled', message: 'already cancelled' },
        ]);
      const subs = await m.getRepository(SubmissionEntity).find({ where: { runId }, lock: { mode: 'pessimistic_write' } });
      const cancellable = subs.filter((s) => !s.pendingAction && cancelPlan(s, this.runtime.adapter(s.host as HostId).capabilities.withdrawReview));
      if (cancellable.length === 0) {
        throw new GatewayError('CONFLICT', `Nothing in publish run ${runId} can still be cancelled`, [
          { field: 'id', rule: 'nothingToCancel', message: 'every submission is released, settled, or in review on a host without withdrawal' },
        ]);
      }
      for (const s of cancellable) await this.recordAction(m, s, { op: 'cancel' });
      row.cancelledAt = new Date();
      await m.getRepository(PublishRunEntity).update(row.id, { cancelledAt: row.cancelledAt });
      return row;
    });
    return this.runModel(run);
  }

  /** Refuses or records a requested action on a submission, under its row lock, and queues the worker. */
  private async request(organizationId: string, submissionId: string, check: (s: SubmissionEntity) => SubmissionAction): Promise<SubmissionModel> {
    return this.db.transaction(async (m) => {
      const s = await m.getRepository(SubmissionEntity).findOne({ where: { id: submissionId, organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!s) throw GatewayError.notFound('Submission', submissionId);
      if (s.pendingAction || s.intent) {
        throw new GatewayError('CONFLICT', `Submission ${submissionId} is busy with ${s.pendingAction?.op ?? s.intent?.op}; wait until it is done`, [
          { field: 'submissionId', rule: 'actionInProgress', message: `${s.pendingAction?.op ?? s.intent?.op} is in progress` },
        ]);
      }
      const action = check(s);
      await this.recordAction(m, s, action);
      return toSubmissionModel(s);
    });
  }

  private async recordAction(m: EntityManager, s: SubmissionEntity, action: SubmissionAction): Promise<void> {
    s.pendingAction = action;
    s.nextAttemptAt = new Date();
    s.evidence = { ...s.evidence, note: null };
    await note(this.events, m, s, 'ACTION_REQUESTED', { action: action.op, ...(action.op === 'release' ? { grayPercentage: action.grayPercentage } : {}) });
    await persist(m, s);
    await this.jobs.send(QUEUES.submissionStep, { submissionId: s.id }, { manager: m });
  }

  // --- queries ---

  async run(organizationId: string, id: string): Promise<PublishRunModel> {
    const row = await this.runs.findOneBy({ id, organizationId });
    if (!row) throw GatewayError.notFound('Publish run', id);
    return this.runModel(row);
  }

  async submissionsOf(runId: string): Promise<SubmissionEntity[]> {
    const rows = await this.submissions.find({ where: { runId } });
    const run = await this.runs.findOneBy({ id: runId });
    const order = run?.hosts ?? [];
    return rows.sort((a, b) => order.indexOf(a.host) - order.indexOf(b.host));
  }

  /** Publish runs of one mini-program, newest first, each with its version string: one statement per page. */
  listRuns(organizationId: string, miniProgramId: string, args: { first: number; after?: string | null }): Promise<Connection<PublishRunModel>> {
    return keysetPage<PublishRunEntity & { versionString: string }, PublishRunModel>(
      sqlPool(this.db),
      {
        columns:
          'r.id, r.organization_id AS "organizationId", r.mini_program_id AS "miniProgramId", r.version_id AS "versionId", r.hosts, ' +
          'r.release_mode AS "releaseMode", r.gray_percentage AS "grayPercentage", r.idempotency_key AS "idempotencyKey", ' +
          'r.request_fingerprint AS "requestFingerprint", r.cancelled_at AS "cancelledAt", r.created_at AS "createdAt", v.version AS "versionString"',
        from: 'publish_runs r JOIN versions v ON v.id = r.version_id',
        alias: 'r',
        where: ['r.organization_id = $1', 'r.mini_program_id = $2'],
        params: [organizationId, miniProgramId],
      },
      args,
      (row) => toRunModel(row, row.versionString),
    );
  }

  /**
   * A host pushed a review result for a binding: its submissions in review (of `version`, when
   * the push names one) are looked at now; the worker reads the host and applies what it confirms.
   */
  async wakeReviews(manager: EntityManager, bindingId: string, version: string | null): Promise<string[]> {
    // One statement: the UPDATE locks the rows it changes, as a read FOR UPDATE first would.
    const [woken] = await manager.query<[Array<{ id: string; version: string }>, number]>(
      `UPDATE submissions SET next_attempt_at = now(), poll_interval_ms = NULL, updated_at = now()
       WHERE binding_id = $1 AND stage = 'IN_REVIEW' AND ($2::text IS NULL OR version = $2) RETURNING id, version`,
      [bindingId, version],
    );
    for (const s of woken) await this.jobs.send(QUEUES.submissionStep, { submissionId: s.id }, { manager });
    return woken.map((s) => s.version);
  }

  /** The host says the app's authorization was withdrawn: kept on the binding and in the events. */
  async authorizationRevoked(manager: EntityManager, bindingId: string): Promise<void> {
    const binding = await this.bindings.byId(bindingId, manager);
    if (!binding) return;
    const at = new Date().toISOString();
    await manager.query('UPDATE host_bindings SET last_error = $2 WHERE id = $1', [
      bindingId,
      JSON.stringify({
        kind: 'auth',
        nativeCode: null,
        nativeMessage: 'the host reports the app withdrew its authorization',
        requestId: null,
        operation: 'push',
        at,
      }),
    ]);
    await this.events.append(manager, {
      organizationId: binding.organizationId,
      miniProgramId: binding.miniProgramId,
      bindingId,
      submissionId: null,
      host: binding.host,
      type: 'AUTHORIZATION_REVOKED',
      evidence: { hostAppId: binding.hostAppId },
    });
  }

  /** Whether a binding may be disconnected now: not while a version is in flight on it. */
  async bindingBusy(manager: EntityManager, bindingId: string): Promise<string | null> {
    const busy = await manager.getRepository(SubmissionEntity).findOne({ where: { bindingId, stage: In([...ACTIVE_STAGES]) } });
    return busy ? `Submission ${busy.id} (${busy.version}) is ${busy.stage} on this binding: cancel or withdraw it before disconnecting` : null;
  }

  private async runModel(row: PublishRunEntity): Promise<PublishRunModel> {
    const version = await this.versions.get(row.organizationId, row.versionId);
    return toRunModel(row, version.version);
  }
}

/** Why a gray percentage is refused on a host, or null when it is accepted. */
export function grayProblem(
  gray: { allowedPercentages: readonly number[] | null; min: number; max: number; mustIncrease: boolean } | null,
  pct: number,
  current: number | null,
): string | null {
  if (!gray) return 'no gray release API';
  if (gray.allowedPercentages && !gray.allowedPercentages.includes(pct))
    return `gray percentage must be one of ${gray.allowedPercentages.join(', ')}, got ${pct}`;
  if (pct < gray.min || pct > gray.max) return `gray percentage must be from ${gray.min} to ${gray.max}, got ${pct}`;
  if (gray.mustIncrease && current !== null && pct <= current) return `the gray percentage must increase (now ${current}), got ${pct}`;
  return null;
}

function cancelPlan(s: SubmissionEntity, canWithdraw: boolean): boolean {
  if (['PENDING', 'UPLOADING', 'UPLOADED'].includes(s.stage)) return true;
  return canWithdraw && (s.stage === 'IN_REVIEW' || s.stage === 'APPROVED');
}
