import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentPrincipal, RequireFeedRead } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { decodeChangeCursor } from '../feed/change-cursor.js';
import { FeedChangeEdgeModel } from '../feed/feed.models.js';
import { ListingChangedArgs } from './listing-change.models.js';
import { LiveFeedHub } from './live-feed.hub.js';
import type { LiveSubscriber } from './live-subscriber.js';

@Resolver()
export class FeedLiveResolver {
  constructor(private readonly hub: LiveFeedHub) {}

  @Subscription(() => FeedChangeEdgeModel, {
    name: 'listingChanged',
    description:
      'Listing events as they happen, over graphql-ws (connect to /graphql with connection_init payload {authorization: "Bearer <key>"}). With `after`, the events after that cursor are replayed first, then live ones follow with none missed or repeated, whichever gateway instance wrote them. An event is sent once every older transaction has ended (the same rule as the change feed). Each message is an edge of `changes`, with the same cursor and the same node for the same event, so code that polls `changes` handles it unchanged. Scoped like `changes`: a partner key sees the events of syndicated mini-programs (not archived, live or in gray release on a host); an organization key sees every event of its own mini-programs (evidence is in MiniProgram.events). Needs a partner key or an organization key with FEED_READ.',
    resolve: (payload: unknown) => payload,
  })
  @RequireFeedRead()
  async listingChanged(@CurrentPrincipal() principal: Principal, @Args() args: ListingChangedArgs): Promise<LiveSubscriber> {
    const after = args.after ? decodeChangeCursor(args.after, 'after') : null;
    return this.hub.subscribe(principal, args.filter ?? null, after);
  }
}
