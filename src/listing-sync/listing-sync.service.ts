import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import { HostError, type BasicInfoField, type BasicInfoSnapshot, type HostId } from '../../adapters/core/index.js';
import type { MiniProgramModel } from '../catalog/catalog.models.js';
import { listingFor } from '../catalog/listing-projection.js';
import { MiniProgramService } from '../catalog/mini-program.service.js';
import { GatewayError, type FieldViolation } from '../common/gateway-error.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { EventsService } from '../events/events.service.js';
import { BindingService } from '../hosts/binding.service.js';
import { HostBindingEntity } from '../hosts/host-binding.entity.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { failureOf } from '../publishing/submission-machine.js';
import { fetchCheckedIcon, IconFetchError } from './icon-fetcher.js';
import { planHost, quotaUseKey, targetText, type FieldPlan } from './listing-plan.js';
import { ListingSyncRunEntity } from './listing-sync-run.entity.js';
import { ListingSyncStepEntity, OPEN_FIELD_STATES } from './listing-sync-step.entity.js';
import {
  FIELD_OF,
  LISTING_FIELD_OF,
  ListingField,
  ListingFieldState,
  type ListingFieldSyncModel,
  type ListingSyncPlanModel,
  type ListingSyncRunModel,
  type SyncListingInput,
} from './listing-sync.models.js';

const IDEMPOTENCY_CONSTRAINT = 'uq_listing_sync_runs_org_idempotency';
const ALL_FIELDS = Object.values(ListingField);
// Refusals the caller cannot fix by changing the request, only by waiting.
const WAIT_RULES = new Set(['reviewInProgress', 'quotaExhausted']);

export interface HostPlan {
  host: HostId;
  binding: HostBindingEntity;
  fields: FieldPlan[];
}

function fingerprint(input: SyncListingInput): string {
  return createHash('sha256')
    .update(JSON.stringify({ miniProgramId: input.miniProgramId, hosts: [...input.hosts], fields: [...input.fields] }))
    .digest('hex');
}

export function toStepModel(row: ListingSyncStepEntity): ListingFieldSyncModel {
  const { lastError, ...evidence } = row.evidence ?? {};
  return {
    id: row.id,
    host: row.host as HostId,
    bindingId: row.bindingId,
    field: LISTING_FIELD_OF[row.field],
    state: row.state as ListingFieldState,
    value: targetText(row.target),
    reviewId: row.reviewId,
    reviewReason: row.reviewReason,
    nativeStatus: row.nativeStatus,
    evidence: evidence,
    lastError: lastError ? { ...lastError, at: new Date(lastError.at) } : null,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Listing sync: `plan` reads each host's basic info and compares it with the definition (host
 * overrides applied); `sync` refuses what the plan says is blocked, before any change call, and
 * otherwise records the run and one step per field and host with their jobs in one transaction.
 * The listing workers (ListingStepRunner) make the host calls.
 */
@Injectable()
export class ListingSyncService {
  constructor(
    private readonly db: DataSource,
    @InjectRepository(ListingSyncRunEntity) private readonly runs: Repository<ListingSyncRunEntity>,
    @InjectRepository(ListingSyncStepEntity) private readonly steps: Repository<ListingSyncStepEntity>,
    private readonly programs: MiniProgramService,
    private readonly bindings: BindingService,
    private readonly runtime: HostRuntime,
    private readonly events: EventsService,
    private readonly jobs: JobsService,
    private readonly config: GatewayConfig,
  ) {}

  async planModel(organizationId: string, miniProgramId: string, hosts: HostId[], fields: ListingField[] | undefined): Promise<ListingSyncPlanModel> {
    const program = await this.programs.get(organizationId, miniProgramId);
    const plans = await this.plan(
      organizationId,
      program,
      hosts,
      (fields ?? ALL_FIELDS).map((f) => FIELD_OF[f]),
    );
    const all = plans.flatMap((p) => p.fields);
    return {
      miniProgramId: program.id,
      revision: program.revision,
      hosts: plans.map((p) => ({
        host: p.host,
        bindingId: p.binding.id,
        fields: p.fields.map((f) => ({
          field: LISTING_FIELD_OF[f.field],
          action: f.action as never,
          comparison: f.comparison as never,
          current: f.current,
          desired: f.desired,
          needsReview: f.needsReview,
          usesQuota: f.usesQuota,
          quota: f.quota,
          blockers: f.blockers,
          note: f.note,
        })),
      })),
      changes: all.filter((f) => f.action === 'CHANGE').length,
      blocked: all.filter((f) => f.action === 'BLOCKED' || f.action === 'NOT_OFFERED').length,
    };
  }

  /** Reads each host's basic info and plans every field asked for; refuses hosts that are not bound. */
  async plan(organizationId: string, program: MiniProgramModel, hosts: HostId[], fields: BasicInfoField[]): Promise<HostPlan[]> {
    const bound = await this.bindings.activeByHost(organizationId, program.id);
    const missing: FieldViolation[] = hosts.flatMap((h, i) =>
      bound.has(h) ? [] : [{ field: `hosts.${i}`, rule: 'hostNotBound', message: `${h} is not bound to this mini-program: connectHost first` }],
    );
    if (missing.length > 0) throw GatewayError.badInput(missing);
    const bindingIds = hosts.map((h) => bound.get(h)!.id);
    const [uses, open] = await Promise.all([
      this.db.query<Array<{ binding_id: string; field: string; window_key: string; used: number }>>(
        'SELECT binding_id, field, window_key, used FROM basic_info_quota_uses WHERE binding_id = ANY($1)',
        [bindingIds],
      ),
      this.steps.find({ where: { bindingId: In(bindingIds), state: In([...OPEN_FIELD_STATES]) }, select: { bindingId: true, field: true } }),
    ]);
    const snapshots = await Promise.all(hosts.map((h, i) => this.readHost(h, i, bound.get(h)!)));
    const now = new Date();
    const plans = hosts.map((host, i) => {
      const binding = bound.get(host)!;
      const adapter = this.runtime.adapter(host);
      const definition = listingFor(program, host);
      return {
        host,
        binding,
        fields: planHost({
          host,
          definition,
          capabilities: adapter.capabilities.basicInfo,
          violations: adapter.validate(definition),
          snapshot: snapshots[i],
          expected: binding.basicInfoExpected,
          gatewayUses: new Map(uses.filter((u) => u.binding_id === binding.id).map((u) => [quotaUseKey(u.field, u.window_key), u.used])),
          inFlight: new Set(open.filter((s) => s.bindingId === binding.id).map((s) => s.field)),
          fields,
          now,
        }),
      };
    });
    await this.checkIcons(plans);
    return plans;
  }

  private async readHost(host: HostId, index: number, binding: HostBindingEntity): Promise<BasicInfoSnapshot> {
    try {
      return await this.runtime.adapter(host).readBasicInfo(await this.bindings.callContext(binding));
    } catch (err) {
      const f = failureOf(err, 'readBasicInfo');
      const code = err instanceof HostError && !err.retryable ? 'CONFLICT' : 'SERVICE_UNAVAILABLE';
      throw new GatewayError(code, `${host} basic info could not be read for the plan: ${f.nativeCode ?? f.kind} ${f.nativeMessage}`, [
        { field: `hosts.${index}`, rule: 'hostReadFailed', message: `${host}: ${f.nativeMessage}` },
      ]);
    }
  }

  /** An icon to change is fetched now and checked against the definition's sha256; a refusal blocks it. */
  private async checkIcons(plans: HostPlan[]): Promise<void> {
    const checked = new Map<string, Promise<IconFetchError | null>>();
    for (const p of plans) {
      const icon = p.fields.find((f) => f.field === 'icon' && (f.action === 'CHANGE' || f.action === 'BLOCKED'));
      if (!icon?.target || icon.target.field !== 'icon') continue;
      const t = icon.target;
      const key = `${t.url} ${t.sha256}`;
      if (!checked.has(key))
        checked.set(
          key,
          fetchCheckedIcon(t, this.iconOptions()).then(
            () => null,
            (err: unknown) => (err instanceof IconFetchError ? err : new IconFetchError('iconFetchFailed', String(err))),
          ),
        );
      const refused = await checked.get(key)!;
      if (refused) {
        icon.blockers.push({ rule: refused.rule, message: refused.message });
        icon.action = 'BLOCKED';
      }
    }
  }

  iconOptions() {
    return { maxBytes: this.config.ICON_FETCH_MAX_BYTES, timeoutMs: this.config.ICON_FETCH_TIMEOUT_MS, allowPrivate: this.config.ICON_FETCH_ALLOW_PRIVATE };
  }

  async sync(organizationId: string, input: SyncListingInput): Promise<ListingSyncRunModel> {
    const print = fingerprint(input);
    const replay = await this.replayOf(organizationId, input.idempotencyKey, print);
    if (replay) return replay;
    const program = await this.programs.get(organizationId, input.miniProgramId);
    if (program.archived) throw GatewayError.conflict(`Mini-program ${program.id} is archived: unarchive it before syncing its listing`);
    const fields = input.fields.map((f) => FIELD_OF[f]);
    const plans = await this.plan(organizationId, program, input.hosts, fields);
    const violations: FieldViolation[] = [];
    for (const p of plans)
      for (const f of p.fields) {
        const at = `fields.${fields.indexOf(f.field)}`;
        if (f.action === 'EMPTY')
          violations.push({ field: at, rule: 'fieldEmpty', message: `${p.host}: the definition has no ${f.field} to set (with overrides applied)` });
        for (const b of f.blockers) violations.push({ field: at, rule: b.rule, message: `${p.host}: ${b.message}` });
      }
    if (violations.length > 0) {
      if (violations.every((v) => WAIT_RULES.has(v.rule)))
        throw new GatewayError('CONFLICT', `Listing sync refused before any change: ${violations.map((v) => v.message).join('; ')}`, violations);
      throw GatewayError.badInput(violations);
    }
    try {
      return await this.db.transaction(async (m) => {
        const again = await m.getRepository(ListingSyncRunEntity).findOneBy({ organizationId, idempotencyKey: input.idempotencyKey });
        if (again) return (await this.replayOf(organizationId, input.idempotencyKey, print, m))!;
        // The bindings' rows serialize syncs of one app: a second run of the same field waits here, then finds the first one's steps.
        const ids = plans.map((p) => p.binding.id);
        await m.getRepository(HostBindingEntity).find({ where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } });
        const changes = plans.flatMap((p) => p.fields.filter((f) => f.action === 'CHANGE').map((f) => ({ p, f })));
        const busy = await m
          .getRepository(ListingSyncStepEntity)
          .find({ where: { bindingId: In(ids), state: In([...OPEN_FIELD_STATES]), field: In(changes.map((c) => c.f.field)) } });
        const clash = busy.filter((b) => changes.some((c) => c.p.binding.id === b.bindingId && c.f.field === b.field));
        if (clash.length > 0)
          throw new GatewayError(
            'CONFLICT',
            `Listing sync of ${clash.map((c) => `${c.field} on ${c.host}`).join(', ')} is still in progress`,
            clash.map((c) => ({ field: `fields.${fields.indexOf(c.field)}`, rule: 'reviewInProgress', message: `${c.host}: step ${c.id} is ${c.state}` })),
          );
        const run = await m.getRepository(ListingSyncRunEntity).save(
          m.getRepository(ListingSyncRunEntity).create({
            organizationId,
            miniProgramId: program.id,
            hosts: [...input.hosts],
            fields,
            idempotencyKey: input.idempotencyKey,
            requestFingerprint: print,
            programRevision: program.revision,
          }),
        );
        const steps: ListingSyncStepEntity[] = [];
        for (const { p, f } of changes) {
          const step = await m.getRepository(ListingSyncStepEntity).save(
            m.getRepository(ListingSyncStepEntity).create({
              organizationId,
              runId: run.id,
              bindingId: p.binding.id,
              miniProgramId: program.id,
              host: p.host,
              field: f.field,
              state: 'PENDING',
              target: f.target!,
              intent: null,
              reviewId: null,
              reviewReason: null,
              nativeStatus: null,
              evidence: {},
              attempts: 0,
              nextAttemptAt: new Date(),
              pollIntervalMs: null,
            }),
          );
          steps.push(step);
          await this.events.append(m, {
            organizationId,
            miniProgramId: program.id,
            bindingId: p.binding.id,
            submissionId: null,
            host: p.host,
            type: 'BASIC_INFO_REQUESTED',
            evidence: {
              runId: run.id,
              stepId: step.id,
              field: f.field,
              from: f.current,
              to: f.desired,
              needsReview: f.needsReview,
              quota: f.quota ? { window: f.quota.window, windowKey: f.quota.windowKey, usedByGateway: f.quota.usedByGateway, limit: f.quota.limit } : null,
            },
          });
          await this.jobs.send(QUEUES.listingStep, { stepId: step.id }, { manager: m });
        }
        return this.toRunModel(run, steps);
      });
    } catch (err) {
      if (isUniqueViolation(err, IDEMPOTENCY_CONSTRAINT)) {
        const replay2 = await this.replayOf(organizationId, input.idempotencyKey, print);
        if (replay2) return replay2;
      }
      throw err;
    }
  }

  private async replayOf(organizationId: string, key: string, print: string, manager?: EntityManager): Promise<ListingSyncRunModel | null> {
    const existing = await (manager ? manager.getRepository(ListingSyncRunEntity) : this.runs).findOneBy({ organizationId, idempotencyKey: key });
    if (!existing) return null;
    if (existing.requestFingerprint !== print) {
      throw new GatewayError('CONFLICT', `idempotencyKey ${key} was used for another listing sync request (run ${existing.id})`, [
        { field: 'idempotencyKey', rule: 'idempotencyKeyReused', message: 'this key was used with another input' },
      ]);
    }
    const steps = await (manager ? manager.getRepository(ListingSyncStepEntity) : this.steps).find({ where: { runId: existing.id } });
    return this.toRunModel(existing, steps);
  }

  async run(organizationId: string, id: string): Promise<ListingSyncRunModel> {
    const row = await this.runs.findOneBy({ id, organizationId });
    if (!row) throw GatewayError.notFound('Listing sync run', id);
    return this.toRunModel(row, await this.steps.find({ where: { runId: id } }));
  }

  private toRunModel(run: ListingSyncRunEntity, steps: ListingSyncStepEntity[]): ListingSyncRunModel {
    const order = (s: ListingSyncStepEntity) => run.hosts.indexOf(s.host) * 10 + run.fields.indexOf(s.field);
    const sorted = [...steps].sort((a, b) => order(a) - order(b));
    return {
      id: run.id,
      miniProgramId: run.miniProgramId,
      hosts: run.hosts as HostId[],
      fields: run.fields.map((f) => LISTING_FIELD_OF[f as BasicInfoField]),
      idempotencyKey: run.idempotencyKey,
      revision: run.programRevision,
      steps: sorted.map(toStepModel),
      settled: steps.every((s) => !OPEN_FIELD_STATES.includes(s.state)),
      createdAt: run.createdAt,
    };
  }

  /**
   * A host pushed the end of a basic-info review: the binding's steps of that field in review are
   * looked at now; the worker asks the host and applies what it confirms.
   */
  async wakeReviews(manager: EntityManager, bindingId: string, field: BasicInfoField): Promise<number> {
    const rows = await manager
      .getRepository(ListingSyncStepEntity)
      .find({ where: { bindingId, field, state: 'IN_REVIEW' }, lock: { mode: 'pessimistic_write' } });
    for (const s of rows) {
      await manager.getRepository(ListingSyncStepEntity).update(s.id, { nextAttemptAt: new Date(), pollIntervalMs: null });
      await this.jobs.send(QUEUES.listingStep, { stepId: s.id }, { manager });
    }
    return rows.length;
  }
}
