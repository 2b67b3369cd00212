import { describe, expect, it } from '@jest/globals';
import { SandboxMiniApp } from './sandbox-app.js';
import { SandboxNativeError } from './sandbox-errors.js';

const T = '2021004100000017';
const now = new Date('2024-05-13T00:00:00Z');
const TEXT = { version_desc: '修复问题'.repeat(5), app_name: '城市点餐', service_phone: '400-123', region_type: 'CHINA' };

function app(): SandboxMiniApp {
  return new SandboxMiniApp('2021000000000002', '202401BBtoken', '城市点餐');
}
function built(a: SandboxMiniApp, v: string) {
  return a.upload({ app_version: v, template_id: T, ext: '{}' }, now, 0);
}
const subOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof SandboxNativeError ? e.subCode : String(e);
  }
  return 'ok';
};

describe('SandboxMiniApp state machine (shared/hosts A2.4)', () => {
  it('takes only strictly increasing x.y.z versions with parts <= 2147483647', () => {
    const a = app();
    built(a, '1.0.0');
    expect(subOf(() => built(a, '1.0.0'))).toBe('VERSION_HAS_EXISTED');
    expect(subOf(() => built(a, '0.9.9'))).toBe('VERSION_HAS_EXISTED');
    expect(subOf(() => built(a, '1.0.2147483648'))).toBe('VERSION_EXCEEDED_LENGTH');
    expect(subOf(() => a.upload({ app_version: '1.1.0', template_id: T, ext: '{' }, now, 0))).toBe('INVALID_EXT_JSON');
    expect(subOf(() => a.upload({ app_version: '1.1.0' }, now, 0))).toBe('TEMPLATE_ID_IS_BLANK');
    expect(subOf(() => built(a, '1.10.0'))).toBe('ok');
  });

  it('builds before audit, keeps one version in flight, and needs audited.cancel after a rejection', () => {
    const a = app();
    a.upload({ app_version: '1.0.0', template_id: T }, now, 60_000);
    expect(a.buildStatus(a.version('1.0.0'), now.getTime())).toBe('1');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0' }, now))).toBe('MINI_APP_PACKAGE_INFO_NOT_EXIST');
    const later = new Date(now.getTime() + 60_000);
    const v1 = a.apply({ ...TEXT, app_version: '1.0.0' }, later);
    expect(v1.status).toBe('AUDITING');
    built(a, '1.1.0');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.1.0' }, later))).toBe('CAN_NOT_SUBMIT_WITH_AUDIT_GRAY');
    a.decide(v1, 'reject', 'bad', later);
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0' }, later))).toBe('CAN_NOT_SUBMIT_WITH_AUDIT_GRAY');
    a.auditedCancel('1.0.0');
    expect(a.apply({ ...TEXT, app_version: '1.0.0' }, later).status).toBe('AUDITING');
    expect(a.auditCancel(undefined).status).toBe('INIT');
  });

  it('checks audit.apply fields, inheriting base info that was set before', () => {
    const a = app();
    built(a, '1.0.0');
    expect(subOf(() => a.apply({ app_version: '1.0.0', region_type: 'CHINA', service_phone: '400-1' }, now))).toBe('VERSION_DESC_IS_BLANK');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0', service_phone: '' }, now))).toBe('SERVICE_TEL_AND_MAIL_BOTH_BLANK');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0', service_phone: '400 abc' }, now))).toBe('INVALID_MINI_APP_SERVICE_TEL');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0', region_type: 'MARS' }, now))).toBe('REGION_TYPE_IS_INVALID');
    expect(subOf(() => a.apply({ ...TEXT, app_version: '1.0.0', app_name: 'a b' }, now))).toBe('INVALID_MINI_APP_NAME');
    expect(subOf(() => a.apply({ app_version: '1.0.0', version_desc: TEXT.version_desc, service_phone: '400-1' }, now))).toBe('REGION_TYPE_IS_BLANK');
  });

  it('grays p10/p30/p50 from approved only, goes online from approved or gray, rolls back to the previous online version', () => {
    const a = app();
    const ship = (v: string) => {
      built(a, v);
      a.decide(a.apply({ ...TEXT, app_version: v }, now), 'approve', '', now);
    };
    ship('1.0.0');
    expect(subOf(() => a.rollback('1.0.0', now))).toBe('INVALID_VERSION_STATUS');
    a.online('1.0.0', now);
    expect(subOf(() => a.rollback('1.0.0', now))).toBe('NO_PREVIOUS_ONLINE_VERSION');
    ship('1.1.0');
    expect(subOf(() => a.grayOnline('1.1.0', ''))).toBe('GRAY_STRATEGY_IS_BLANK');
    expect(subOf(() => a.grayOnline('1.1.0', 'p20'))).toBe('GRAY_STRATEGY_IS_INVALID');
    a.grayOnline('1.1.0', 'p30');
    expect(subOf(() => a.grayOnline('1.1.0', 'p50'))).toBe('INVALID_VERSION_STATUS');
    a.grayCancel('1.1.0');
    a.grayOnline('1.1.0', 'p50');
    a.online('1.1.0', now);
    expect([a.find('RELEASE')?.appVersion, a.version('1.0.0').status]).toEqual(['1.1.0', 'OFFLINE']);
    a.rollback('1.1.0', now);
    expect([a.find('RELEASE')?.appVersion, a.version('1.1.0').status]).toEqual(['1.0.0', 'OFFLINE']);
    expect(subOf(() => a.remove('1.0.0'))).toBe('INVALID_VERSION_STATUS');
  });
});
