import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository, type EntityManager } from 'typeorm';
import { HostError, type CallContext, type HostId } from '../../adapters/core/index.js';
import { MiniProgramService } from '../catalog/mini-program.service.js';
import { GatewayError, type FieldViolation } from '../common/gateway-error.js';
import { isUniqueViolation } from '../common/postgres-errors.js';
import { Vault } from '../vault/vault.js';
import { HostBindingEntity } from './host-binding.entity.js';
import { HOST_ADAPTER_FACTORIES } from './host-adapter.registry.js';
import { HostRuntime } from './host-runtime.service.js';
import type { StoredTokenRow } from './tokens/postgres-token-store.js';
import type { ConnectHostInput, HostBindingModel, SandboxAppModel } from './bindings.models.js';
import { Visibility } from './bindings.models.js';

const credentialsAad = (bindingId: string) => `host_bindings:${bindingId}:credentials`;
/** How many bindings' opened credentials a process keeps (the oldest kept is dropped beyond). */
const OPENED_KEPT = 1_000;

/** Pushed platform tickets (WeChat, Baidu, Douyin) replace the one in stored credentials: the field per host. */
const TICKET_FIELD: Partial<Record<HostId, string>> = { WECHAT: 'componentVerifyTicket', BAIDU: 'ticket', BYTEDANCE: 'componentTicket' };
export const PLATFORM_TICKET_PREFIX = 'platform-ticket:';
export const platformTicketKey = (host: HostId) => `${PLATFORM_TICKET_PREFIX}${host}`;

export function toBindingModel(row: HostBindingEntity): HostBindingModel {
  return {
    id: row.id,
    miniProgramId: row.miniProgramId,
    host: row.host as HostId,
    hostAppId: row.hostAppId,
    liveVersion: row.liveVersion,
    grayVersion: row.grayVersion,
    grayPercentage: row.grayPercentage,
    visibility: (Visibility as Record<string, Visibility>)[row.visibility] ?? Visibility.UNKNOWN,
    lastSyncedAt: row.lastSyncedAt,
    drift: row.drift,
    driftDetail: row.drift ? row.driftDetail : null,
    basicInfoDrift: row.basicInfoDrift,
    basicInfoDriftDetail: row.basicInfoDrift ? (row.basicInfoDriftDetail?.fields ?? []) : [],
    basicInfoSyncedAt: row.basicInfoSyncedAt,
    lastError: row.lastError ? { ...row.lastError, at: new Date(row.lastError.at) } : null,
    connectedAt: row.createdAt,
    disconnectedAt: row.disconnectedAt,
  };
}

/**
 * Host bindings: a mini-program bound to an app on a host with its credentials sealed by the
 * vault. Other modules reach bindings (and the call context built from their credentials) here.
 */
@Injectable()
export class BindingService {
  private readonly opened = new Map<string, { ciphertext: string; keyId: string; credentials: Readonly<Record<string, unknown>> }>();

  constructor(
    @InjectRepository(HostBindingEntity) private readonly bindings: Repository<HostBindingEntity>,
    private readonly programs: MiniProgramService,
    private readonly runtime: HostRuntime,
    private readonly vault: Vault,
  ) {}

  async connect(organizationId: string, input: ConnectHostInput): Promise<HostBindingModel> {
    const program = await this.programs.find(organizationId, input.miniProgramId);
    if (program.archivedAt) throw GatewayError.conflict(`Mini-program ${program.id} is archived: unarchive it before binding hosts`);
    const problems = HOST_ADAPTER_FACTORIES[input.host].checkCredentials(input.credentials);
    if (problems.length > 0) throw GatewayError.badInput(problems.map(credentialViolation));
    const existing = await this.bindings.findOneBy({ miniProgramId: program.id, host: input.host, disconnectedAt: IsNull() });
    if (existing) throw GatewayError.conflict(`Mini-program ${program.id} is already bound to ${input.host} (binding ${existing.id}); disconnect it first`);
    // One cheap authenticated call before anything is saved: wrong credentials never get stored.
    try {
      await this.runtime.adapter(input.host).probe({ hostAppId: input.hostAppId, credentials: input.credentials });
    } catch (err) {
      throw GatewayError.badInput([probeViolation(input.host, err)]);
    }
    const id = randomUUID();
    const sealed = this.vault.sealJson(input.credentials, credentialsAad(id));
    try {
      const row = await this.bindings.save(
        this.bindings.create({
          id,
          organizationId,
          miniProgramId: program.id,
          host: input.host,
          hostAppId: input.hostAppId,
          credentialsCiphertext: sealed.ciphertext,
          credentialsKeyId: sealed.keyId,
          liveVersion: null,
          previousLiveVersion: null,
          grayVersion: null,
          grayPercentage: null,
          visibility: 'UNKNOWN',
          lastSyncedAt: null,
          drift: false,
          driftDetail: null,
          settleUntil: null,
          lastError: null,
          disconnectedAt: null,
        }),
      );
      return toBindingModel(row);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_host_bindings_host_app'))
        throw GatewayError.conflict(`${input.host} app ${input.hostAppId} is already bound to a mini-program; one host app publishes one mini-program`);
      if (isUniqueViolation(err, 'uq_host_bindings_program_host')) throw GatewayError.conflict(`Mini-program ${program.id} is already bound to ${input.host}`);
      throw err;
    }
  }

  /** Ends a binding and erases its credentials; `busy` says why it may not end now (an active submission). */
  async disconnect(organizationId: string, id: string, busy: (manager: EntityManager, bindingId: string) => Promise<string | null>): Promise<HostBindingModel> {
    return this.bindings.manager.transaction(async (manager) => {
      const repo = manager.getRepository(HostBindingEntity);
      const row = await repo.findOne({ where: { id, organizationId, disconnectedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw GatewayError.notFound('Host binding', id);
      const reason = await busy(manager, id);
      if (reason) throw GatewayError.conflict(reason);
      row.disconnectedAt = new Date();
      row.credentialsCiphertext = null;
      row.credentialsKeyId = null;
      return toBindingModel(await repo.save(row));
    });
  }

  async listForProgram(organizationId: string, miniProgramId: string): Promise<HostBindingModel[]> {
    const rows = await this.bindings.find({ where: { organizationId, miniProgramId, disconnectedAt: IsNull() }, order: { host: 'ASC' } });
    return rows.map(toBindingModel);
  }

  /** Active bindings of a mini-program by host (for publish). */
  async activeByHost(organizationId: string, miniProgramId: string, manager?: EntityManager): Promise<Map<HostId, HostBindingEntity>> {
    const repo = manager ? manager.getRepository(HostBindingEntity) : this.bindings;
    const rows = await repo.find({ where: { organizationId, miniProgramId, disconnectedAt: IsNull() } });
    return new Map(rows.map((r) => [r.host as HostId, r]));
  }

  async get(organizationId: string, id: string): Promise<HostBindingEntity> {
    const row = await this.bindings.findOneBy({ id, organizationId });
    if (!row) throw GatewayError.notFound('Host binding', id);
    return row;
  }

  async byId(id: string, manager?: EntityManager): Promise<HostBindingEntity | null> {
    return (manager ? manager.getRepository(HostBindingEntity) : this.bindings).findOneBy({ id });
  }

  /** The id of a host app's active binding, whatever its organization (pushes name only the host app): one plain statement. */
  async idOfHostApp(host: HostId, hostAppId: string, manager: EntityManager): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM host_bindings WHERE host = $1 AND host_app_id = $2 AND disconnected_at IS NULL', [
      host,
      hostAppId,
    ]);
    return rows[0]?.id ?? null;
  }

  /** The credentials of a binding, opened, with the latest pushed platform ticket applied. */
  /**
   * The credentials of a binding for a host call, with the host's pushed ticket in place. `read`
   * gives the ticket's row when the caller read it already (in its own statement), else it is read.
   */
  async callContext(
    binding: Pick<HostBindingEntity, 'id' | 'host' | 'hostAppId' | 'credentialsCiphertext' | 'credentialsKeyId'>,
    read?: { ticket: StoredTokenRow | null },
  ): Promise<CallContext<unknown>> {
    if (!binding.credentialsCiphertext || !binding.credentialsKeyId) throw new Error(`binding ${binding.id} is disconnected and has no credentials`);
    const credentials = { ...this.openCredentials(binding.id, binding.credentialsCiphertext, binding.credentialsKeyId) };
    const host = binding.host as HostId;
    const field = TICKET_FIELD[host];
    if (field) {
      const key = platformTicketKey(host);
      const pushed = read ? this.runtime.tokenStore.open(key, read.ticket) : await this.runtime.tokenStore.get(key);
      if (pushed) credentials[field] = pushed.value;
    }
    return { hostAppId: binding.hostAppId, credentials };
  }

  /**
   * A binding's credentials, opened once per sealed value: every step of every submission needs
   * them, and the sealed value only changes with connectHost or a key rotation (then it is opened
   * again). The plaintext is kept in this process only, as the tokens are, for OPENED_KEPT bindings.
   */
  private openCredentials(bindingId: string, ciphertext: string, keyId: string): Readonly<Record<string, unknown>> {
    const kept = this.opened.get(bindingId);
    if (kept && kept.ciphertext === ciphertext && kept.keyId === keyId) return kept.credentials;
    const credentials = Object.freeze(this.vault.openJson<Record<string, unknown>>({ ciphertext, keyId }, credentialsAad(bindingId)));
    this.opened.delete(bindingId);
    if (this.opened.size >= OPENED_KEPT) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(bindingId, { ciphertext, keyId, credentials });
    return credentials;
  }

  async createSandboxApp(host: HostId, name: string | null | undefined): Promise<SandboxAppModel> {
    const control = this.runtime.sandboxControl();
    if (this.runtime.mode !== 'sandbox' || !control) {
      throw new GatewayError('FORBIDDEN', `createSandboxApp works only with HOSTS_MODE=sandbox; this gateway runs with HOSTS_MODE=${this.runtime.mode}`);
    }
    const app = await control.createApp(host, name ? { name } : {});
    return { host, hostAppId: app.hostAppId, credentials: app.credentials as Record<string, unknown> };
  }
}

/** A problem from checkCredentials (`appId must be ...`) as a violation on `credentials.<field>`. */
function credentialViolation(problem: string): FieldViolation {
  const first = problem.split(' ')[0];
  const named = /^[A-Za-z][A-Za-z0-9]*$/.test(first) && first !== 'credentials';
  return { field: named ? `credentials.${first}` : 'credentials', rule: 'hostCredentials', message: named ? `credentials.${problem}` : problem };
}

function probeViolation(host: HostId, err: unknown): FieldViolation {
  if (err instanceof HostError) {
    const native = `${err.nativeCode ?? 'no code'}: ${err.nativeMessage}`;
    const rule = err.kind === 'auth' ? 'hostRefusedCredentials' : 'hostProbeFailed';
    const what = err.kind === 'auth' ? `${host} refused these credentials` : `${host} could not check these credentials (${err.kind})`;
    return { field: 'credentials', rule, message: `${what}: ${native}${err.requestId ? ` (request id ${err.requestId})` : ''}` };
  }
  return { field: 'credentials', rule: 'hostProbeFailed', message: `${host} could not be reached to check these credentials: ${(err as Error).message}` };
}
