import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { ListingHostStateModel } from './feed.models.js';
import { FeedService } from './feed.service.js';

/**
 * Batches the host states of every listing a request resolves into one statement. Loaders live
 * as long as the request (keyed on the request object), so nothing is shared between callers;
 * only ids from the caller's own scoped page are ever loaded.
 */
@Injectable()
export class HostStateLoader {
  private readonly requests = new WeakMap<object, DataLoader<string, ListingHostStateModel[]>>();

  constructor(private readonly feed: FeedService) {}

  load(request: object, miniProgramId: string): Promise<ListingHostStateModel[]> {
    let loader = this.requests.get(request);
    if (!loader) {
      loader = new DataLoader((ids: readonly string[]) => this.feed.hostStates(ids));
      this.requests.set(request, loader);
    }
    return loader.load(miniProgramId);
  }
}
