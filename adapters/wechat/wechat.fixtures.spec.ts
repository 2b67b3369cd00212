import { describe, expect, it } from '@jest/globals';
import { fixtureNamed, fixtureText, InMemoryTokenStore, type HostError, type HttpResponse } from '../core/index.js';
import { wechatAdapterFactory } from './wechat.factory.js';
import { WECHAT_ANSWER_FIXTURES as F } from './fixtures/wechat.answers.js';
import { buildPush } from './sandbox/sandbox-pushes.js';

// Every fixture goes through the real client and adapter, read as the host means it.

const creds = {
  componentAppId: 'wx0000000000000001',
  componentAppSecret: 'component-secret-1',
  componentVerifyTicket: 'ticket@@@1',
  authorizerAppId: 'wx0000000000000002',
  authorizerRefreshToken: 'refreshtoken@@@1',
};
const ctx = { hostAppId: creds.authorizerAppId, credentials: creds };
const text = (name: string) => fixtureText(fixtureNamed(F, name));
const reply = (body: string): HttpResponse => {
  const buf = Buffer.from(body);
  return { status: 200, headers: {}, body: buf, text: () => buf.toString('utf8') };
};
const TOKENS = {
  '/cgi-bin/component/api_component_token': ['token.component.success'],
  '/cgi-bin/component/api_authorizer_token': ['token.authorizer.success'],
};

function hostAnswering(script: Record<string, string[]>) {
  const queues = Object.fromEntries(Object.entries(script).map(([path, names]) => [path, names.map(text)]));
  return wechatAdapterFactory.create({
    baseUrl: 'http://127.0.0.1:9',
    tokenStore: new InMemoryTokenStore(),
    http: async (req) => {
      const next = queues[new URL(req.url).pathname]?.shift();
      if (next === undefined) throw new Error(`unscripted call ${req.method} ${req.url}`);
      return reply(next);
    },
  });
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as HostError,
  );
const covered = new Set<string>();
const uses = (...names: string[]) => names.forEach((n) => covered.add(fixtureNamed(F, n).name));
const ref = { version: 'V1.5', ids: {} };

describe('WeChat answer fixtures through the client and adapter', () => {
  it('reads the bare token answers and the quota (token.*.success, queryQuota.success)', async () => {
    uses('token.component.success', 'token.authorizer.success', 'queryQuota.success');
    await expect(hostAnswering({ ...TOKENS, '/wxa/queryquota': ['queryQuota.success'] }).probe(ctx)).resolves.toBeUndefined();
  });

  it('reads a token refusal as its native code (token.component.failure)', async () => {
    uses('token.component.failure');
    const a = hostAnswering({ '/cgi-bin/component/api_component_token': ['token.component.failure'] });
    expect(await failure(a.probe(ctx))).toMatchObject({ kind: 'auth', retryable: true, nativeCode: '61005', requestId: '64dc7e85-258c9211-2604fd01' });
  });

  it('commits, submits, reads both audit answers and refusals (commit, submitAudit, getAuditStatus, getLatestAuditStatus.*)', async () => {
    uses('commit.success', 'submitAudit.success', 'submitAudit.error', 'getAuditStatus.success', 'getLatestAuditStatus.sample', 'getLatestAuditStatus.fields');
    const a = hostAnswering({
      ...TOKENS,
      '/wxa/commit': ['commit.success'],
      '/wxa/submit_audit': ['submitAudit.success', 'submitAudit.error'],
      '/wxa/get_auditstatus': ['getAuditStatus.success'],
      '/wxa/get_latest_auditstatus': ['getLatestAuditStatus.sample', 'getLatestAuditStatus.fields'],
    });
    expect(
      await a.upload(
        ctx,
        { name: 'n', description: 'd', category: 'life.food', keywords: [] },
        { version: 'V1.5', releaseNotes: 'r', artifact: { kind: 'TEMPLATE', templateId: '12', extJson: {} } },
      ),
    ).toMatchObject({ status: 'UPLOADED' });
    const sub = await a.submitForReview(
      ctx,
      { name: 'n', description: 'd', category: 'life.food', keywords: [] },
      { version: 'V1.5', releaseNotes: 'r', artifact: { kind: 'TEMPLATE', templateId: '12', extJson: {} } },
      ref,
    );
    expect(sub.ref.ids.auditId).toBe('1234567');
    expect(
      await failure(
        a.submitForReview(
          ctx,
          { name: 'n', description: 'd', category: 'life.food', keywords: [] },
          { version: 'V1.5', releaseNotes: 'r', artifact: { kind: 'TEMPLATE', templateId: '12', extJson: {} } },
          ref,
        ),
      ),
    ).toMatchObject({ kind: 'conflict', nativeCode: '85009' });
    expect(await a.reviewStatus(ctx, sub.ref)).toMatchObject({ status: 'REJECTED', reason: '帐号信息不合规范', screenshots: ['xxx', 'yyy', 'zzz'] });
    expect(await a.reviewStatus(ctx, ref)).toMatchObject({ status: 'REJECTED', screenshots: ['xx', 'yy', 'zz'], ref: { ids: { auditId: '1234567' } } });
    expect(await a.reviewStatus(ctx, ref)).toMatchObject({ status: 'IN_REVIEW' });
  });

  it('withdraws, releases, grays and rolls back on the documented answers (undoCodeAudit.*, release, grayRelease, revert*)', async () => {
    uses(
      'undoCodeAudit.success',
      'undoCodeAudit.quota',
      'release.success',
      'grayRelease.success',
      'revertGrayRelease.success',
      'revertCodeRelease.success',
      'getVersionInfo.success',
    );
    const a = hostAnswering({
      ...TOKENS,
      '/wxa/undocodeaudit': ['undoCodeAudit.success', 'undoCodeAudit.quota'],
      '/wxa/release': ['release.success'],
      '/wxa/grayrelease': ['grayRelease.success'],
      '/wxa/revertgrayrelease': ['revertGrayRelease.success'],
      '/wxa/revertcoderelease': ['revertCodeRelease.success'],
      '/wxa/getversioninfo': ['getVersionInfo.success'],
    });
    await expect(a.withdrawReview(ctx, ref)).resolves.toBeUndefined();
    expect(await failure(a.withdrawReview(ctx, ref))).toMatchObject({ kind: 'quota', nativeCode: '87013' });
    expect(await a.release(ctx, ref)).toMatchObject({ status: 'RELEASED' });
    expect(await a.release(ctx, ref, { grayPercentage: 10 })).toMatchObject({ status: 'GRAY', grayPercentage: 10 });
    await expect(a.cancelGray(ctx, ref)).resolves.toBeUndefined();
    expect(await a.rollback(ctx, ref)).toMatchObject({ restoredVersion: 'V1.5' });
  });

  it('speeds up a review in progress (speedupAudit.success)', async () => {
    uses('speedupAudit.success');
    const a = hostAnswering({ ...TOKENS, '/wxa/speedupaudit': ['speedupAudit.success'] });
    await expect(a.speedUpReview(ctx, { version: 'V1.5', ids: { auditId: '1234567' } })).resolves.toBeUndefined();
  });

  it('reads the listing and a day of analytics (getVersionInfo, getGrayReleasePlan, getVisitStatus, dailyVisitTrend)', async () => {
    uses('getGrayReleasePlan.success', 'getVisitStatus.success', 'dailyVisitTrend.success', 'dailyVisitTrend.fields');
    const a = hostAnswering({
      ...TOKENS,
      '/wxa/getversioninfo': ['getVersionInfo.success'],
      '/wxa/getgrayreleaseplan': ['getGrayReleasePlan.success'],
      '/wxa/getvisitstatus': ['getVisitStatus.success'],
      '/wxa/get_latest_auditstatus': ['getLatestAuditStatus.fields'],
      '/datacube/getweanalysisappiddailyvisittrend': ['dailyVisitTrend.success', 'dailyVisitTrend.fields'],
    });
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: 'V1.5', visibility: 'VISIBLE' });
    expect(await a.analytics(ctx, '2017-03-13')).toMatchObject({
      opens: 142549,
      pageViews: 472351,
      uniqueVisitors: 55500,
      newVisitors: 5464,
      avgStaySeconds: null,
    });
    expect(await a.analytics(ctx, '2017-03-13')).toMatchObject({ opens: 142549, avgStaySeconds: 8.1952 });
  });

  it('reads the ticket and audit pushes (push.*) once encrypted as the host sends them', () => {
    uses('push.ticket', 'push.auditSuccess', 'push.auditFail', 'push.auditDelay');
    const secrets = { componentAppId: creds.componentAppId, token: 'push-token-123456', encodingAesKey: 'c'.repeat(43) };
    const a = wechatAdapterFactory.create({
      baseUrl: 'http://127.0.0.1:9',
      tokenStore: new InMemoryTokenStore(),
      http: () => Promise.reject(new Error('no calls')),
    });
    const parse = (name: string, envelope: { AppId: string } | { ToUserName: string }) => {
      const inner = fixtureNamed(F, name).body as Record<string, string | number>;
      const { query, body } = buildPush(secrets, inner, envelope);
      return a.parseCallback({ method: 'POST', path: '/callbacks/wechat', query, headers: { 'content-type': 'text/xml' }, body }, secrets).events;
    };
    expect(parse('push.ticket', { AppId: creds.componentAppId })).toEqual([expect.objectContaining({ type: 'TICKET', ticket: 'some_verify_ticket' })]);
    const gh = { ToUserName: 'gh_fb9688c2a4b2' };
    expect(parse('push.auditSuccess', gh)).toEqual([expect.objectContaining({ type: 'REVIEW_APPROVED' })]);
    expect(parse('push.auditFail', gh)).toEqual([expect.objectContaining({ type: 'REVIEW_REJECTED', screenshots: ['xxx', 'yyy', 'zzz'] })]);
    expect(parse('push.auditDelay', gh)).toEqual([expect.objectContaining({ type: 'REVIEW_DELAYED' })]);
  });

  it('has covered every fixture', () => {
    expect(F.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([]);
  });
});
