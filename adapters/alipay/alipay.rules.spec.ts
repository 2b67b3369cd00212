import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES } from '../core/index.js';
import { ALIPAY_CATEGORY_TABLE, alipayCategoryFor, categoriesWithoutRow } from './alipay.categories.js';
import { alipayConformanceHarness as H } from './alipay.harness.js';
import { ALIPAY_BUILD_STATUS, ALIPAY_VERSION_STATUS, alipayWideLength, grayPercentageOf, validateAlipayListing, versionProblem } from './alipay.rules.js';

const pairs = (def = H.validDefinition(), version = H.validVersion('1.0.0')) => validateAlipayListing(def, version).map((v) => `${v.field}:${v.rule}`);

describe('validateAlipayListing', () => {
  it('accepts the harness definition and version', () => {
    expect(pairs()).toEqual([]);
  });

  it('checks versions: x.y.z digits only, each part at most 2147483647', () => {
    expect(versionProblem('0.0.1')).toBeNull();
    expect(versionProblem('1.2147483647.0')).toBeNull();
    expect(versionProblem('1.2147483648.0')?.rule).toBe('versionPartMax');
    for (const bad of ['1.0', '1.0.0.0', 'v1.0.0', '1.0.0-rc1', '1. 0.0', '']) expect(versionProblem(bad)?.rule).toBe('versionFormat');
  });

  it('counts a Chinese character as 2 for the name (3-40) and the release notes (30-500)', () => {
    expect(alipayWideLength('点餐ab')).toBe(6);
    expect(pairs({ ...H.validDefinition(), name: '点'.repeat(20) })).toEqual([]);
    expect(pairs({ ...H.validDefinition(), name: '点'.repeat(21) })).toEqual(['name:maxLength']);
    expect(pairs({ ...H.validDefinition(), name: 'ab' })).toEqual(['name:minLength']);
    expect(pairs({ ...H.validDefinition(), name: '点a' })).toEqual([]);
    expect(pairs({ ...H.validDefinition(), name: 'Shop Go' })).toEqual(['name:nameChars']);
    expect(pairs({ ...H.validDefinition(), name: 'A_B+C-1' })).toEqual([]);
    expect(pairs(undefined, { ...H.validVersion('1.0.0'), releaseNotes: '修'.repeat(15) })).toEqual([]);
    expect(pairs(undefined, { ...H.validVersion('1.0.0'), releaseNotes: '修'.repeat(14) + 'a' })).toEqual(['releaseNotes:minLength']);
    expect(pairs(undefined, { ...H.validVersion('1.0.0'), releaseNotes: '修'.repeat(251) })).toEqual(['releaseNotes:maxLength']);
  });

  it('checks slogan 10-32 and description 20-400 in characters, slogan only when given', () => {
    expect(pairs({ ...H.validDefinition(), slogan: null })).toEqual([]);
    expect(pairs({ ...H.validDefinition(), slogan: 'x'.repeat(33), description: 'y'.repeat(401) })).toEqual(['slogan:maxLength', 'description:maxLength']);
    expect(pairs({ ...H.validDefinition(), slogan: '好'.repeat(10), description: '好'.repeat(20) })).toEqual([]);
  });

  it('checks the service contact: phone 5-30 digits and -, or an email', () => {
    expect(pairs({ ...H.validDefinition(), servicePhone: null })).toEqual([]);
    expect(pairs({ ...H.validDefinition(), servicePhone: '1234' })).toEqual(['servicePhone:minLength']);
    expect(pairs({ ...H.validDefinition(), servicePhone: '+86 400', serviceEmail: 'bad' })).toEqual(['servicePhone:phoneFormat', 'serviceEmail:emailFormat']);
    expect(pairs({ ...H.validDefinition(), servicePhone: '', serviceEmail: '' })).toEqual(['servicePhone:serviceContact']);
  });

  it('checks the logo (jpg/png, square, <= 2 MB) and the template artifact', () => {
    const icon = { url: 'https://x.test/a.JPEG?v=1', sha256: 'a'.repeat(64), width: 180, height: 180, sizeBytes: 2 * 1024 * 1024 };
    expect(pairs({ ...H.validDefinition(), icon })).toEqual([]);
    expect(pairs({ ...H.validDefinition(), icon: { ...icon, url: 'https://x.test/a.bmp', sizeBytes: 2 * 1024 * 1024 + 1 } })).toEqual([
      'icon.url:iconFormat',
      'icon.sizeBytes:iconSize',
    ]);
    const art = (templateId: string, sizeBytes: number | null) => ({
      ...H.validVersion('1.0.0'),
      artifact: { kind: 'TEMPLATE' as const, templateId, extJson: {}, sizeBytes },
    });
    expect(pairs(undefined, art('2021004100000017', 8 * 1024 * 1024))).toEqual([]);
    expect(pairs(undefined, art('202100410000001', null))).toEqual(['artifact.templateId:templateId']);
    expect(pairs(undefined, art('2021004100000017', 8 * 1024 * 1024 + 1))).toEqual(['artifact.sizeBytes:packageSize']);
  });

  it('returns every violation at once, each with host, field, rule and message', () => {
    const v = validateAlipayListing(
      { ...H.validDefinition(), name: '', description: '', category: 'nope', servicePhone: null, serviceEmail: null },
      { ...H.validVersion('x'), releaseNotes: '' },
    );
    expect(v.map((x) => `${x.field}:${x.rule}`)).toEqual([
      'name:minLength',
      'description:minLength',
      'category:categoryUnmapped',
      'servicePhone:serviceContact',
      'version:versionFormat',
      'releaseNotes:minLength',
    ]);
    for (const x of v) expect(x).toMatchObject({ host: 'ALIPAY', message: expect.stringMatching(/\S/) });
  });
});

describe('categories', () => {
  it('has a row for every canonical category, leaf ids shaped XS…_XS…', () => {
    expect(categoriesWithoutRow()).toEqual([]);
    for (const cat of CANONICAL_CATEGORIES) {
      const entry = ALIPAY_CATEGORY_TABLE[cat.code];
      if ('miniCategoryIds' in entry) expect(entry.miniCategoryIds).toMatch(/^XS\d{4}(_XS\d{4}){1,2}$/);
      if (cat.parent === null) expect(entry).toHaveProperty('unmapped');
    }
    expect(alipayCategoryFor('unknown.code')).toHaveProperty('unmapped');
  });
});

describe('status tables', () => {
  it('maps every A2.3 status and A2.1 build status', () => {
    expect(Object.keys(ALIPAY_VERSION_STATUS).sort()).toEqual([
      'AUDITING',
      'AUDIT_OFFLINE',
      'AUDIT_REJECT',
      'BASE_AUDIT_PASS',
      'GRAY',
      'INIT',
      'OFFLINE',
      'PROMOTE_AUDIT_REJECT',
      'RELEASE',
      'WAIT_RELEASE',
    ]);
    expect(Object.fromEntries(Object.entries(ALIPAY_VERSION_STATUS).map(([k, r]) => [k, r.review]))).toMatchObject({
      AUDITING: 'IN_REVIEW',
      WAIT_RELEASE: 'APPROVED',
      AUDIT_REJECT: 'REJECTED',
      GRAY: 'APPROVED',
      RELEASE: 'APPROVED',
    });
    expect(ALIPAY_VERSION_STATUS.GRAY.submission).toBe('GRAY');
    expect(ALIPAY_VERSION_STATUS.RELEASE.submission).toBe('RELEASED');
    expect(Object.fromEntries(Object.entries(ALIPAY_BUILD_STATUS).map(([k, r]) => [k, r.review]))).toEqual({
      '0': 'UPLOADING',
      '1': 'UPLOADING',
      '2': 'UPLOADED',
      '3': 'FAILED',
      '5': 'FAILED',
    });
  });

  it('reads gray strategies p10/p30/p50 only', () => {
    expect(['p10', 'p30', 'p50', 'p20', '', null].map(grayPercentageOf)).toEqual([10, 30, 50, null, null, null]);
  });
});
