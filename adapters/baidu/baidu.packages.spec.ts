import { describe, expect, it } from '@jest/globals';
import { findPackage, idsWithVersion, newestIn, packageItem, packageList } from './baidu.packages.js';

const list = [
  { package_id: 9, version: '1.0.0', status: 5, commit_time: '2024/01/01 10:00:00' },
  { package_id: 12, version: '1.0.0', status: 3, commit_time: '2024/01/02 10:00:00' },
  { package_id: 10, version: '1.1.0', status: 4, commit_time: '2024/01/01 11:00:00' },
  { package_id: 11, version: '0.9.0', status: 6, commit_time: '2024/01/01 12:00:00' },
];

describe('Baidu package lookups (B2)', () => {
  it('finds a package by id first, else the newest with the version that the upload did not supersede', () => {
    expect(findPackage(list, { version: '1.0.0', ids: { packageId: '9' } })?.package_id).toBe(9);
    expect(findPackage(list, { version: '1.0.0', ids: {} })?.package_id).toBe(12);
    expect(findPackage(list, { version: '1.0.0', ids: { supersedes: '9,12' } })).toBeNull();
    expect(findPackage(list, { version: '1.0.0', ids: { packageId: '99' } })).toBeNull();
    expect(idsWithVersion(list, '1.0.0')).toEqual(['9', '12']);
  });

  it('picks the newest package in a set of statuses', () => {
    expect(newestIn(list, [4, 6])?.package_id).toBe(11);
    expect(newestIn(list, [1])).toBeNull();
  });

  it('reads list and detail answers of any plausible shape', () => {
    expect(packageList(null)).toEqual([]);
    expect(packageList(list[0])).toEqual([list[0]]);
    expect(packageList([list[0], 'x', null])).toEqual([list[0]]);
    expect(packageItem(null)).toBeNull();
    expect(packageItem({})).toBeNull();
    expect(packageItem([list[1]])).toBe(list[1]);
  });
});
