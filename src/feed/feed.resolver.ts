import { Args, Context, GraphQLISODateTime, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireFeedRead } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import type { Connection } from '../common/pagination/connection.js';
import type { ListingRow } from './feed.service.js';
import { FeedService } from './feed.service.js';
import { ChangesArgs, ListingsArgs } from './feed.inputs.js';
import { FeedChangeConnectionModel, ListingConnection, ListingHostStateModel, ListingModel } from './feed.models.js';
import { HostStateLoader } from './host-state.loader.js';

@Resolver(() => ListingModel)
export class FeedResolver {
  constructor(
    private readonly feed: FeedService,
    private readonly hostStates: HostStateLoader,
  ) {}

  @Query(() => ListingConnection, {
    description:
      'The feed of listings, newest first by creation, a page at a time: one node per mini-program with its state on every host. ' +
      'A partner key sees the syndicated, unarchived mini-programs of every organization that are live (or in gray release) on at least one host; ' +
      'an organization key sees all of its own. Pages are stable: walking them with `after` returns every listing that stays visible exactly once, ' +
      'however listings change meanwhile (to follow changes, poll `changes`). Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  listings(@CurrentPrincipal() principal: Principal, @Args() args: ListingsArgs): Promise<Connection<ListingRow>> {
    return this.feed.listings(principal, args);
  }

  @Query(() => FeedChangeConnectionModel, {
    description:
      'Changes to the listings the key may see, oldest first, for incremental sync: store pageInfo.endCursor and poll with `after`. ' +
      'A change appears only once every transaction that began before it has ended, so one committed late, out of sequence order, still comes after ' +
      'any cursor given out before: a poller that stores its cursor never misses a change. Scoped like `listings`, by what the listing is now. ' +
      'Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  changes(@CurrentPrincipal() principal: Principal, @Args() args: ChangesArgs): Promise<FeedChangeConnectionModel> {
    return this.feed.changes(principal, args);
  }

  // Typed structurally (not ListingModel) so the global ValidationPipe leaves our own output alone.
  @ResolveField('hosts', () => [ListingHostStateModel], { description: 'Its state on each host it is bound to, ordered by host id; empty when bound to none.' })
  hosts(@Parent() listing: Pick<ListingRow, 'id'>, @Context('req') req: object): Promise<ListingHostStateModel[]> {
    return this.hostStates.load(req, listing.id);
  }

  @ResolveField('updatedAt', () => GraphQLISODateTime, {
    description:
      "Last change to the listing: of the definition, or on a host (a binding made, or the binding's latest listing event), as updatedSince filters.",
  })
  async updatedAt(@Parent() listing: Pick<ListingRow, 'id' | 'updatedAt'>, @Context('req') req: object): Promise<Date> {
    const states = await this.hostStates.load(req, listing.id);
    return states.reduce((latest, s) => (s.lastChangedAt > latest ? s.lastChangedAt : latest), listing.updatedAt);
  }
}
