import { registerEnumType } from '@nestjs/graphql';

// Stored as the strings on the right; exposed in GraphQL by the names on the left.
export enum Scope {
  ADMIN = 'admin',
  CATALOG_READ = 'catalog:read',
  CATALOG_WRITE = 'catalog:write',
  PUBLISH = 'publish',
  FEED_READ = 'feed:read',
}
registerEnumType(Scope, { name: 'Scope', description: 'What an API key may do. ADMIN implies every other scope.' });

// A scope also grants the scopes listed here.
const IMPLIED: Partial<Record<Scope, Scope[]>> = {
  [Scope.ADMIN]: Object.values(Scope),
  [Scope.CATALOG_WRITE]: [Scope.CATALOG_READ],
};

export function grants(held: readonly string[], wanted: Scope): boolean {
  return held.some((s) => s === (wanted as string) || (IMPLIED[s as Scope] ?? []).includes(wanted));
}
