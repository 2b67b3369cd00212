import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES, findCategory, isCanonicalCategory, topLevelOf } from './taxonomy.js';

const TOP_LEVEL = ['games', 'life', 'ecommerce', 'tools', 'education', 'travel', 'finance', 'social', 'media', 'health', 'government'];

describe('canonical taxonomy', () => {
  it('has exactly the agreed top-level categories, in order', () => {
    expect(CANONICAL_CATEGORIES.filter((c) => c.parent === null).map((c) => c.code)).toEqual(TOP_LEVEL);
  });

  it('has unique codes and names every category', () => {
    const codes = CANONICAL_CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CANONICAL_CATEGORIES) expect(c.name.trim()).not.toBe('');
  });

  it('gives every child an existing top-level parent and a `<parent>.<child>` code', () => {
    for (const c of CANONICAL_CATEGORIES.filter((x) => x.parent !== null)) {
      expect(TOP_LEVEL).toContain(c.parent);
      expect(c.code).toMatch(new RegExp(`^${c.parent}\\.[a-z0-9_]+$`));
      expect(topLevelOf(c.code)).toBe(c.parent);
    }
  });

  it('gives every top-level category at least one child', () => {
    for (const top of TOP_LEVEL) expect(CANONICAL_CATEGORIES.filter((c) => c.parent === top).length).toBeGreaterThan(0);
  });

  it('looks codes up exactly', () => {
    expect(findCategory('life.food')).toEqual({ code: 'life.food', name: 'Food and dining', parent: 'life' });
    expect(isCanonicalCategory('games')).toBe(true);
    expect(isCanonicalCategory('Games')).toBe(false);
    expect(isCanonicalCategory('life.unknown')).toBe(false);
    expect(findCategory('')).toBeUndefined();
    expect(topLevelOf('travel')).toBe('travel');
  });
});
