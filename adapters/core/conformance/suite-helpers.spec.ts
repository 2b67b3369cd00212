import { describe, expect, it } from '@jest/globals';
import { refusedGrayPercentages } from './capability.cases.js';
import { allowedGrayPercentage } from './lifecycle.cases.js';

describe('gray percentages the suite uses', () => {
  const range = { allowedPercentages: null, min: 1, max: 100, mustIncrease: true, cancellable: true };
  const list = { allowedPercentages: [1, 5, 10, 20, 50, 100], min: 1, max: 100, mustIncrease: false, cancellable: false };

  it('picks an allowed percentage below 100', () => {
    expect(allowedGrayPercentage(range)).toBe(10);
    expect(allowedGrayPercentage(list)).toBe(10);
    expect(allowedGrayPercentage({ ...list, allowedPercentages: [30, 100], min: 30 })).toBe(30);
    expect(() => allowedGrayPercentage({ ...list, allowedPercentages: [100], min: 100 })).toThrow('no gray percentage below 100');
  });

  it('tries below the minimum, above the maximum, a fraction and a value missing from the list', () => {
    expect(refusedGrayPercentages(range)).toEqual([0, 101, 1.5]);
    expect(refusedGrayPercentages(list)).toEqual([0, 101, 1.5, 2]);
  });
});
