import { backoffMs } from './webhook-backoff.js';

describe('backoffMs', () => {
  it('doubles per attempt up to the cap, between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000, () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect(backoffMs(500, 1000, 3_600_000, () => 1)).toBe(3_600_000);
  });
});
