import { describe, expect, it } from '@jest/globals';
import { BASIC_INFO_FIELDS, NOT_OFFERED, type BasicInfoCapabilities } from './basic-info.js';
import { CAPABILITY_NAMES, hasCapability, type HostCapabilities } from './capabilities.js';

const NO_BASIC_INFO = Object.fromEntries(BASIC_INFO_FIELDS.map((f) => [f, NOT_OFFERED('none')])) as BasicInfoCapabilities;

const NONE: HostCapabilities = {
  grayRelease: null,
  rollback: false,
  withdrawReview: false,
  speedUpReview: false,
  analytics: false,
  reviewPushes: false,
  basicInfoSync: false,
  basicInfo: NO_BASIC_INFO,
  artifactKinds: ['TEMPLATE'],
};

describe('hasCapability', () => {
  it('says no for every capability of a host that offers none', () => {
    expect(CAPABILITY_NAMES.filter((n) => hasCapability(NONE, n))).toEqual([]);
  });

  it('reads gray release from the presence of its settings, not from a flag', () => {
    const gray = { ...NONE, grayRelease: { allowedPercentages: [5, 10, 50], min: 5, max: 50, mustIncrease: false, cancellable: false } };
    expect(hasCapability(gray, 'grayRelease')).toBe(true);
    expect(CAPABILITY_NAMES.filter((n) => hasCapability(gray, n))).toEqual(['grayRelease']);
  });

  it('reads each boolean capability on its own', () => {
    for (const name of CAPABILITY_NAMES.filter((n) => n !== 'grayRelease')) {
      const caps = { ...NONE, [name]: true };
      expect(CAPABILITY_NAMES.filter((n) => hasCapability(caps, n))).toEqual([name]);
    }
  });

  it('names every capability of HostCapabilities except the artifact kinds and the per-field basic info (not a yes/no)', () => {
    expect([...CAPABILITY_NAMES].sort()).toEqual(
      Object.keys(NONE)
        .filter((k) => k !== 'artifactKinds' && k !== 'basicInfo')
        .sort(),
    );
  });
});
