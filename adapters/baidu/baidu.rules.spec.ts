import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES } from '../core/index.js';
import { BAIDU_CATEGORY_TABLE, baiduCategoryFor, uncoveredCanonicalCategories } from './baidu.categories.js';
import { baiduConformanceHarness as h } from './baidu.harness.js';
import { normalizePackage, validateBaiduListing } from './baidu.rules.js';

const def = h.validDefinition();
const v = h.validVersion('1.0.0');
const rules = (d = def, ver = v) => validateBaiduListing(d, ver).map((x) => `${x.field}:${x.rule}`);

describe('Baidu listing rules', () => {
  it('accepts the valid definition', () => {
    expect(validateBaiduListing(def, v)).toEqual([]);
  });

  it('counts the name in characters, 2 to 10', () => {
    expect(rules({ ...def, name: '点' })).toEqual(['name:minLength']);
    expect(rules({ ...def, name: '一二三四五六七八九十' })).toEqual([]);
    expect(rules({ ...def, name: '一二三四五六七八九十一' })).toEqual(['name:maxLength']);
  });

  it('bounds the description to 10-200 characters', () => {
    expect(rules({ ...def, description: '短' })).toEqual(['description:minLength']);
    expect(rules({ ...def, description: '长'.repeat(201) })).toEqual(['description:maxLength']);
  });

  it('wants user_version as three dotted numbers', () => {
    expect(rules(def, h.validVersion('1.2'))).toEqual(['version:versionFormat']);
    expect(rules(def, h.validVersion('10.20.300'))).toEqual([]);
    expect(rules(def, h.validVersion('1'.repeat(40)))).toEqual(['version:maxLength']);
  });

  it('checks the whole template size against 8 MB and the template id format', () => {
    const art = (sizeBytes: number, templateId = '23') => ({ ...v, artifact: { kind: 'TEMPLATE' as const, templateId, extJson: {}, sizeBytes } });
    expect(rules(def, art(8 * 1024 * 1024))).toEqual([]);
    expect(rules(def, art(8 * 1024 * 1024 + 1))).toEqual(['artifact.sizeBytes:packageSize']);
    expect(rules(def, art(1000, '12a'))).toEqual(['artifact.templateId:templateId']);
  });

  it('refuses a PACKAGE artifact', () => {
    expect(rules(def, { ...v, artifact: { kind: 'PACKAGE', url: 'https://x.test/p.zip', sha256: 'a'.repeat(64), sizeBytes: 10 } })).toEqual([
      'artifact.kind:artifactKind',
    ]);
  });

  it('needs a square PNG/JPG icon and release notes', () => {
    expect(rules({ ...def, icon: null })).toEqual(['icon:required']);
    expect(rules({ ...def, icon: { ...def.icon!, url: 'https://x.test/i.gif', width: 100 } })).toEqual(['icon.url:iconFormat', 'icon:iconShape']);
    expect(rules(def, { ...v, releaseNotes: '  ' })).toEqual(['releaseNotes:required']);
  });

  it('returns every violation at once, each with a message', () => {
    const all = validateBaiduListing({ ...def, name: 'x', description: 'y', category: 'games', icon: null }, { ...v, version: 'bad', releaseNotes: '' });
    expect(all.map((x) => x.field)).toEqual(['name', 'description', 'category', 'icon', 'version', 'releaseNotes']);
    for (const x of all) expect(x.message.length).toBeGreaterThan(0);
  });
});

describe('Baidu categories', () => {
  it('covers every canonical category, mapped or with a reason', () => {
    expect(uncoveredCanonicalCategories()).toEqual([]);
    expect(Object.keys(BAIDU_CATEGORY_TABLE).sort()).toEqual(CANONICAL_CATEGORIES.map((c) => c.code).sort());
  });

  it('maps life.food and refuses games and unknown codes', () => {
    expect(baiduCategoryFor('life.food')).toEqual({ first: '餐饮服务', second: '点餐' });
    expect(rules({ ...def, category: 'games.puzzle' })).toEqual(['category:categoryUnmapped']);
    expect(rules({ ...def, category: 'nope' })).toEqual(['category:categoryUnmapped']);
  });
});

describe('Baidu package status (B2)', () => {
  it.each([
    [{ status: 1, upload_status: 2 }, 'RELEASED'],
    [{ status: 3, upload_status: 2 }, 'UPLOADED'],
    [{ status: 4 }, 'IN_REVIEW'],
    [{ status: 5 }, 'REJECTED'],
    [{ status: 6 }, 'APPROVED'],
    [{ status: 8 }, 'RELEASED'],
    [{ status: 3, upload_status: 1 }, 'UPLOADING'],
    [{ status: 3, upload_status: 3 }, 'FAILED'],
    [{ status: 7 }, null],
  ])('%j -> %s', (item, expected) => {
    expect(normalizePackage(item)).toBe(expected);
  });
});
