import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor: string | null;
  @Field() hasNextPage: boolean;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  // A getter: graphql-js reads it (and so runs the COUNT) only when the client selects
  // totalCount, so a plain page costs no COUNT(*).
  readonly totalCount: Promise<number>;
}

/** Builds the Relay connection types for a node type (`MiniProgramConnection`, `MiniProgramEdge`). */
export function ConnectionType<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'Rows matching the filter, across all pages.' }) totalCount: number;
  }
  return ConnectionClass;
}
