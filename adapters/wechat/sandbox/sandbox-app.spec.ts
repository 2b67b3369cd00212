import { describe, expect, it } from '@jest/globals';
import * as m from './sandbox-app.js';
import { SandboxNativeError } from './sandbox-errors.js';

const fresh = (): m.MiniApp => ({
  appId: 'wx1',
  ghId: 'gh_1',
  name: 'n',
  refreshToken: 'r',
  exp: null,
  audit: null,
  release: null,
  history: [],
  gray: null,
  policy: { decision: 'hold' },
  undo: { day: '', dayCount: 0, month: '', monthCount: 0 },
  visitStatus: 1,
});

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof SandboxNativeError) return err.errcode;
    throw err;
  }
  return 0;
};

const approved = (app: m.MiniApp, version: string, id: number) => {
  m.commit(app, { template_id: 1, ext_json: '{}', user_version: version }, 0);
  m.submit(app, id, '', 0);
  m.decide(app, { decision: 'approve' });
};

describe('sandbox audit state machine (wechat.md §8)', () => {
  it('guards commit and submit', () => {
    const app = fresh();
    expect(code(() => m.submit(app, 1, '', 0))).toBe(85086);
    expect(code(() => m.commit(app, { template_id: 'x', ext_json: '{}', user_version: '1' }, 0))).toBe(85014);
    expect(code(() => m.commit(app, { template_id: 1, ext_json: { a: 1 }, user_version: '1' }, 0))).toBe(85013);
    expect(code(() => m.commit(app, { template_id: 1, ext_json: '{bad', user_version: '1' }, 0))).toBe(85048);
    m.commit(app, { template_id: 1, ext_json: '{}', user_version: '1.0.0' }, 0);
    m.submit(app, 1, '', 0);
    expect(code(() => m.submit(app, 2, '', 0))).toBe(85009);
    expect(code(() => m.release(app, 0))).toBe(85020);
  });

  it('guards release and gray release', () => {
    const app = fresh();
    expect(code(() => m.release(app, 0))).toBe(85019);
    approved(app, '1.0.0', 1);
    expect(code(() => m.grayRelease(app, { gray_percentage: 10 }, 0))).toBe(85079);
    m.release(app, 0);
    expect(code(() => m.release(app, 0))).toBe(85052);
    expect(code(() => m.grayRelease(app, { gray_percentage: 10 }, 0))).toBe(85080);
    approved(app, '1.1.0', 2);
    expect(code(() => m.grayRelease(app, { gray_percentage: 101 }, 0))).toBe(85081);
    expect(code(() => m.grayRelease(app, { gray_percentage: 0 }, 0))).toBe(85081);
    m.grayRelease(app, { gray_percentage: 20 }, 0);
    expect(code(() => m.grayRelease(app, { gray_percentage: 20 }, 0))).toBe(85082);
    expect(code(() => m.rollback(app, undefined, 0))).toBe(87011);
    m.release(app, 0);
    expect(app.release?.version).toBe('1.1.0');
    m.rollback(app, undefined, 0);
    expect(app.release?.version).toBe('1.0.0');
    expect(code(() => m.rollback(app, undefined, 0))).toBe(87012);
  });

  it('allows 5 withdrawals a day (87013 after)', () => {
    const app = fresh();
    m.commit(app, { template_id: 1, ext_json: '{}', user_version: '1' }, 0);
    const now = new Date('2024-05-10T02:00:00Z');
    for (let i = 0; i < m.UNDO_PER_DAY; i++) {
      m.submit(app, i, '', 0);
      m.withdraw(app, now);
    }
    m.submit(app, 9, '', 0);
    expect(code(() => m.withdraw(app, now))).toBe(87013);
    expect(code(() => m.withdraw(fresh(), now))).toBe(87012);
  });
});
