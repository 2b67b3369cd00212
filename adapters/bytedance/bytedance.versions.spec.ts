import { describe, expect, it } from '@jest/globals';
import { liveListingFrom, parseVersions, reviewStateFor } from './bytedance.versions.js';

// Shaped as the V2 versions answer of C2 (snake_case slots; empty slots may be null or {}).
const data = {
  latest: { version: '1.2.0', summary: 'test', ctime: 1714521600, has_audit: 0 },
  audit: {
    version: '1.1.0',
    status: 2,
    has_publish: 0,
    reason: '',
    reason_detail: { douyin: ['图片不清晰', '缺少隐私协议'], toutiao: ['图片不清晰'] },
    attach_info: { douyin: 'https://x.test/a.png,https://x.test/b.png', toutiao: 'https://x.test/a.png' },
  },
  current: { version: '1.0.0', has_down: 0, rollback: { can_rollback: false, last_version: '' } },
  gray: {},
};
const ref = (version: string) => ({ version, ids: {} });

describe('reviewStateFor', () => {
  it('reads the audit slot first, with its reasons and images when rejected', () => {
    expect(reviewStateFor(parseVersions(data), ref('1.1.0'))).toMatchObject({
      status: 'REJECTED',
      nativeStatus: 'audit.status 2',
      reason: 'douyin: 图片不清晰; 缺少隐私协议; toutiao: 图片不清晰',
      screenshots: ['https://x.test/a.png', 'https://x.test/b.png'],
    });
  });

  it('reads the online and test slots, and a version in no slot as replaced', () => {
    const slots = parseVersions(data);
    expect(reviewStateFor(slots, ref('1.0.0')).status).toBe('APPROVED');
    expect(reviewStateFor(slots, ref('1.2.0')).status).toBe('UPLOADED');
    expect(reviewStateFor(slots, ref('0.9.0'))).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('0.9.0') });
  });

  it('maps each audit.status', () => {
    const at = (status: number) => reviewStateFor(parseVersions({ audit: { version: '2.0.0', status } }), ref('2.0.0')).status;
    expect([0, 1, 2, 3].map(at)).toEqual(['IN_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN']);
  });
});

describe('liveListingFrom', () => {
  it('reports the online version, no gray and nothing pending after a rejection', () => {
    expect(liveListingFrom(parseVersions(data))).toEqual({
      liveVersion: '1.0.0',
      grayVersion: null,
      grayPercentage: null,
      visibility: 'VISIBLE',
      pendingVersion: null,
      pendingStatus: null,
      nativeStatus: 'audit.status 2',
    });
  });

  it('reports an approved unpublished version as pending, a taken-down one as hidden', () => {
    const l = liveListingFrom(parseVersions({ audit: { version: '1.1.0', status: 1, has_publish: 0 }, current: { version: '1.0.0', has_down: 1 } }));
    expect(l).toMatchObject({ liveVersion: '1.0.0', visibility: 'HIDDEN', pendingVersion: '1.1.0', pendingStatus: 'APPROVED' });
  });

  it('reads host_gray_scale as a map host -> percentage string, reporting the largest share', () => {
    expect(liveListingFrom(parseVersions({ gray: { version: '1.1.0', host_gray_scale: { douyin: '20', toutiao: '10' } } }))).toMatchObject({
      grayVersion: '1.1.0',
      grayPercentage: 20,
    });
    expect(liveListingFrom(parseVersions({ gray: { version: '1.1.0', host_gray_scale: { douyin: '1', toutiao: 'n/a' } } })).grayPercentage).toBe(1);
    expect(liveListingFrom(parseVersions({ gray: { version: '1.1.0', host_gray_scale: {} } })).grayPercentage).toBeNull();
  });
});
