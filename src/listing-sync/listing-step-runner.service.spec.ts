import type { BasicInfoSnapshot } from '../../adapters/core/index.js';
import { expectationOf, provenByReadBack } from './listing-step-runner.service.js';

const snap = (over: Partial<BasicInfoSnapshot> = {}): BasicInfoSnapshot => ({
  name: 'Old',
  shortName: null,
  slogan: null,
  description: null,
  icon: { url: 'u1', fingerprint: 'u1' },
  categories: [],
  serviceContact: null,
  pendingReviews: [],
  quotas: [],
  ...over,
});
const intent = { attempt: 1, startedAt: '2026-12-01T00:00:00Z', iconBefore: 'u1' };

describe('provenByReadBack (an answer lost after the call)', () => {
  it('finds a rename applied, or in the host review, and nothing when the host shows neither', () => {
    const t = { field: 'name' as const, value: 'New' };
    expect(provenByReadBack(t, intent, snap({ name: 'New' }))).toEqual({ status: 'APPLIED', reviewId: null });
    expect(provenByReadBack(t, intent, snap({ pendingReviews: [{ field: 'name', value: 'New', status: 'IN_REVIEW', reason: null, reviewId: '9' }] }))).toEqual({
      status: 'IN_REVIEW',
      reviewId: '9',
    });
    expect(
      provenByReadBack(t, intent, snap({ pendingReviews: [{ field: 'name', value: 'Other', status: 'IN_REVIEW', reason: null, reviewId: '9' }] })),
    ).toBeNull();
    expect(provenByReadBack(t, intent, snap())).toBeNull();
  });

  it('knows an icon upload by the host URL changing since the intent', () => {
    const t = { field: 'icon' as const, url: 'https://cdn/icon.png', sha256: 'a'.repeat(64) };
    expect(provenByReadBack(t, intent, snap())).toBeNull();
    expect(provenByReadBack(t, intent, snap({ icon: { url: 'u2', fingerprint: 'u2' } }))).toEqual({ status: 'APPLIED', reviewId: null });
  });

  it('never proves a category by names (only a review in progress does)', () => {
    expect(provenByReadBack({ field: 'category', value: 'life.food' }, intent, snap())).toBeNull();
  });
});

describe('expectationOf', () => {
  it('records text values, and the icon and category to be fingerprinted on read-back', () => {
    expect(expectationOf({ field: 'description', value: 'd' })).toEqual({ description: 'd' });
    expect(expectationOf({ field: 'icon', url: 'u', sha256: 's' })).toEqual({ icon: { sha256: 's', fingerprint: null } });
    expect(expectationOf({ field: 'category', value: 'life.food' })).toEqual({ category: { code: 'life.food', hostIds: null } });
  });
});
