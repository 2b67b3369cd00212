import { describe, expect, it } from '@jest/globals';
import { fixtureNamed, fixtureText, InMemoryTokenStore, type HostError, type HttpRequest, type HttpResponse } from '../core/index.js';
import { BaiduAdapter } from './baidu.adapter.js';
import { baiduConformanceHarness as H } from './baidu.harness.js';
import { BAIDU_ANSWER_FIXTURES as F } from './fixtures/baidu.answers.js';
import { buildPush } from './sandbox/sandbox-pushes.js';

// Every fixture goes through the real client and adapter: documented shapes are read as the host
// means them, and the gateway envelope {error_code, error_msg} is never read as a success.

const creds = { tpClientId: 'tpkey0123456789', ticket: 'ticket-1', appId: '1452365', refreshToken: '46.initial' };
const ctx = { hostAppId: creds.appId, credentials: creds };
const text = (name: string) => fixtureText(fixtureNamed(F, name));
const reply = (body: string, status = 200): HttpResponse => {
  const buf = Buffer.from(body);
  return { status, headers: {}, body: buf, text: () => buf.toString('utf8') };
};

const PKG = '/rest/2.0/smartapp/package/';
const TOKENS = { '/public/2.0/smartapp/auth/tp/token': ['token.tp.success'], '/rest/2.0/oauth/token': ['token.oauth.success'] };

/** An adapter whose host answers each path with the named fixtures, in order. */
function hostAnswering(script: Record<string, string[]>) {
  const sent: HttpRequest[] = [];
  const queues = Object.fromEntries(Object.entries(script).map(([path, names]) => [path, names.map((n) => (n.startsWith('{') ? n : text(n)))]));
  const adapter = new BaiduAdapter(
    {
      baseUrl: 'http://127.0.0.1:9',
      tokenStore: new InMemoryTokenStore(),
      http: async (req) => {
        sent.push(req);
        const next = queues[new URL(req.url).pathname]?.shift();
        if (next === undefined) throw new Error(`unscripted call ${req.method} ${req.url}`);
        return reply(next, next.includes('"error"') ? 400 : 200);
      },
    },
    { uploadSettleMs: 0 },
  );
  return { adapter, sent };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as HostError,
  );
const covered = new Set<string>();
const uses = (...names: string[]) => names.forEach((n) => covered.add(fixtureNamed(F, n).name));
const formOf = (r: HttpRequest) => Object.fromEntries(new URLSearchParams(String(r.body)));

describe('Baidu answer fixtures through the client and adapter', () => {
  it('gets the TP token, refreshes the app token and reads the quota (token.*.success, package.auditquota.success)', async () => {
    uses('token.tp.success', 'token.oauth.success', 'package.auditquota.success');
    const { adapter, sent } = hostAnswering({ ...TOKENS, [`${PKG}auditquota`]: ['package.auditquota.success'] });
    await adapter.probe(ctx);
    expect(new URL(sent[2].url).searchParams.get('access_token')).toBe('45.a6b7dbd428f731035f771b8d15063f61.3600.1292922000-2346678-124328');
  });

  it('reads a refused refresh token (token.oauth.failure) as auth invalid_grant', async () => {
    uses('token.oauth.failure');
    const { adapter } = hostAnswering({ '/public/2.0/smartapp/auth/tp/token': ['token.tp.success'], '/rest/2.0/oauth/token': ['token.oauth.failure'] });
    expect(await failure(adapter.probe(ctx))).toMatchObject({ kind: 'auth', nativeCode: 'invalid_grant' });
  });

  it('sends the required remark with submitaudit and reads success and the quota refusal (package.submitaudit.*)', async () => {
    uses('package.submitaudit.request', 'package.submitaudit.success', 'package.submitaudit.error');
    const { adapter, sent } = hostAnswering({ ...TOKENS, [`${PKG}submitaudit`]: ['package.submitaudit.success', 'package.submitaudit.error'] });
    const ref = { version: '1.0.0', ids: { packageId: '55106' } };
    expect(await adapter.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), ref)).toMatchObject({ status: 'IN_REVIEW' });
    const form = formOf(sent.at(-1)!);
    expect(Object.keys(form).sort()).toEqual(Object.keys(fixtureNamed(F, 'package.submitaudit.request').body as object).sort());
    expect(form.remark).not.toBe('');
    expect(await failure(adapter.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), ref))).toMatchObject({
      kind: 'quota',
      retryable: true,
      nativeCode: '69013',
    });
  });

  it('never reads the gateway envelope {error_code, error_msg} as IN_REVIEW or RELEASED, and renews the token on 110 (openapi.error)', async () => {
    uses('openapi.error', 'package.release.success');
    const gateway = text('openapi.error');
    const { adapter, sent } = hostAnswering({
      '/public/2.0/smartapp/auth/tp/token': ['token.tp.success', 'token.tp.success', 'token.tp.success'],
      '/rest/2.0/oauth/token': ['token.oauth.success', 'token.oauth.success', 'token.oauth.success'],
      [`${PKG}submitaudit`]: [gateway, gateway],
      [`${PKG}release`]: [gateway, 'package.release.success'],
    });
    const ref = { version: '1.0.0', ids: { packageId: '1' } };
    // Refused twice (the renewed token too): an auth error, not a submission.
    expect(await failure(adapter.submitForReview(ctx, H.validDefinition(), H.validVersion('1.0.0'), ref))).toMatchObject({
      kind: 'auth',
      nativeCode: '110',
    });
    // Refused once: the token is renewed (TP token first, then the app token) and the call retried.
    expect(await adapter.release(ctx, ref)).toMatchObject({ status: 'RELEASED' });
    expect(sent.filter((r) => r.url.includes('/rest/2.0/oauth/token'))).toHaveLength(3);
  });

  it('uploads, withdraws and rolls back on the bare success answers (package.upload/withdraw/rollback.success)', async () => {
    uses('package.upload.success', 'package.withdraw.success', 'package.rollback.success', 'package.get.success');
    const { adapter, sent } = hostAnswering({
      ...TOKENS,
      [`${PKG}get`]: ['package.get.success', 'package.get.success', 'package.get.success'],
      [`${PKG}upload`]: ['package.upload.success'],
      [`${PKG}withdraw`]: ['package.withdraw.success'],
      [`${PKG}rollback`]: ['package.rollback.success'],
    });
    // The uploading 1.2.7 of the sample has no package_id yet: the upload stays UPLOADING, id unknown.
    const up = await adapter.upload(ctx, H.validDefinition(), H.validVersion('1.2.7'));
    expect(up).toMatchObject({ status: 'UPLOADING', ref: { version: '1.2.7' } });
    expect(up.ref.ids.packageId).toBeUndefined();
    await expect(adapter.withdrawReview(ctx, { version: '1.2.6', ids: { packageId: '1' } })).resolves.toBeUndefined();
    // Rollback takes the online package of package/get and its rollback_version.
    expect(await adapter.rollback(ctx, { version: '1.2.6', ids: {} })).toMatchObject({ restoredVersion: 'v1.2.5' });
    expect(formOf(sent.at(-1)!)).toEqual({ package_id: '1' });
  });

  it('reads a failed upload and a package detail (package.get.uploadFailed, package.getdetail.success)', async () => {
    uses('package.get.uploadFailed', 'package.getdetail.success');
    const { adapter } = hostAnswering({ ...TOKENS, [`${PKG}get`]: ['package.get.uploadFailed'], [`${PKG}getdetail`]: ['package.getdetail.success'] });
    expect(await adapter.reviewStatus(ctx, { version: '1.2.8', ids: {} })).toMatchObject({ status: 'FAILED', reason: '模板文件解析出错' });
    expect(await adapter.reviewStatus(ctx, { version: 'd0.0.0.2', ids: { packageId: '201' } })).toMatchObject({
      status: 'IN_REVIEW',
      nativeStatus: 'status 4',
    });
  });

  it('reads a day of the user trend (data.usertrend.success)', async () => {
    uses('data.usertrend.success');
    const { adapter, sent } = hostAnswering({ ...TOKENS, '/rest/2.0/smartapp/data/getanalysisusertrend': ['data.usertrend.success'] });
    expect(await adapter.analytics(ctx, '2019-04-14')).toMatchObject({
      day: '2019-04-14',
      opens: 1687,
      uniqueVisitors: 1580,
      newVisitors: 1243,
      avgStaySeconds: 60,
      pageViews: null,
    });
    expect(formOf(sent.at(-1)!)).toEqual({ start_date: '20190414', end_date: '20190414', gran: 'day', start_index: '0' });
  });

  it('reads the pushed ticket and audit results (push.*) with numeric ids', () => {
    uses('push.ticket', 'push.packageAuditPass', 'push.packageAuditFail');
    const secrets = { tpAppId: '17328232', token: 'push-token-123456', encodingAesKey: 'b'.repeat(43) };
    const raw = (message: unknown) => ({
      method: 'POST',
      path: '/callbacks/baidu',
      query: {},
      headers: { 'content-type': 'application/json' },
      body: buildPush(secrets, message as Record<string, unknown>),
    });
    const events = (name: string) => adapter.parseCallback(raw(fixtureNamed(F, name).body), secrets).events;
    const adapter = new BaiduAdapter({
      baseUrl: 'http://127.0.0.1:9',
      tokenStore: new InMemoryTokenStore(),
      http: () => Promise.reject(new Error('no calls')),
    });
    expect(events('push.ticket')).toEqual([expect.objectContaining({ type: 'TICKET', ticket: '8c0da4968b0d1e28acbc1d738a56607d' })]);
    expect(events('push.packageAuditPass')).toEqual([
      expect.objectContaining({ type: 'REVIEW_APPROVED', hostAppId: '1452365', version: '0.2.2', ids: { packageId: '529394' } }),
    ]);
    expect(events('push.packageAuditFail')).toEqual([
      expect.objectContaining({ type: 'REVIEW_REJECTED', hostAppId: '1452365', reason: expect.stringContaining('名称过长') }),
    ]);
  });

  it('has covered every fixture', () => {
    expect(F.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([]);
  });
});
