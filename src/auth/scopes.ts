import { registerEnumType } from '@nestjs/graphql';

// Stored as the strings on the right; exposed in GraphQL by the names on the left.
export enum Scope {
  ADMIN = 'admin',
  CATALOG_READ = 'catalog:read',
  CATALOG_WRITE = 'catalog:write',
  PUBLISH = 'publish',
  FEED_READ = 'feed:read',
}
registerEnumType(Scope, {
  name: 'Scope',
  description:
    'What an API key may do. ADMIN implies every other scope; CATALOG_WRITE implies CATALOG_READ; CATALOG_READ implies FEED_READ (the feed shows an organization only its own mini-programs).',
  valuesMap: {
    ADMIN: { description: "Every other scope, plus managing the organization's own API keys (createApiKey, revokeApiKey, apiKeys)." },
    CATALOG_READ: { description: 'Read mini-programs and versions, and check them with validateMiniProgram; implies FEED_READ.' },
    CATALOG_WRITE: { description: 'Create, change, archive and delete mini-programs and versions; implies CATALOG_READ and FEED_READ.' },
    PUBLISH: { description: 'Publish versions to hosts and drive their review and release (publish, release, rollback ...).' },
    FEED_READ: {
      description:
        'Read the feed (listings, changes): an organization key sees all of its own mini-programs there; partner keys hold only this scope and see the syndicated listings of every organization.',
    },
  },
});

// A scope also grants the scopes listed here.
const IMPLIED: Partial<Record<Scope, Scope[]>> = {
  [Scope.ADMIN]: Object.values(Scope),
  [Scope.CATALOG_WRITE]: [Scope.CATALOG_READ, Scope.FEED_READ],
  // An organization's feed is its own mini-programs: nothing a catalog reader cannot read already.
  [Scope.CATALOG_READ]: [Scope.FEED_READ],
};

export function grants(held: readonly string[], wanted: Scope): boolean {
  return held.some((s) => s === (wanted as string) || (IMPLIED[s as Scope] ?? []).includes(wanted));
}
