import { describe, expect, it } from '@jest/globals';
import { organizationOf } from './principal.js';
import { grants, Scope } from './scopes.js';

const ALL = Object.values(Scope);

describe('scopes', () => {
  it('stores each scope as its documented string', () => {
    expect(Object.entries(Scope)).toEqual([
      ['ADMIN', 'admin'],
      ['CATALOG_READ', 'catalog:read'],
      ['CATALOG_WRITE', 'catalog:write'],
      ['PUBLISH', 'publish'],
      ['FEED_READ', 'feed:read'],
    ]);
  });

  // For each scope held alone: exactly the scopes it grants (itself plus the implied ones).
  it.each([
    [Scope.ADMIN, ALL],
    [Scope.CATALOG_WRITE, [Scope.CATALOG_READ, Scope.CATALOG_WRITE, Scope.FEED_READ]],
    [Scope.CATALOG_READ, [Scope.CATALOG_READ, Scope.FEED_READ]],
    [Scope.PUBLISH, [Scope.PUBLISH]],
    [Scope.FEED_READ, [Scope.FEED_READ]],
  ])('%s alone grants exactly %j', (held, granted) => {
    expect(ALL.filter((wanted) => grants([held], wanted)).sort()).toEqual([...granted].sort());
  });

  it('grants nothing to a key without scopes, or with scopes it does not know', () => {
    for (const wanted of ALL) {
      expect(grants([], wanted)).toBe(false);
      expect(grants(['Admin', 'ADMIN', 'catalog', 'catalog:*', ' admin'], wanted)).toBe(false);
    }
  });

  it('grants what any one of several held scopes grants', () => {
    expect(grants([Scope.FEED_READ, Scope.CATALOG_WRITE], Scope.CATALOG_READ)).toBe(true);
    expect(grants([Scope.FEED_READ, Scope.PUBLISH], Scope.CATALOG_READ)).toBe(false);
    expect(grants(['unknown', Scope.ADMIN], Scope.PUBLISH)).toBe(true);
  });

  it('never lets a narrower scope imply a wider one', () => {
    expect(grants([Scope.CATALOG_READ], Scope.CATALOG_WRITE)).toBe(false);
    for (const held of ALL.filter((s) => s !== Scope.ADMIN)) expect(grants([held], Scope.ADMIN)).toBe(false);
  });
});

describe('organizationOf', () => {
  it('is the key organization for an organization key and none for the operator', () => {
    expect(organizationOf({ kind: 'apiKey', keyId: 'k', organizationId: 'org-9', scopes: [] })).toBe('org-9');
    expect(organizationOf({ kind: 'operator' })).toBeNull();
  });
});
