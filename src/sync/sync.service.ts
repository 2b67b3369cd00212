import { isDeepStrictEqual } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { type BasicInfoSnapshot, type CallContext, type HostId, type LiveListing } from '../../adapters/core/index.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { EventsService } from '../events/events.service.js';
import { BindingService, PLATFORM_TICKET_PREFIX } from '../hosts/binding.service.js';
import type { StoredTokenRow } from '../hosts/tokens/postgres-token-store.js';
import { HostBindingEntity, type DriftDetail } from '../hosts/host-binding.entity.js';
import { basicInfoDrift } from './basic-info-drift.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { HostLimiter } from '../publishing/host-limiter.js';
import { failureOf } from '../publishing/submission-machine.js';
import { beginWith, endTransaction, runPrepared } from '../database/prepared.js';

type Picture = DriftDetail['expected'];

/** What a read-back needs of its binding, and its host's pushed ticket (t_*; $2: the tickets' key prefix), read in one plain statement. */
const READ_BACK_BINDING = `SELECT hb.id, hb.host, hb.host_app_id AS "hostAppId", hb.credentials_ciphertext AS "credentialsCiphertext",
    hb.credentials_key_id AS "credentialsKeyId", hb.basic_info_expected AS "basicInfoExpected", hb.disconnected_at AS "disconnectedAt",
    t.ciphertext AS "t_ciphertext", t.key_id AS "t_keyId", t.expires_at AS "t_expiresAt"
  FROM host_bindings hb LEFT JOIN host_tokens t ON t.key = $2 || hb.host WHERE hb.id = $1`;

/**
 * The read-back that changes nothing but the sync time and visibility, in one statement: the host
 * shows what the binding expects ($4-$6: live, gray version and percentage as read) and no drift
 * was flagged. No row: something differs, and the comparison runs in full.
 */
const MATCHED = `UPDATE host_bindings SET last_synced_at = $2, visibility = $3, drift = false, drift_detail = NULL, settle_until = NULL, updated_at = now()
  WHERE id = $1 AND NOT drift AND live_version IS NOT DISTINCT FROM $4::text AND gray_version IS NOT DISTINCT FROM $5::text
    AND (gray_version IS NULL OR gray_percentage IS NOT DISTINCT FROM $6::int)
  RETURNING id`;
type ReadBackBinding = Pick<
  HostBindingEntity,
  'id' | 'host' | 'hostAppId' | 'credentialsCiphertext' | 'credentialsKeyId' | 'basicInfoExpected' | 'disconnectedAt'
>;

/** The binding's picture and drift, locked for the comparison (sent with BEGIN, so its id is a literal). */
const comparedBinding = (id: string) => (literal: (value: string) => string) =>
  `SELECT id, organization_id AS "organizationId", mini_program_id AS "miniProgramId", host, host_app_id AS "hostAppId",
    live_version AS "liveVersion", gray_version AS "grayVersion", gray_percentage AS "grayPercentage", drift,
    drift_detail AS "driftDetail", settle_until AS "settleUntil", basic_info_expected AS "basicInfoExpected",
    basic_info_drift AS "basicInfoDrift", basic_info_drift_detail AS "basicInfoDriftDetail"
  FROM host_bindings WHERE id = ${literal(id)} FOR UPDATE`;
type ComparedBinding = Pick<
  HostBindingEntity,
  | 'id'
  | 'organizationId'
  | 'miniProgramId'
  | 'host'
  | 'hostAppId'
  | 'liveVersion'
  | 'grayVersion'
  | 'grayPercentage'
  | 'drift'
  | 'driftDetail'
  | 'settleUntil'
  | 'basicInfoExpected'
  | 'basicInfoDrift'
  | 'basicInfoDriftDetail'
>;

/** What a publishing step's read-back is given of the binding it has just read. */
export interface StepReadBack {
  runner: QueryRunner;
  ctx: CallContext<unknown>;
  /** The listing the step has just read, if it read one. */
  listing: LiveListing | null;
  binding: { host: string; hostAppId: string; basicInfoSet: boolean };
}

/** Equal as JSON values: a detail read back from jsonb has its keys in another order. */
const sameJson = (stored: unknown, fresh: unknown) => isDeepStrictEqual(stored, JSON.parse(JSON.stringify(fresh)));

const same = (a: Picture, b: Picture) =>
  a.liveVersion === b.liveVersion && a.grayVersion === b.grayVersion && (a.grayVersion === null || a.grayPercentage === b.grayPercentage);

/**
 * Read-back of a binding's host (`readListing`) after every release, gray change and rollback,
 * and periodically: a picture that differs from what the gateway expects, once the host had its
 * settling time, sets the binding's drift flag and writes DRIFT_DETECTED; a match again clears it
 * with DRIFT_CLEARED. The binding's visibility and last sync time come from the read-back.
 * Bindings where listing sync set basic info also have it read back and compared (basicInfoDrift).
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger('Sync');
  private limiterOnWorkerDb: HostLimiter | null = null;

  constructor(
    private readonly jobs: JobsService,
    private readonly bindings: BindingService,
    private readonly runtime: HostRuntime,
    private readonly events: EventsService,
    private readonly config: GatewayConfig,
  ) {}

  private get limiter(): HostLimiter {
    this.limiterOnWorkerDb ??= new HostLimiter(this.jobs.workerDb);
    return this.limiterOnWorkerDb;
  }

  /**
   * Reads the binding's host back and compares. A publishing step passes its own connection (it
   * holds the submission's lock), the call context it already has and, when the step has just read
   * the listing itself, that listing: the host is not asked for it twice.
   */
  async readBack(bindingId: string, inStep?: StepReadBack): Promise<void> {
    const db = this.jobs.workerDb;
    const runner = inStep?.runner ?? db.createQueryRunner();
    if (!inStep) await runner.connect();
    try {
      const binding: (StepReadBack['binding'] & { sealed?: ReadBackBinding; ticket?: StoredTokenRow | null }) | null = inStep
        ? inStep.binding
        : await this.connectedBinding(runner, bindingId);
      if (!binding) return;
      const basicInfoSet = binding.basicInfoSet;
      let listing = inStep?.listing ?? null;
      let basicInfo: BasicInfoSnapshot | null = null;
      // Basic info is read back once listing sync has set some of it there.
      if (!listing || basicInfoSet) {
        const grant = await this.limiter.acquire(runner, binding.host as HostId, binding.hostAppId);
        if (!grant.ok) return this.later(bindingId, grant.retryInMs);
        let operation = 'readListing';
        try {
          const adapter = this.runtime.adapter(binding.host as HostId);
          const ctx = inStep ? inStep.ctx : await this.bindings.callContext(binding.sealed!, { ticket: binding.ticket ?? null });
          listing ??= await adapter.readListing(ctx);
          operation = 'readBasicInfo';
          if (basicInfoSet) basicInfo = await adapter.readBasicInfo(ctx);
        } catch (err) {
          await runner.query('UPDATE host_bindings SET last_error = $2, updated_at = now() WHERE id = $1', [
            bindingId,
            JSON.stringify(failureOf(err, operation)),
          ]);
          return this.later(bindingId, this.config.SYNC_POLL_MAX_MS);
        } finally {
          await grant.release();
        }
      }
      // The common case, the host showing what is expected and no drift to clear: one statement.
      if (!basicInfo) {
        const matched = await runPrepared(runner, MATCHED, [
          bindingId,
          new Date(),
          listing.visibility,
          listing.liveVersion,
          listing.grayVersion,
          listing.grayPercentage,
        ]);
        if (matched.length > 0) return;
      }
      // BEGIN and the locked read of the binding: one round trip.
      const locked = (await beginWith<ComparedBinding>(runner, comparedBinding(bindingId)))[0];
      try {
        if (locked) {
          await this.compare(runner.manager, locked, listing);
          if (basicInfo) await this.compareBasicInfo(runner.manager, locked, basicInfo);
        }
        await endTransaction(runner, 'COMMIT');
      } catch (err) {
        await endTransaction(runner, 'ROLLBACK');
        throw err;
      }
    } finally {
      if (!inStep) await runner.release();
    }
  }

  /** The binding to read back, with its sealed credentials; null when it is gone or disconnected. */
  private async connectedBinding(
    runner: QueryRunner,
    bindingId: string,
  ): Promise<{ host: string; hostAppId: string; basicInfoSet: boolean; sealed: ReadBackBinding; ticket: StoredTokenRow | null } | null> {
    const rows = await runPrepared<ReadBackBinding & { t_ciphertext: string | null; t_keyId: string; t_expiresAt: Date | null }>(runner, READ_BACK_BINDING, [
      bindingId,
      PLATFORM_TICKET_PREFIX,
    ]);
    const row = rows[0];
    if (!row || row.disconnectedAt) return null;
    const ticket = row.t_ciphertext !== null ? { ciphertext: row.t_ciphertext, key_id: row.t_keyId, expires_at: row.t_expiresAt } : null;
    return { host: row.host, hostAppId: row.hostAppId, basicInfoSet: row.basicInfoExpected !== null, sealed: row, ticket };
  }

  private async compare(m: EntityManager, b: ComparedBinding, listing: LiveListing): Promise<void> {
    const bindingId = b.id;
    const expected: Picture = { liveVersion: b.liveVersion, grayVersion: b.grayVersion, grayPercentage: b.grayPercentage };
    const actual = {
      liveVersion: listing.liveVersion,
      grayVersion: listing.grayVersion,
      grayPercentage: listing.grayPercentage,
      visibility: listing.visibility,
    };
    const now = new Date();
    // What is not changed below is written back as read (the row is locked).
    const update: Pick<HostBindingEntity, 'drift' | 'driftDetail' | 'settleUntil'> = { drift: b.drift, driftDetail: b.driftDetail, settleUntil: b.settleUntil };
    const base = { organizationId: b.organizationId, miniProgramId: b.miniProgramId, bindingId: b.id, submissionId: null, host: b.host };
    if (same(expected, actual)) {
      Object.assign(update, { drift: false, driftDetail: null, settleUntil: null });
      if (b.drift) await this.events.append(m, { ...base, type: 'DRIFT_CLEARED', evidence: { actual } });
    } else if (b.settleUntil && b.settleUntil.getTime() > now.getTime()) {
      // Our own change may still be on its way through the host (a delayed rollback ...): look again soon.
      await this.jobs.send(QUEUES.bindingSync, { bindingId }, { manager: m, startAfter: new Date(now.getTime() + this.config.SYNC_POLL_MIN_MS) });
    } else {
      const detail: DriftDetail = { expected, actual };
      const changed = !b.drift || !sameJson(b.driftDetail, detail);
      Object.assign(update, { drift: true, driftDetail: detail, settleUntil: null });
      if (changed) {
        this.logger.warn(`drift on ${b.host} app ${b.hostAppId}: expected ${JSON.stringify(expected)}, the host shows ${JSON.stringify(actual)}`);
        await this.events.append(m, { ...base, type: 'DRIFT_DETECTED', nativeStatus: listing.nativeStatus ?? null, evidence: { expected, actual } });
      }
    }
    await m.query(
      'UPDATE host_bindings SET last_synced_at = $2, visibility = $3, drift = $4, drift_detail = $5, settle_until = $6, updated_at = now() WHERE id = $1',
      [bindingId, now, listing.visibility, update.drift, update.driftDetail === null ? null : JSON.stringify(update.driftDetail), update.settleUntil],
    );
  }

  /**
   * Basic info read back against what listing sync set there: fields still being synced are left
   * out; the icon and category fingerprints are adopted on the first read-back after a change.
   */
  private async compareBasicInfo(m: EntityManager, b: ComparedBinding, snap: BasicInfoSnapshot): Promise<void> {
    const bindingId = b.id;
    if (!b.basicInfoExpected) return;
    const open: Array<{ field: string }> = await m.query(
      `SELECT DISTINCT field FROM listing_sync_steps WHERE binding_id = $1 AND state IN ('PENDING', 'APPLYING', 'IN_REVIEW')`,
      [bindingId],
    );
    const result = basicInfoDrift(b.basicInfoExpected, snap, new Set(open.map((o) => o.field)));
    const base = { organizationId: b.organizationId, miniProgramId: b.miniProgramId, bindingId: b.id, submissionId: null, host: b.host };
    const update: Partial<HostBindingEntity> = { basicInfoSyncedAt: new Date(), basicInfoExpected: result.expected };
    if (result.drift.length === 0) {
      Object.assign(update, { basicInfoDrift: false, basicInfoDriftDetail: null });
      if (b.basicInfoDrift) await this.events.append(m, { ...base, type: 'DRIFT_CLEARED', evidence: { part: 'basicInfo' } });
    } else {
      const detail = { fields: result.drift };
      Object.assign(update, { basicInfoDrift: true, basicInfoDriftDetail: detail });
      if (!b.basicInfoDrift || !sameJson(b.basicInfoDriftDetail, detail)) {
        this.logger.warn(`basic-info drift on ${b.host} app ${b.hostAppId}: ${result.drift.map((d) => d.field).join(', ')}`);
        await this.events.append(m, {
          ...base,
          type: 'DRIFT_DETECTED',
          nativeStatus: snap.nativeStatus ?? null,
          evidence: { part: 'basicInfo', fields: result.drift },
        });
      }
    }
    await m.getRepository(HostBindingEntity).update(bindingId, update);
  }

  private async later(bindingId: string, ms: number): Promise<void> {
    await this.jobs.send(QUEUES.bindingSync, { bindingId }, { startAfter: new Date(Date.now() + ms) });
  }
}
