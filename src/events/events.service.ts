import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { SubmissionStatus } from '../../adapters/core/index.js';
import { GatewayError } from '../common/gateway-error.js';
import type { Connection } from '../common/pagination/connection.js';
import { ListingEventEntity } from './listing-event.entity.js';
import { LISTING_EVENTS_APPENDED } from './listing-events.channel.js';
import { runPrepared } from '../database/prepared.js';

export type ListingEventType =
  | 'STAGE_CHANGED'
  | 'ACTION_REQUESTED'
  | 'ACTION_FAILED'
  | 'REVIEW_SPEED_UP_REQUESTED'
  | 'DRIFT_DETECTED'
  | 'DRIFT_CLEARED'
  | 'AUTHORIZATION_REVOKED'
  | 'BASIC_INFO_REQUESTED'
  | 'BASIC_INFO_IN_REVIEW'
  | 'BASIC_INFO_APPLIED'
  | 'BASIC_INFO_REJECTED'
  | 'BASIC_INFO_FAILED';

export interface NewListingEvent {
  organizationId: string;
  miniProgramId: string;
  bindingId: string | null;
  submissionId: string | null;
  host: string;
  type: ListingEventType;
  fromStage?: SubmissionStatus | null;
  toStage?: SubmissionStatus | null;
  nativeStatus?: string | null;
  evidence?: Record<string, unknown>;
}

/** An event as appended: its place in the sequence and its writing transaction. */
export interface AppendedListingEvent extends NewListingEvent {
  seq: string;
  txId: string;
  createdAt: Date;
}

/**
 * Runs inside the transaction that appends an event (webhook deliveries are queued this way):
 * a failure rolls the change back with its event. What it must read first it names in `read`: a
 * scalar subquery over the appended row `e` (organization_id, mini_program_id, type, to_stage),
 * run in the statement that appends the event, so the read costs no round trip of its own; its
 * value comes to `observe` as `read`.
 */
export interface AppendObserver {
  read?: string;
  observe(manager: EntityManager, event: AppendedListingEvent, read: unknown): Promise<void>;
}

export interface ListingEventModelShape {
  seq: string;
  miniProgramId: string;
  bindingId: string | null;
  submissionId: string | null;
  host: string;
  type: string;
  fromStage: string | null;
  toStage: string | null;
  nativeStatus: string | null;
  evidence: Record<string, unknown>;
  createdAt: Date;
}

const encodeSeq = (seq: string) => Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
function decodeSeq(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^seq:(\d{1,19})$/.exec(text);
  if (!m) throw GatewayError.badInput([{ field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' }]);
  return m[1];
}

/**
 * Appends events ($1: a JSON array of them, `ord` their order) in one statement, after
 * `withStatement` when given (a data-modifying statement, run as a CTE of the same statement),
 * with a notification on `$2` (delivered on commit, dropped on rollback); the caller ends it with
 * the columns it selects and `FROM e`. Their seqs follow the array's order (the rows are inserted
 * in it). The feed orders events by (tx_id, seq) and shows them only below the oldest
 * transaction in flight (see src/feed/visible-changes.ts). tx_id is the writing transaction's id,
 * raised to the highest tx_id among the mini-program's events this statement sees, so one
 * mini-program's events keep the order in which they were made: a writer whose transaction id is
 * older than the last event it saw committed (it took its id earlier, by locking a submission,
 * binding or inbox row first) still sorts after that event, with its later seq. No lock is needed:
 * an event committed after this statement's snapshot was not seen by this writer, so neither
 * comes first by cause. Never below the writer's own id, so nothing can appear behind a position
 * already read. One index probe per event (idx_listing_events_program_tx); events of one statement
 * share one tx_id.
 */
export const APPEND_EVENTS = (withStatement?: string) => `WITH ${withStatement ? `w AS (${withStatement}),` : ''}
  x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, organization_id uuid, mini_program_id uuid, binding_id uuid, submission_id uuid,
    host text, type text, from_stage text, to_stage text, native_status text, evidence jsonb)),
  e AS (INSERT INTO listing_events
    (organization_id, mini_program_id, binding_id, submission_id, host, type, from_stage, to_stage, native_status, evidence, tx_id)
    SELECT x.organization_id, x.mini_program_id, x.binding_id, x.submission_id, x.host, x.type, x.from_stage, x.to_stage, x.native_status, x.evidence,
      GREATEST(listing_tx_id(), (SELECT max(p.tx_id) FROM listing_events p WHERE p.mini_program_id = x.mini_program_id))
    FROM x ORDER BY x.ord
    RETURNING seq, tx_id, created_at, organization_id, mini_program_id, type, to_stage)
  SELECT e.seq, e.tx_id, e.created_at, pg_notify($2, '{}')`;

/** The JSON of events as APPEND_EVENTS reads it ($1). */
export function appendedEventsJson(events: readonly NewListingEvent[]): string {
  return JSON.stringify(
    events.map((event, ord) => ({
      ord,
      organization_id: event.organizationId,
      mini_program_id: event.miniProgramId,
      binding_id: event.bindingId,
      submission_id: event.submissionId,
      host: event.host,
      type: event.type,
      from_stage: event.fromStage ?? null,
      to_stage: event.toStage ?? null,
      native_status: event.nativeStatus ?? null,
      evidence: event.evidence ?? {},
    })),
  );
}

/**
 * ListingEvents: appended only through `append` and `appendAll`, with the entity manager of the
 * transaction that makes the change, so an event exists exactly when its change committed.
 */
@Injectable()
export class EventsService {
  private readonly observers: AppendObserver[] = [];

  constructor(@InjectRepository(ListingEventEntity) private readonly events: Repository<ListingEventEntity>) {}

  /** The observers' reads as columns of an append statement's last SELECT (o0, o1, ...). */
  private observerReads = '';
  /** Append statements as sent, by the statement they run with ('' for none): built once, not on every append. */
  private readonly appendTexts = new Map<string, string>();

  /** Adds a step run in the transaction of every appended event (in registration order). */
  observeAppends(observer: AppendObserver): void {
    this.observers.push(observer);
    this.observerReads = this.observers.map((o, i) => `, (${o.read ?? 'NULL'}) AS o${i}`).join('');
    this.appendTexts.clear();
  }

  private async observe(manager: EntityManager, event: AppendedListingEvent, row: Record<string, unknown>): Promise<void> {
    for (const [i, observer] of this.observers.entries()) await observer.observe(manager, event, row[`o${i}`]);
  }

  async append(manager: EntityManager, event: NewListingEvent): Promise<AppendedListingEvent> {
    return (await this.appendAll(manager, [event]))[0];
  }

  /**
   * Appends `events` (in their order) and runs `withStatement`, when given (a data-modifying
   * statement whose parameters start at $3), in one statement, in `manager`'s transaction: a change and the events
   * that record it cost one round trip. Observers run after it, as for `append`.
   */
  async appendAll(
    manager: EntityManager,
    events: readonly NewListingEvent[],
    withStatement?: { sql: string; values: unknown[] },
  ): Promise<AppendedListingEvent[]> {
    type Row = { seq: string; tx_id: string; created_at: Date } & Record<string, unknown>;
    const key = withStatement?.sql ?? '';
    let text = this.appendTexts.get(key);
    if (text === undefined) this.appendTexts.set(key, (text = `${APPEND_EVENTS(withStatement?.sql)}${this.observerReads} FROM e ORDER BY e.seq`));
    const values = [appendedEventsJson(events), LISTING_EVENTS_APPENDED.name, ...(withStatement?.values ?? [])];
    // Prepared on the transaction's connection (the workers' hot path), else sent through TypeORM.
    const rows: Row[] = manager.queryRunner ? await runPrepared<Row>(manager.queryRunner, text, values) : await manager.query(text, values);
    if (rows.length !== events.length) throw new Error(`appended ${rows.length} of ${events.length} listing events`);
    const appended = events.map((event, i) => ({ ...event, seq: String(rows[i].seq), txId: String(rows[i].tx_id), createdAt: rows[i].created_at }));
    for (const [i, event] of appended.entries()) await this.observe(manager, event, rows[i]);
    return appended;
  }

  /** Events of one mini-program in sequence order (oldest first), keyset-paged on `seq`. */
  async listForProgram(
    organizationId: string,
    miniProgramId: string,
    args: { first: number; after?: string | null; submissionId?: string | null },
  ): Promise<Connection<ListingEventModelShape>> {
    const qb = this.events
      .createQueryBuilder('e')
      .where('e.organization_id = :organizationId AND e.mini_program_id = :miniProgramId', { organizationId, miniProgramId });
    if (args.submissionId) qb.andWhere('e.submission_id = :submissionId', { submissionId: args.submissionId });
    const countQuery = qb.clone();
    const before = qb.clone();
    const after = args.after ? decodeSeq(args.after) : null;
    if (after !== null) qb.andWhere('e.seq > :after', { after });
    const rows = await qb
      .orderBy('e.seq', 'ASC')
      .limit(args.first + 1)
      .getMany();
    const edges = rows.slice(0, args.first).map((row) => ({ cursor: encodeSeq(row.seq), node: row }));
    return {
      edges,
      get totalCount() {
        return countQuery.getCount();
      },
      pageInfo: {
        hasNextPage: rows.length > args.first,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
        // Read only when selected: an event at or before the cursor exists for this filter.
        get hasPreviousPage() {
          return after === null ? Promise.resolve(false) : before.andWhere('e.seq <= :after', { after }).limit(1).getExists();
        },
      },
    };
  }
}
