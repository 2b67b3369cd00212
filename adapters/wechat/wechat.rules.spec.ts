import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES, type ListingDefinition, type VersionSpec } from '../core/index.js';
import { unlistedCanonicalCategories, wechatCategoryFor } from './wechat.categories.js';
import { normalizeAuditStatus, validateWechatListing, wechatNameLength } from './wechat.rules.js';

const def = (over: Partial<ListingDefinition> = {}): ListingDefinition => ({
  name: '点餐助手',
  description: '在线点餐与排队取号服务',
  category: 'life.food',
  keywords: ['点餐', '外卖'],
  icon: { url: 'https://cdn.example.test/icon.png', sha256: 'a'.repeat(64), width: 144, height: 144, sizeBytes: 20_000 },
  servicePhone: '4000000000',
  ...over,
});
const version = (over: Partial<VersionSpec> = {}): VersionSpec => ({
  version: '1.0.0',
  releaseNotes: '首个版本',
  artifact: { kind: 'TEMPLATE', templateId: '12', extJson: { extAppid: 'wx1' }, sizeBytes: 1_000_000 },
  ...over,
});
const rules = (d: ListingDefinition, v: VersionSpec = version()) => validateWechatListing(d, v).map((x) => `${x.field}:${x.rule}`);

describe('WeChat listing rules', () => {
  it('accepts a complete definition', () => {
    expect(validateWechatListing(def(), version())).toEqual([]);
  });

  it('counts a Chinese character as 2 in the name', () => {
    expect(wechatNameLength('点餐')).toBe(4);
    expect(wechatNameLength('abc')).toBe(3);
    expect(rules(def({ name: 'abc' }))).toEqual(['name:minLength']);
    expect(rules(def({ name: '点餐' }))).toEqual([]);
    expect(rules(def({ name: '一'.repeat(16) }))).toEqual(['name:maxLength']);
    expect(rules(def({ name: 'a'.repeat(30) }))).toEqual([]);
  });

  it('refuses 小程序 in the name', () => {
    expect(rules(def({ name: '点餐小程序' }))).toEqual(['name:forbiddenWord']);
  });

  it('bounds the description to 4-120 characters', () => {
    expect(rules(def({ description: '太短' }))).toEqual(['description:minLength']);
    expect(rules(def({ description: '长'.repeat(121) }))).toEqual(['description:maxLength']);
    expect(rules(def({ description: '长'.repeat(120) }))).toEqual([]);
  });

  it('reports every violation at once', () => {
    const got = rules(
      def({ name: 'x', description: 'x', category: 'games.casual', icon: null, servicePhone: null, serviceEmail: null }),
      version({ version: 'v'.repeat(65), artifact: { kind: 'PACKAGE', url: 'https://x.test/p.zip', sha256: 'b'.repeat(64), sizeBytes: 10 } }),
    );
    expect(got).toEqual([
      'name:minLength',
      'description:minLength',
      'category:categoryUnmapped',
      'icon:required',
      'servicePhone:serviceContact',
      'version:maxLength',
      'artifact.kind:artifactKind',
    ]);
  });

  it('checks the template id, package size, icon format and size, keywords and release notes', () => {
    const v = version({ releaseNotes: 'n'.repeat(501), artifact: { kind: 'TEMPLATE', templateId: 'tpl-1', extJson: {}, sizeBytes: 21 * 1024 * 1024 } });
    const d = def({
      icon: { url: 'https://x.test/icon.svg', sha256: 'c', width: 1, height: 1, sizeBytes: 3 * 1024 * 1024 },
      keywords: [...'abcdefghijk'].concat('x'.repeat(21)),
    });
    expect(rules(d, v)).toEqual([
      'keywords:maxItems',
      'keywords.11:maxLength',
      'icon.url:iconFormat',
      'icon.sizeBytes:iconSize',
      'releaseNotes:maxLength',
      'artifact.templateId:templateId',
      'artifact.sizeBytes:packageSize',
    ]);
  });
});

describe('WeChat category table', () => {
  it('has an entry for every canonical category', () => {
    expect(unlistedCanonicalCategories()).toEqual([]);
    expect(CANONICAL_CATEGORIES.length).toBeGreaterThan(40);
  });

  it('maps subcategories and refuses games and top-level codes', () => {
    expect(wechatCategoryFor('tools.weather')).toEqual({ first: '工具', second: '天气' });
    expect(wechatCategoryFor('games.puzzle')).toHaveProperty('unmapped', expect.stringContaining('87006'));
    expect(wechatCategoryFor('life')).toHaveProperty('unmapped');
    expect(rules(def({ category: 'nope.nothing' }))).toEqual(['category:categoryUnmapped']);
  });
});

describe('WeChat audit status table', () => {
  it('maps the five native statuses', () => {
    expect([0, 1, 2, 3, 4].map((s) => normalizeAuditStatus(s))).toEqual([
      { status: 'APPROVED', delayed: false },
      { status: 'REJECTED', delayed: false },
      { status: 'IN_REVIEW', delayed: false },
      { status: 'WITHDRAWN', delayed: false },
      { status: 'IN_REVIEW', delayed: true },
    ]);
    expect(normalizeAuditStatus(9)).toBeNull();
  });
});
