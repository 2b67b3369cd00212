import type { BasicInfoSnapshot, ListingDefinition } from '../../adapters/core/index.js';
import { WECHAT_BASIC_INFO } from '../../adapters/wechat/wechat.basic-info.js';
import { BAIDU_BASIC_INFO } from '../../adapters/baidu/baidu.basic-info.js';
import { validateWechatListing } from '../../adapters/wechat/wechat.rules.js';
import { fieldOfViolation, planField, quotaUseKey, targetOf, type HostPlanInput } from './listing-plan.js';

const def: ListingDefinition = {
  name: 'CornerBakery',
  description: 'Fresh bread every morning',
  category: 'life.food',
  keywords: [],
  icon: { url: 'https://cdn.test/icon.png', sha256: 'a'.repeat(64), width: 180, height: 180 },
  slogan: null,
};
const snap = (over: Partial<BasicInfoSnapshot> = {}): BasicInfoSnapshot => ({
  name: 'OldName',
  shortName: null,
  slogan: null,
  description: 'Fresh bread every morning',
  icon: { url: 'https://host/icon/1', fingerprint: 'https://host/icon/1' },
  categories: [{ ids: ['304', '305'], names: ['餐饮', '点餐平台'], reviewStatus: null, reason: null }],
  serviceContact: null,
  pendingReviews: [],
  quotas: [],
  ...over,
});
const NOW = new Date('2026-12-01T09:00:00Z');
const input = (over: Partial<HostPlanInput> = {}): HostPlanInput => ({
  host: 'WECHAT',
  definition: def,
  capabilities: WECHAT_BASIC_INFO,
  violations: [],
  snapshot: snap(),
  expected: null,
  gatewayUses: new Map(),
  inFlight: new Set(),
  fields: ['name'],
  now: NOW,
  ...over,
});

describe('planField', () => {
  it("blocks a change the host's listing rules refuse, with the rule and the host's limit, and leaves the other fields alone", () => {
    // WeChat counts a Chinese character as 2 and takes at most 30: this name is 34.
    const long = { ...def, name: '北京朝阳区新鲜面包每日早晨现烤店铺' };
    const violations = validateWechatListing(long);
    const p = planField(input({ definition: long, violations, fields: ['name', 'description'] }), 'name');
    expect(p.action).toBe('BLOCKED');
    expect(p.blockers).toEqual([{ rule: 'maxLength', message: expect.stringMatching(/^name must be at most 30 \(a Chinese character counts 2\), got 34$/) }]);
    expect(p.target).toEqual({ field: 'name', value: long.name });
    expect(planField(input({ definition: long, violations }), 'description').action).toBe('UNCHANGED');
  });

  it('leaves the icon type and byte size to the conversion listing sync makes', () => {
    const webp = { ...def, icon: { ...def.icon!, url: 'https://cdn.test/icon.webp', sizeBytes: 9_000_000 } };
    const violations = validateWechatListing(webp);
    expect(violations.filter((v) => v.field.startsWith('icon')).map((v) => v.rule)).toEqual(['iconFormat', 'iconSize']);
    expect(planField(input({ definition: webp, violations }), 'icon').blockers).toEqual([]);
  });

  it('names the basic-info field of a violation', () => {
    expect(['icon.url', 'icon', 'servicePhone', 'serviceEmail', 'name', 'keywords.0', 'version', 'artifact.kind'].map(fieldOfViolation)).toEqual([
      'icon',
      'icon',
      'serviceContact',
      'serviceContact',
      'name',
      null,
      null,
      null,
    ]);
  });

  it('plans a rename with its review and the yearly quota the adapter declares', () => {
    const p = planField(input(), 'name');
    expect(p).toMatchObject({ action: 'CHANGE', comparison: 'DIFFERENT', current: 'OldName', desired: 'CornerBakery', needsReview: true, usesQuota: true });
    expect(p.quota).toMatchObject({ limit: 2, window: 'YEAR', windowKey: '2026', usedByGateway: 0 });
    expect(p.target).toEqual({ field: 'name', value: 'CornerBakery' });
  });

  it('leaves a field the host already shows alone', () => {
    expect(planField(input(), 'description')).toMatchObject({ action: 'UNCHANGED', comparison: 'SAME', target: null });
  });

  it('blocks a change once the gateway used the window (China time) or the host reports none left', () => {
    const used = planField(input({ gatewayUses: new Map([[quotaUseKey('name', '2026'), 2]]) }), 'name');
    expect(used.action).toBe('BLOCKED');
    expect(used.blockers).toEqual([expect.objectContaining({ rule: 'quotaExhausted' })]);
    expect(used.blockers[0].message).toContain('2 name change(s) a year');
    // 2026-12-31T17:00Z is already 2027 in China: the yearly window starts again.
    expect(planField(input({ gatewayUses: new Map([[quotaUseKey('name', '2026'), 2]]), now: new Date('2026-12-31T17:00:00Z') }), 'name').action).toBe('CHANGE');
    const host = planField(input({ snapshot: snap({ quotas: [{ field: 'name', used: 2, limit: 2, remaining: 0, window: 'YEAR' }] }) }), 'name');
    expect(host.blockers.map((b) => b.message)).toEqual(['WECHAT reports no name change left (2 of 2 used)']);
  });

  it('blocks while the host or the gateway has a change of the field in review', () => {
    const pending = planField(
      input({ snapshot: snap({ pendingReviews: [{ field: 'name', value: 'X', status: 'IN_REVIEW', reason: null, reviewId: '1' }] }) }),
      'name',
    );
    expect(pending.blockers).toEqual([{ rule: 'reviewInProgress', message: 'WECHAT is reviewing a change of name to "X"' }]);
    expect(planField(input({ inFlight: new Set(['name']) }), 'name').blockers.map((b) => b.rule)).toEqual(['reviewInProgress']);
  });

  it('says NOT_OFFERED for a field the host API cannot change, with the adapter note', () => {
    const p = planField(input({ host: 'BAIDU', capabilities: BAIDU_BASIC_INFO }), 'category');
    expect(p.action).toBe('NOT_OFFERED');
    expect(p.blockers[0]).toMatchObject({ rule: 'fieldNotChangeable' });
    expect(p.blockers[0].message).toContain('BAIDU cannot change category through its API');
  });

  it('knows the icon only by what the gateway set and the host showed after', () => {
    expect(planField(input(), 'icon').comparison).toBe('UNKNOWN');
    const same = { icon: { sha256: 'a'.repeat(64), fingerprint: 'https://host/icon/1' } };
    expect(planField(input({ expected: same }), 'icon').action).toBe('UNCHANGED');
    const moved = { icon: { sha256: 'a'.repeat(64), fingerprint: 'https://host/icon/0' } };
    expect(planField(input({ expected: moved }), 'icon')).toMatchObject({ action: 'CHANGE', comparison: 'DIFFERENT' });
  });

  it('has nothing to set where the definition is empty', () => {
    expect(targetOf(def, 'slogan')).toBeNull();
    expect(planField(input({ capabilities: { ...WECHAT_BASIC_INFO, slogan: { ...WECHAT_BASIC_INFO.name } } }), 'slogan').action).toBe('EMPTY');
  });
});
