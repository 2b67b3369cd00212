import type { BasicInfoSnapshot } from '../../adapters/core/index.js';
import { basicInfoDrift } from './basic-info-drift.js';

const snap = (over: Partial<BasicInfoSnapshot> = {}): BasicInfoSnapshot => ({
  name: 'CornerBakery',
  shortName: null,
  slogan: null,
  description: 'Bread',
  icon: { url: 'u2', fingerprint: 'u2' },
  categories: [{ ids: ['1', '2'], names: ['a', 'b'], reviewStatus: null, reason: null }],
  serviceContact: null,
  pendingReviews: [],
  quotas: [],
  ...over,
});

describe('basicInfoDrift', () => {
  it('finds a value changed on the host, and leaves fields with an open sync alone', () => {
    const expected = { name: 'CornerBakery', description: 'Cakes' };
    expect(basicInfoDrift(expected, snap(), new Set()).drift).toEqual([{ field: 'description', expected: 'Cakes', actual: 'Bread' }]);
    expect(basicInfoDrift(expected, snap(), new Set(['description'])).drift).toEqual([]);
  });

  it('adopts the icon and category fingerprints on the first read-back, then compares with them', () => {
    const first = basicInfoDrift({ icon: { sha256: 's', fingerprint: null }, category: { code: 'life.food', hostIds: null } }, snap(), new Set());
    expect(first.drift).toEqual([]);
    expect(first.expected).toEqual({ icon: { sha256: 's', fingerprint: 'u2' }, category: { code: 'life.food', hostIds: [['1', '2']] } });
    const later = basicInfoDrift(first.expected, snap({ icon: { url: 'u3', fingerprint: 'u3' }, categories: [] }), new Set());
    expect(later.drift.map((d) => d.field)).toEqual(['icon', 'category']);
  });

  it('does not judge fields the host does not report', () => {
    expect(basicInfoDrift({ slogan: 'x', serviceContact: { phone: '1', email: null } }, snap(), new Set()).drift).toEqual([]);
  });
});
