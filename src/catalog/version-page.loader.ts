import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Connection } from '../common/pagination/connection.js';
import type { PageArgs } from './catalog.inputs.js';
import type { VersionModel } from './catalog.models.js';
import { VersionService } from './version.service.js';

interface RequestLoaders {
  pages: Map<string, DataLoader<string, Connection<VersionModel>>>;
  counts: Map<string, DataLoader<string, number>>;
}

/**
 * Batches the nested `versions` of every mini-program a request resolves into one statement
 * (and their totalCount, when selected, into one more). Loaders live as long as the request:
 * they are keyed on the request object, so nothing is shared between callers.
 */
@Injectable()
export class VersionPageLoader {
  private readonly requests = new WeakMap<object, RequestLoaders>();

  constructor(private readonly versions: VersionService) {}

  load(request: object, organizationId: string, miniProgramId: string, args: PageArgs): Promise<Connection<VersionModel>> {
    const loaders = this.loadersOf(request);
    // Programs asked for with the same arguments share a batch (one per field alias, in practice).
    const key = `${organizationId} ${args.first} ${args.after ?? ''}`;
    let pages = loaders.pages.get(key);
    if (!pages) {
      const counts = this.countsOf(loaders, organizationId);
      pages = new DataLoader((ids: readonly string[]) =>
        this.versions.pagesForPrograms(organizationId, ids, args, (some) => counts.loadMany(some).then(unwrap)),
      );
      loaders.pages.set(key, pages);
    }
    return pages.load(miniProgramId);
  }

  private loadersOf(request: object): RequestLoaders {
    let loaders = this.requests.get(request);
    if (!loaders) {
      loaders = { pages: new Map(), counts: new Map() };
      this.requests.set(request, loaders);
    }
    return loaders;
  }

  private countsOf(loaders: RequestLoaders, organizationId: string): DataLoader<string, number> {
    let counts = loaders.counts.get(organizationId);
    if (!counts) {
      counts = new DataLoader((ids: readonly string[]) => this.versions.countForPrograms(organizationId, ids));
      loaders.counts.set(organizationId, counts);
    }
    return counts;
  }
}

function unwrap(results: Array<number | Error>): number[] {
  return results.map((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
}
