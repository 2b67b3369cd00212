import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { LimitsModule } from '../limits/limits.module.js';
import { FeedLiveResolver } from './feed-live.resolver.js';
import { LiveConnections } from './live-connections.js';
import { LiveFeedHub } from './live-feed.hub.js';

/** The live feed: `listingChanged` over graphql-ws, fanned out through LISTEN/NOTIFY. */
@Module({
  imports: [AuthModule, LimitsModule, EventsModule],
  providers: [LiveFeedHub, LiveConnections, FeedLiveResolver],
  exports: [LiveConnections],
})
export class FeedLiveModule {}
