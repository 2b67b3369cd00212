import { describe, expect, it } from '@jest/globals';
import { decide, newApp, release, revoke, rollback, submit, upload, versionsOf, type SlotRules } from './sandbox-app.js';
import { SandboxNativeError } from './sandbox-errors.js';
import { SandboxTokens } from './sandbox-tokens.js';

const rules: SlotRules = { submitIntervalMs: 10_000, rollbackIntervalMs: 600_000, revocableForMs: 60_000, auditHosts: ['douyin', 'toutiao'] };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof SandboxNativeError) return err.errNo;
    throw err;
  }
  return 0;
};
const body = (v: string) => ({ template_id: 7, user_version: v, user_desc: 'd', ext_json: '{}' });
const sub = { host_names: ['douyin'], audit_note: 'n' };

describe('sandbox slot state machine (C2, C3)', () => {
  it('guards upload fields and submit rate, slot and hosts', () => {
    const app = newApp('tt1', 'a', 'r', 0);
    expect(code(() => upload(app, { ...body('1.0.0'), ext_json: { a: 1 } }, 0))).toBe(40001);
    expect(code(() => upload(app, { ...body('1.0.0'), template_id: '7' }, 0))).toBe(40001);
    expect(code(() => submit(app, sub, rules, 0))).toBe(11302);
    upload(app, body('1.0.0'), 0);
    expect(code(() => submit(app, { ...sub, host_names: ['xigua'] }, rules, 0))).toBe(40001);
    submit(app, sub, rules, 0);
    expect(code(() => submit(app, sub, rules, 5_000))).toBe(11301);
    expect(code(() => submit(app, sub, rules, 10_000))).toBe(11303);
    expect(versionsOf(app)).toMatchObject({ latest: { version: '1.0.0', has_audit: 1 }, audit: { version: '1.0.0', status: 0 }, current: null });
  });

  it('guards revoke: processing, revoked, finished', () => {
    const app = newApp('tt1', 'a', 'r', 0);
    upload(app, body('1.0.0'), 0);
    submit(app, sub, rules, 0);
    expect(code(() => revoke(app, rules, 60_001))).toBe(11602);
    revoke(app, rules, 1_000);
    expect(code(() => revoke(app, rules, 2_000))).toBe(11601);
    submit(app, sub, rules, 20_000);
    decide(app, { decision: 'approve' });
    expect(code(() => revoke(app, rules, 21_000))).toBe(11603);
  });

  it('releases only a passed audit once, and rolls back once per release, 10 minutes apart', () => {
    const app = newApp('tt1', 'a', 'r', 0);
    upload(app, body('1.0.0'), 0);
    submit(app, sub, rules, 0);
    expect(code(() => release(app, 1))).toBe(11403);
    decide(app, { decision: 'approve' });
    release(app, 2);
    expect(code(() => release(app, 3))).toBe(11402);
    expect(code(() => rollback(app, rules, 4))).toBe(10003); // first online version
    upload(app, body('1.1.0'), 10);
    submit(app, sub, rules, 20_000);
    decide(app, { decision: 'reject', reason: 'no' });
    expect(code(() => release(app, 20_001))).toBe(11402);
    submit(app, { ...sub, audit_way: 1 }, rules, 40_000);
    decide(app, { decision: 'approve' });
    release(app, 40_001);
    expect(versionsOf(app).current).toMatchObject({ version: '1.1.0', rollback: { can_rollback: true, last_version: '1.0.0' } });
    rollback(app, rules, 50_000);
    expect(versionsOf(app).current).toMatchObject({ version: '1.0.0', rollback: { can_rollback: false } });
    expect(code(() => rollback(app, rules, 60_000))).toBe(11501);
    expect(code(() => rollback(app, rules, 50_000 + 600_000))).toBe(10003); // no consecutive rollbacks
  });
});

describe('sandbox tokens (C1)', () => {
  it('keeps the previous component token 5 minutes, and only the latest two', () => {
    let now = 0;
    const t = new SandboxTokens(() => now);
    const a = t.issueComponent().token;
    const b = t.issueComponent().token;
    expect(t.check(a, 'component')).toBeNull();
    now = 5 * 60_000;
    expect(code(() => t.check(a, 'component'))).toBe(28001008);
    expect(t.check(b, 'component')).toBeNull();
    t.issueComponent();
    t.issueComponent();
    expect(code(() => t.check(b, 'component'))).toBe(28001008);
  });

  it("clears an app's old access token when a new one is issued, and expires all on demand", () => {
    const t = new SandboxTokens(() => 0);
    const first = t.issueAuthorizer('tt1').token;
    const second = t.issueAuthorizer('tt1').token;
    expect(code(() => t.check(first, 'authorizer'))).toBe(28001008);
    expect(t.check(second, 'authorizer')).toBe('tt1');
    expect(code(() => t.check(second, 'component'))).toBe(28001008);
    t.expireAll();
    expect(code(() => t.check(second, 'authorizer'))).toBe(28001008);
  });
});
