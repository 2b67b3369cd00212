import { describe, expect, it } from '@jest/globals';
import { CANONICAL_CATEGORIES } from '../core/index.js';
import { BYTEDANCE_CATEGORY_TABLE, bytedanceCategoryFor } from './bytedance.categories.js';
import { bytedanceConformanceHarness as H } from './bytedance.harness.js';
import { normalizeAuditStatus, validateBytedanceListing } from './bytedance.rules.js';

const MB = 1024 * 1024;
const pairs = (def = H.validDefinition(), v = H.validVersion('1.0.0')) => validateBytedanceListing(def, v).map((x) => `${x.field}:${x.rule}`);

describe('validateBytedanceListing', () => {
  it('accepts the harness definition and version', () => {
    expect(pairs()).toEqual([]);
  });

  it('counts characters, not UTF-16 units, for the 200-character audit note', () => {
    expect(pairs(undefined, { ...H.validVersion('1.0.0'), releaseNotes: '😀'.repeat(200) })).toEqual([]);
    expect(pairs(undefined, { ...H.validVersion('1.0.0'), releaseNotes: 'a'.repeat(201) })).toEqual(['releaseNotes:maxLength']);
  });

  it('takes free-form versions up to 64 characters without spaces', () => {
    expect(pairs(undefined, H.validVersion('2024.05-hotfix_1'))).toEqual([]);
    expect(pairs(undefined, H.validVersion(''))).toEqual(['version:required']);
    expect(pairs(undefined, H.validVersion('1.0\t'))).toEqual(['version:versionFormat']);
    expect(pairs(undefined, H.validVersion('v'.repeat(65)))).toEqual(['version:maxLength']);
  });

  it('checks the 16 MB total at the boundary', () => {
    const at = (sizeBytes: number) => ({ ...H.validVersion('1.0.0'), artifact: { kind: 'TEMPLATE' as const, templateId: '1', extJson: {}, sizeBytes } });
    expect(pairs(undefined, at(16 * MB))).toEqual([]);
    expect(pairs(undefined, at(16 * MB + 1))).toEqual(['artifact.sizeBytes:packageSize']);
  });

  it('reports every broken rule at once', () => {
    const def = {
      ...H.validDefinition(),
      name: '名'.repeat(31),
      description: '述'.repeat(121),
      category: 'social.dating',
      icon: { ...H.validDefinition().icon!, width: 200, height: 100 },
    };
    expect(pairs(def, { ...H.validVersion('1.0.0'), artifact: { kind: 'TEMPLATE', templateId: '0', extJson: {} } })).toEqual([
      'name:maxLength',
      'description:maxLength',
      'artifact.templateId:templateId',
      'icon:iconShape',
      'category:categoryUnmapped',
    ]);
  });
});

describe('Douyin category table', () => {
  it('has an entry (a category or an explicit null) for every canonical category', () => {
    expect(CANONICAL_CATEGORIES.map((c) => c.code).filter((code) => !Object.hasOwn(BYTEDANCE_CATEGORY_TABLE, code))).toEqual([]);
  });

  it('maps food to a Douyin category and refuses games and unknown codes', () => {
    expect(bytedanceCategoryFor('life.food')).toEqual({ first: '餐饮服务', second: '餐饮平台' });
    expect(bytedanceCategoryFor('games')).toBeNull();
    expect(bytedanceCategoryFor('toString')).toBeNull();
  });
});

describe('normalizeAuditStatus', () => {
  it('reads the versions API audit.status', () => {
    expect([0, 1, 2, 3, 4].map((s) => normalizeAuditStatus(s)?.status ?? null)).toEqual(['IN_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN', null]);
  });
});
