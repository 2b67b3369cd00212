import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  BASIC_INFO_FIELDS,
  CallbackRejectedError,
  isHostId,
  type HostEvent,
  type HostId,
  type ParsedCallback,
  type RawCallback,
} from '../../adapters/core/index.js';
import { BindingService, platformTicketKey } from '../hosts/binding.service.js';
import { HostRuntime } from '../hosts/host-runtime.service.js';
import { JobsService, QUEUES } from '../jobs/jobs.service.js';
import { ListingSyncService } from '../listing-sync/listing-sync.service.js';
import { PublishingService } from '../publishing/publishing.service.js';
import type { StoredRawCallback } from './host-callback.entity.js';

/** What the HTTP endpoint answers. */
export interface CallbackAnswer {
  status: number;
  contentType: string;
  body: string;
}

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
const plain = (status: number, body: string): CallbackAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body });

/** Events as stored: dates as text, and the ticket (a credential) never in clear. */
function storedEvents(events: HostEvent[]): Array<Record<string, unknown>> {
  return events.map((e) => ({ ...e, at: e.at.toISOString(), ...(e.type === 'TICKET' ? { ticket: '[redacted]' } : {}) }));
}

/**
 * Host pushes: verified and decrypted by the host's adapter, stored raw in the inbox (once per
 * dedupe key) with their apply job in one transaction, and only then acknowledged, so a push is
 * never lost: with the database unreachable the host gets a 503 and retries. Forged or
 * unverifiable pushes are refused with a 4xx, counted, and never stored or applied.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger('Inbox');

  constructor(
    private readonly db: DataSource,
    private readonly runtime: HostRuntime,
    private readonly jobs: JobsService,
    private readonly bindings: BindingService,
    private readonly publishing: PublishingService,
    private readonly listing: ListingSyncService,
  ) {}

  async receive(hostParam: string, raw: RawCallback): Promise<CallbackAnswer> {
    const host = hostParam.toUpperCase();
    if (!isHostId(host)) return plain(404, 'unknown host');
    const secrets = this.runtime.callbackSecrets(host);
    if (!secrets) return plain(404, `no push secrets are configured for ${host}`);
    let parsed: ParsedCallback;
    try {
      parsed = this.runtime.adapter(host).parseCallback(raw, secrets);
    } catch (err) {
      if (!(err instanceof CallbackRejectedError)) throw err;
      await this.countRejection(host, err.reason);
      this.logger.warn(`refused a ${host} push (${err.reason})`);
      return plain(err.reason === 'signature' || err.reason === 'app_id' ? 401 : 400, `push refused: ${err.reason}`);
    }
    try {
      await this.store(host, raw, parsed);
    } catch (err) {
      // Not stored means not acknowledged: the host will deliver it again.
      this.logger.error(`could not store a ${host} push; answering 503 so the host retries: ${(err as Error).message}`);
      return plain(503, 'try again later');
    }
    return parsed.reply;
  }

  private async store(host: HostId, raw: RawCallback, parsed: ParsedCallback): Promise<void> {
    const stored: StoredRawCallback = {
      method: raw.method,
      path: raw.path,
      query: raw.query,
      headers: Object.fromEntries(Object.entries(raw.headers).filter(([k]) => !SECRET_HEADERS.has(k.toLowerCase()))),
      body: raw.body,
    };
    await this.db.transaction(async (m) => {
      const rows: Array<{ id: string; inserted: boolean }> = await m.query(
        `INSERT INTO host_callbacks (host, dedupe_key, raw, events) VALUES ($1, $2, $3, $4)
         ON CONFLICT (host, dedupe_key) DO UPDATE SET delivery_count = host_callbacks.delivery_count + 1
         RETURNING id, (xmax = 0) AS inserted`,
        [host, parsed.dedupeKey.slice(0, 255), JSON.stringify(stored), JSON.stringify(storedEvents(parsed.events))],
      );
      if (rows[0]?.inserted) await this.jobs.send(QUEUES.inboxApply, { callbackId: rows[0].id }, { manager: m });
    });
  }

  private async countRejection(host: HostId, reason: string): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO host_callback_rejections (host, reason, count, last_at) VALUES ($1, $2, 1, now())
         ON CONFLICT (host, reason) DO UPDATE SET count = host_callback_rejections.count + 1, last_at = now()`,
        [host, reason],
      );
    } catch (err) {
      this.logger.warn(`could not count a refused ${host} push: ${(err as Error).message}`);
    }
  }

  /**
   * Applies one stored push. A review result is applied through the submission it names: the
   * submission's worker reads the host under the submission's lock and applies what the host
   * confirms, so duplicated, late or out-of-order pushes change a submission once and in
   * lifecycle order (an APPROVED after RELEASED finds nothing waiting and changes nothing).
   */
  async apply(callbackId: string): Promise<void> {
    // On the workers' connections, and every read inside through this transaction's manager.
    await this.jobs.workerDb.transaction(async (m) => {
      const rows: Array<{ id: string; host: string; events: Array<Record<string, unknown>>; status: string }> = await m.query(
        // Waits for a duplicate delivery counting itself on the row; never skips it.
        'SELECT id, host, events, status FROM host_callbacks WHERE id = $1 FOR UPDATE',
        [callbackId],
      );
      const row = rows[0];
      if (!row || row.status !== 'stored') return;
      const host = row.host as HostId;
      const outcomes: string[] = [];
      for (const event of row.events) outcomes.push(await this.applyEvent(m, host, callbackId, event));
      const applied = outcomes.some((o) => o.startsWith('applied'));
      await m.query(`UPDATE host_callbacks SET status = $2, applied_at = now(), outcome = $3 WHERE id = $1`, [
        callbackId,
        applied ? 'applied' : 'ignored',
        outcomes.join('; '),
      ]);
    });
  }

  private async applyEvent(m: import('typeorm').EntityManager, host: HostId, callbackId: string, event: Record<string, unknown>): Promise<string> {
    const type = String(event.type);
    if (type === 'TICKET') {
      // The ticket itself is not stored in the inbox; read it again from the raw push.
      const ticket = await this.ticketOf(m, host, callbackId);
      if (!ticket) return 'ignored: ticket push without a ticket';
      await this.runtime.tokenStore.set(platformTicketKey(host), ticket, null);
      return 'applied: platform ticket renewed';
    }
    const hostAppId = typeof event.hostAppId === 'string' ? event.hostAppId : '';
    const bindingId = hostAppId ? await this.bindings.idOfHostApp(host, hostAppId, m) : null;
    if (!bindingId) return `ignored: no active binding for ${host} app ${hostAppId || '(none)'}`;
    if (type === 'REVIEW_APPROVED' || type === 'REVIEW_REJECTED' || type === 'REVIEW_DELAYED') {
      const version = typeof event.version === 'string' ? event.version : null;
      const woken = await this.publishing.wakeReviews(m, bindingId, version);
      return woken.length > 0
        ? `applied: review of ${woken.join(', ')} read back from ${host}`
        : `ignored: no submission of ${version ?? 'any version'} is in review`;
    }
    if (type === 'BASIC_INFO_APPROVED' || type === 'BASIC_INFO_REJECTED') {
      const field = BASIC_INFO_FIELDS.find((f) => f === event.field);
      if (!field) return `ignored: ${type} names no basic-info field`;
      const woken = await this.listing.wakeReviews(m, bindingId, field);
      return woken > 0 ? `applied: ${field} review read back from ${host}` : `ignored: no listing sync of ${field} is in review`;
    }
    if (type === 'UNAUTHORIZED') {
      await this.publishing.authorizationRevoked(m, bindingId);
      return 'applied: authorization revoked';
    }
    return `ignored: ${type} needs nothing`;
  }

  private async ticketOf(m: import('typeorm').EntityManager, host: HostId, callbackId: string): Promise<string | null> {
    const rows: Array<{ raw: StoredRawCallback }> = await m.query('SELECT raw FROM host_callbacks WHERE id = $1', [callbackId]);
    const raw = rows[0]?.raw;
    const secrets = this.runtime.callbackSecrets(host);
    if (!raw || !secrets) return null;
    const parsed = this.runtime.adapter(host).parseCallback({ ...raw, headers: raw.headers }, secrets);
    const ticket = parsed.events.find((e) => e.type === 'TICKET');
    return ticket?.type === 'TICKET' && ticket.ticket ? ticket.ticket : null;
  }
}
