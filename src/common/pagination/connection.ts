import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';

/**
 * Relay PageInfo (cursor connections specification). The API pages forward only (`first`,
 * `after`); hasPreviousPage still answers truthfully for a page reached with `after`, which the
 * specification allows a server to do when it can do so cheaply (one index lookup from the cursor, run only
 * when a client selects the field).
 */
@ObjectType({ description: 'Where a page sits in the whole list (Relay cursor connections). Lists page forward only, with `first` and `after`.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page: ask for them with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({
    description:
      'True when items come before this page in the same order and filter, that is, items at or before the `after` cursor (newer ones, since lists are newest first). ' +
      'Always false without `after`. With `after`, it stays true while the item the cursor points at, or any newer one, still matches.',
  })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of this page; null when the page is empty.' })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of this page, to pass as `after` for the next page; null when the page is empty.',
  })
  endCursor: string | null;
}

/** PageInfo as resolvers return it: hasPreviousPage may be a promise, awaited only when selected. */
export type PageInfoValue = Omit<PageInfo, 'hasPreviousPage'> & { readonly hasPreviousPage: boolean | Promise<boolean> };

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoValue;
  // A getter: graphql-js reads it (and so runs the COUNT) only when the client selects
  // totalCount, so a plain page costs no COUNT(*).
  readonly totalCount: Promise<number>;
}

/** How the connection types of a node type name what they list, for their descriptions. */
export interface ConnectionNouns {
  /** One node, e.g. `mini-program`. */
  item: string;
  /** The list, e.g. `mini-programs`. */
  items: string;
}

/** Builds the Relay connection types for a node type (`MiniProgramConnection`, `MiniProgramEdge`). */
export function ConnectionType<T>(node: Type<T>, name: string, nouns: ConnectionNouns) {
  @ObjectType(`${name}Edge`, { description: `One ${nouns.item} in a page, with its cursor.` })
  class EdgeType {
    @Field({
      description: `Opaque cursor of this ${nouns.item}: pass it as \`after\` to get the items that follow it. It stays usable after the item changes or is deleted.`,
    })
    cursor: string;
    @Field(() => node, { description: `The ${nouns.item}.` }) node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${nouns.items}, newest first (Relay cursor connection).` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: `The ${nouns.items} of this page, at most \`first\`, newest first.` }) edges: EdgeType[];
    @Field(() => PageInfo, { description: 'Cursors and whether items come before or after this page.' }) pageInfo: PageInfo;
    @Field(() => Int, { description: 'Items matching the filter, across all pages. Costs one COUNT: select it only when you need it.' })
    totalCount: number;
  }
  return ConnectionClass;
}
