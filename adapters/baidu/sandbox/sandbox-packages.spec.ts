import { describe, expect, it } from '@jest/globals';
import { SandboxNativeError } from './sandbox-errors.js';
import {
  AUDIT_FAILED,
  AUDIT_PASSED,
  AUDITING,
  commitTime,
  decide,
  DEVELOPMENT,
  finishRollback,
  ONLINE,
  release,
  ROLLING_BACK,
  startRollback,
  submit,
  UPLOADED,
  UPLOADING,
  withdraw,
  type SandboxApp,
  type SandboxPackage,
} from './sandbox-packages.js';

let seq = 0;
const pkg = (version: string, over: Partial<SandboxPackage> = {}): SandboxPackage => ({
  packageId: ++seq,
  version,
  desc: '',
  templateId: '1',
  status: DEVELOPMENT,
  uploadStatus: UPLOADED,
  remark: '',
  msg: '',
  commitTime: new Date(),
  rollbackVersion: '',
  timer: null,
  ...over,
});
const app = (...packages: SandboxPackage[]): SandboxApp => ({
  appId: '1234',
  name: 'a',
  packages,
  history: [],
  policy: { decision: 'approve' },
  quota: { total: 2, remain: 2 },
});
const errnoOf = (f: () => void) => {
  try {
    f();
  } catch (err) {
    if (err instanceof SandboxNativeError) return err.errno;
    throw err;
  }
  return 0;
};

describe('sandbox package state machine (B2)', () => {
  it('submits a development or audit-failed package once the upload is done, one at a time, within the quota', () => {
    const a = pkg('1.0.0');
    const b = pkg('1.0.1');
    const c = pkg('1.0.2', { uploadStatus: UPLOADING });
    const s = app(a, b, c);
    expect(errnoOf(() => submit(s, c, 'x', 'TP 代提审'))).toBe(40045);
    expect(errnoOf(() => submit(s, a, ' ', 'TP 代提审'))).toBe(40001);
    expect(errnoOf(() => submit(s, a, 'notes', ''))).toBe(40001); // remark is required (B2)
    submit(s, a, 'notes', 'TP 代提审');
    expect(a.status).toBe(AUDITING);
    expect(errnoOf(() => submit(s, b, 'x', 'TP 代提审'))).toBe(40045);
    decide(a, { decision: 'reject', reason: 'r' });
    expect(a).toMatchObject({ status: AUDIT_FAILED, msg: 'r' });
    submit(s, a, 'again', 'TP 代提审');
    expect(s.quota.remain).toBe(0);
    decide(a, { decision: 'approve' });
    expect(errnoOf(() => submit(s, b, 'x', 'TP 代提审'))).toBe(69013);
    expect(errnoOf(() => submit(s, a, 'x', 'TP 代提审'))).toBe(40045);
  });

  it('keeps a delayed review under audit', () => {
    const a = pkg('1.0.0', { status: AUDITING });
    expect(decide(a, { decision: 'delay', reason: 'busy' })).toBe(false);
    expect(a.status).toBe(AUDITING);
  });

  it('withdraws only while under audit', () => {
    const a = pkg('1.0.0', { status: AUDITING });
    withdraw(a);
    expect(a.status).toBe(DEVELOPMENT);
    expect(errnoOf(() => withdraw(a))).toBe(40045);
  });

  it('releases only an audit-passed package and keeps the previous online one as the rollback target', () => {
    const v1 = pkg('1.0.0', { status: AUDIT_PASSED });
    const v2 = pkg('1.1.0');
    const s = app(v1, v2);
    expect(errnoOf(() => release(s, v2))).toBe(40032);
    release(s, v1);
    v2.status = AUDIT_PASSED;
    release(s, v2);
    expect(s.packages.map((p) => [p.version, p.status, p.rollbackVersion])).toEqual([['1.1.0', ONLINE, '1.0.0']]);
    expect(s.history.map((p) => p.version)).toEqual(['1.0.0']);
  });

  it('rolls back only the online package, only to a previous online one, after a delay', () => {
    const v1 = pkg('1.0.0', { status: AUDIT_PASSED });
    const s = app(v1);
    release(s, v1);
    expect(errnoOf(() => startRollback(s, v1))).toBe(40032);
    const v2 = pkg('1.1.0', { status: AUDIT_PASSED });
    s.packages.push(v2);
    expect(errnoOf(() => startRollback(s, v2))).toBe(40045);
    release(s, v2);
    startRollback(s, v2);
    expect(v2.status).toBe(ROLLING_BACK);
    expect(errnoOf(() => release(s, pkg('2.0.0', { status: AUDIT_PASSED })))).toBe(40045);
    finishRollback(s, v2);
    expect(s.packages.map((p) => [p.version, p.status])).toEqual([
      ['1.1.0', AUDIT_PASSED],
      ['1.0.0', ONLINE],
    ]);
    expect(s.history).toEqual([]);
  });

  it('prints commit_time as yyyy/MM/dd HH:mm:ss in China time', () => {
    expect(commitTime(new Date('2024-01-31T20:05:09Z'))).toBe('2024/02/01 04:05:09');
  });
});
