import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal, RequireFeedRead } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { decodeChangeCursor } from './change-cursor.js';
import { ListingChangedArgs, ListingChangeModel } from './listing-change.models.js';
import { LiveFeedHub } from './live-feed.hub.js';
import type { LiveSubscriber } from './live-subscriber.js';

@Resolver()
export class FeedLiveResolver {
  constructor(private readonly hub: LiveFeedHub) {}

  @Subscription(() => ListingChangeModel, {
    name: 'listingChanged',
    description:
      'Listing events as they happen, over graphql-ws (connect to /graphql with connection_init payload {authorization: "Bearer <key>"}). With `after`, the events after that cursor are replayed first, then live ones follow with none missed or repeated, whichever gateway instance wrote them. An event is sent once every older transaction has ended (the same rule as the change feed). A partner key sees the events of syndicated mini-programs (not archived, live or in gray release on a host), without evidence; an organization key sees every event of its own mini-programs. Needs a partner key or an organization key with FEED_READ.',
    resolve: (payload: unknown) => payload,
  })
  @RequireFeedRead()
  async listingChanged(@CurrentPrincipal() principal: Principal, @Args() args: ListingChangedArgs): Promise<LiveSubscriber> {
    const after = args.after ? decodeChangeCursor(args.after, 'after') : null;
    return this.hub.subscribe(principal, args.filter ?? null, after);
  }
}
