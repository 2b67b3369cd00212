import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import type { IconValue } from '../catalog/mini-program.entity.js';
import type { Connection } from '../common/pagination/connection.js';
import { keysetPage } from '../common/pagination/keyset-page.js';
import { sqlPool } from '../database/sql-pool.js';
import type { Visibility } from '../hosts/bindings.models.js';
import type { SubmissionStage } from '../publishing/publishing.models.js';
import { FeedScope } from './feed-scope.js';
import type { ChangesArgs, ListingsArgs } from './feed.inputs.js';
import type { FeedChangeConnectionModel, ListingHostStateModel, ListingModel } from './feed.models.js';
import { decodeChangeCursor, encodeChangeCursor, START } from './change-cursor.js';
import { HOST_STATES, LISTING_COLUMNS } from './feed.sql.js';
import { readVisibleChanges } from './visible-changes.js';

/** A listing as its page statement reads it; `hosts` and the listing's `updatedAt` come from the host states. */
export interface ListingRow {
  id: string;
  organizationId: string;
  name: string;
  shortName: string | null;
  slogan: string | null;
  description: string;
  category: string;
  keywords: string[];
  icon: IconValue | null;
  privacyPolicyUrl: string | null;
  syndicated: boolean;
  archived: boolean;
  createdAt: Date;
  /** When the definition last changed (Listing.updatedAt also counts the hosts). */
  updatedAt: Date;
}

// Nodes and host states are built field by field: object rest and spread (`{ a, ...rest }`)
// take V8's slow generic path, about 4-5 us per row here, more than the rest of the mapping.
function toListing(row: ListingRow, hostStates: () => Promise<ListingHostStateModel[]>): ListingModel {
  const definitionUpdatedAt = row.updatedAt;
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    shortName: row.shortName,
    slogan: row.slogan,
    description: row.description,
    category: row.category,
    keywords: row.keywords,
    icon: row.icon,
    privacyPolicyUrl: row.privacyPolicyUrl,
    syndicated: row.syndicated,
    archived: row.archived,
    createdAt: row.createdAt,
    get hosts() {
      return hostStates();
    },
    get updatedAt() {
      return hostStates().then((hosts) => hosts.reduce((latest, h) => (h.lastChangedAt > latest ? h.lastChangedAt : latest), definitionUpdatedAt));
    },
  };
}

interface HostStateRow {
  miniProgramId: string;
  host: ListingHostStateModel['host'];
  hostAppId: string;
  liveVersion: string | null;
  grayVersion: string | null;
  grayPercentage: number | null;
  visibility: Visibility;
  reviewStage: SubmissionStage | null;
  reviewVersion: string | null;
  lastChangedAt: Date;
}

/**
 * The feed's reads. Every statement is scoped by FeedScope for the caller, so a partner key
 * reaches only syndicated, live, unarchived mini-programs and an organization key only its own.
 */
@Injectable()
export class FeedService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A page of listings, newest first by (created_at, id): keys that never change, so a reader
   * walking the pages sees every listing that stays visible exactly once, however listings
   * change between pages. One statement; a COUNT only when totalCount is selected.
   */
  async listings(principal: Principal, args: ListingsArgs): Promise<Connection<ListingModel>> {
    const params: unknown[] = [];
    const where = [FeedScope.predicate(principal, params, 'm'), ...FeedScope.filter(args.filter, params, 'm')];
    const page = await keysetPage(
      sqlPool(this.dataSource),
      { columns: LISTING_COLUMNS, from: 'mini_programs m', alias: 'm', where, params },
      args,
      (row: ListingRow) => row,
    );
    // The host states of the whole page, in one statement, read the first time a node's hosts or
    // updatedAt is: plain getters, so GraphQL's default resolver reads them without a field
    // resolver per node, and a page that selects neither sends no second statement.
    let states: Promise<ListingHostStateModel[][]> | null = null;
    const statesOf = (index: number) => (states ??= this.hostStates(page.edges.map((e) => e.node.id))).then((all) => all[index]);
    return {
      edges: page.edges.map((edge, index) => ({ cursor: edge.cursor, node: toListing(edge.node, () => statesOf(index)) })),
      pageInfo: page.pageInfo,
      get totalCount() {
        return page.totalCount;
      },
    };
  }

  /**
   * Host states of listings the caller was already allowed to see (ids from a scoped page), in
   * one statement for all of them, in the order of `ids`.
   */
  async hostStates(ids: readonly string[]): Promise<ListingHostStateModel[][]> {
    const { rows } = await sqlPool(this.dataSource).query<HostStateRow>(HOST_STATES, [ids]);
    const byProgram = new Map<string, ListingHostStateModel[]>();
    for (const r of rows) {
      let list = byProgram.get(r.miniProgramId);
      if (!list) byProgram.set(r.miniProgramId, (list = []));
      list.push({
        host: r.host,
        hostAppId: r.hostAppId,
        liveVersion: r.liveVersion,
        grayVersion: r.grayVersion,
        grayPercentage: r.grayPercentage,
        visibility: r.visibility,
        reviewStage: r.reviewStage,
        reviewVersion: r.reviewVersion,
        lastChangedAt: r.lastChangedAt,
        deepLink: null,
        qrCodeUrl: null,
      });
    }
    return ids.map((id) => byProgram.get(id) ?? []);
  }

  /**
   * Changes after the cursor, oldest first, that the caller may see (FeedScope on the listing as
   * it is now). Only events of transactions older than every transaction still in flight are
   * shown, ordered by (transaction, sequence): an event committed late, out of sequence order,
   * still comes after any cursor handed out before, so a poller that stores endCursor misses
   * nothing. One statement, through the same reader as `listingChanged` (visible-changes.ts).
   */
  async changes(principal: Principal, args: ChangesArgs): Promise<FeedChangeConnectionModel> {
    const from = args.after ? decodeChangeCursor(args.after) : START;
    const { changes: rows } = await readVisibleChanges(sqlPool(this.dataSource), {
      after: from,
      limit: args.first + 1,
      principal,
      filter: args.filter,
    });
    const edges = rows.slice(0, args.first).map(({ position, node }) => ({ cursor: encodeChangeCursor(position), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > args.first,
        // The cursor itself is a change at or before the page (changes are never deleted).
        hasPreviousPage: args.after !== undefined && args.after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
