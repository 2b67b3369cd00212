import { Module } from '@nestjs/common';
import { FeedResolver } from './feed.resolver.js';
import { FeedService } from './feed.service.js';

// The partner feed: listings (and changes) read from the catalog, bindings, submissions and
// listing events in plain SQL, scoped by FeedScope. It writes nothing.
@Module({
  providers: [FeedService, FeedResolver],
  exports: [FeedService],
})
export class FeedModule {}
