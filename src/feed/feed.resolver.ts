import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireFeedRead } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import type { Connection } from '../common/pagination/connection.js';
import { FeedService } from './feed.service.js';
import { ChangesArgs, ListingsArgs } from './feed.inputs.js';
import { FeedChangeConnectionModel, ListingConnection, ListingModel } from './feed.models.js';

@Resolver(() => ListingModel)
export class FeedResolver {
  constructor(private readonly feed: FeedService) {}

  @Query(() => ListingConnection, {
    description:
      'The feed of listings, newest first by creation, a page at a time: one node per mini-program with its state on every host. ' +
      'A partner key sees the syndicated, unarchived mini-programs of every organization that are live (or in gray release) on at least one host; ' +
      'an organization key sees all of its own. Pages are stable: walking them with `after` returns every listing that stays visible exactly once, ' +
      'however listings change meanwhile (to follow changes, poll `changes`). Needs a partner key or an organization key with FEED_READ.',
  })
  @RequireFeedRead()
  listings(@CurrentPrincipal() principal: Principal, @Args() args: ListingsArgs): Promise<Connection<ListingModel>> {
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
}
