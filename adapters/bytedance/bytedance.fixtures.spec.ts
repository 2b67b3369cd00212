import { describe, expect, it } from '@jest/globals';
import { fixtureNamed, fixtureText, HostError, InMemoryTokenStore, type HttpRequest, type HttpResponse } from '../core/index.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';
import type { BytedanceAdapter } from './bytedance.adapter.js';
import { bytedanceConformanceHarness as H } from './bytedance.harness.js';
import { BYTEDANCE_ANSWER_FIXTURES as F } from './fixtures/bytedance.answers.js';
import { buildPush } from './sandbox/sandbox-pushes.js';

// Every fixture goes through the real client and adapter: documented shapes are read as the host
// means them (a success as a success, a failure as its native code), never as an unexpected answer.

const creds = {
  componentAppId: 'tt0123456789abcdef',
  componentAppSecret: 'secret-value-123',
  componentTicket: 'ticket@@@1',
  authorizerAppId: 'ttfedcba9876543210',
  authorizerRefreshToken: 'isvrft.original',
};
const ctx = { hostAppId: creds.authorizerAppId, credentials: creds };
const text = (name: string) => fixtureText(fixtureNamed(F, name));
const reply = (body: string): HttpResponse => {
  const buf = Buffer.from(body);
  return { status: 200, headers: {}, body: buf, text: () => buf.toString('utf8') };
};

/** An adapter whose host answers each path with the named fixtures, in order. */
function hostAnswering(script: Record<string, string[]>) {
  const sent: HttpRequest[] = [];
  const queues = Object.fromEntries(Object.entries(script).map(([path, names]) => [path, names.map(text)]));
  const adapter = bytedanceAdapterFactory.create({
    baseUrl: 'http://127.0.0.1:9',
    tokenStore: new InMemoryTokenStore(),
    http: async (req) => {
      sent.push(req);
      const next = queues[new URL(req.url).pathname]?.shift();
      if (next === undefined) throw new Error(`unscripted call ${req.method} ${req.url}`);
      return reply(next);
    },
  }) as BytedanceAdapter;
  return { adapter, sent };
}

const TOKENS = { '/openapi/v2/auth/tp/token/': ['token.component.success'], '/api/tpapp/v2/auth/get_auth_token/': ['token.authorizer.success'] };
const P = '/api/apps/v1/package_version/';
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as HostError,
  );

const covered = new Set<string>();
const uses = (...names: string[]) => names.forEach((n) => covered.add(fixtureNamed(F, n).name));

describe('Douyin answer fixtures through the client and adapter', () => {
  it('reads the flat component token and the authorizer token (token.*.success)', async () => {
    uses('token.component.success', 'token.authorizer.success', 'versions.success');
    const { adapter, sent } = hostAnswering({ ...TOKENS, [`${P}versions/`]: ['versions.success'] });
    await adapter.probe(ctx);
    expect(sent.map((r) => r.headers?.['access-token'] ?? null)).toEqual([
      null,
      (fixtureNamed(F, 'token.component.success').body as { component_access_token: string }).component_access_token,
      'isvact.5dafax837bb9937cdxxxxxx200fO2Eh5YgvG4pFmj6nSf8NGr6j8Yfg',
    ]);
  });

  it('reads {errno, message} from the token endpoint as the native failure, not as a success or an unexpected answer', async () => {
    uses('token.component.failure');
    const { adapter } = hostAnswering({ '/openapi/v2/auth/tp/token/': ['token.component.failure'] });
    expect(await failure(adapter.readListing(ctx))).toMatchObject({ kind: 'auth', nativeCode: '40037', nativeMessage: '无效的 ticket' });
  });

  it('reads a refused refresh token (token.authorizer.failure) as auth 40021', async () => {
    uses('token.authorizer.failure');
    const { adapter } = hostAnswering({
      '/openapi/v2/auth/tp/token/': ['token.component.success'],
      '/api/tpapp/v2/auth/get_auth_token/': ['token.authorizer.failure'],
    });
    expect(await failure(adapter.readListing(ctx))).toMatchObject({ kind: 'auth', nativeCode: '40021', requestId: '20231013120227010203040506A1B2C3' });
  });

  it('writes an int64 template_id into the upload body digit for digit (upload.request, upload.success)', async () => {
    uses('upload.request', 'upload.success');
    const { adapter, sent } = hostAnswering({ ...TOKENS, [`${P}upload/`]: ['upload.success'] });
    const sample = fixtureNamed(F, 'upload.request').body as { template_id: string };
    const v = H.validVersion('1.1.1');
    const up = await adapter.upload(ctx, H.validDefinition(), { ...v, artifact: { kind: 'TEMPLATE', templateId: sample.template_id, extJson: {} } });
    expect(up).toMatchObject({ status: 'UPLOADED', ref: { ids: { templateId: '9133504853504535288' } } });
    const body = String(sent.at(-1)!.body);
    expect(body).toContain('"template_id":9133504853504535288');
    expect(text('upload.request')).toContain('"template_id":9133504853504535288');
  });

  it('submits to the hosts get_audit_hosts lists, and reads a refusal (auditHosts.success, audit.success, audit.error)', async () => {
    uses('auditHosts.success', 'audit.success', 'audit.error');
    const { adapter, sent } = hostAnswering({
      ...TOKENS,
      [`${P}get_audit_hosts/`]: ['auditHosts.success', 'auditHosts.success'],
      '/api/apps/v2/package_version/audit/': ['audit.success', 'audit.error'],
    });
    const v = H.validVersion('1.0.1');
    const sub = await adapter.submitForReview(ctx, H.validDefinition(), v, { version: '1.0.1', ids: {} });
    expect(sub).toMatchObject({ status: 'IN_REVIEW', ref: { ids: { hostNames: 'toutiao,douyin' } } });
    expect(JSON.parse(String(sent.at(-1)!.body))).toMatchObject({ host_names: ['toutiao', 'douyin'] });
    expect(await failure(adapter.submitForReview(ctx, H.validDefinition(), v, { version: '1.0.1', ids: {} }))).toMatchObject({
      kind: 'conflict',
      nativeCode: '11303',
    });
  });

  it('withdraws, releases and rolls back on the void answers, and reads their refusals (revokeAudit/release/rollback.*)', async () => {
    uses('revokeAudit.success', 'release.success', 'release.error', 'rollback.success', 'rollback.error');
    const { adapter } = hostAnswering({
      ...TOKENS,
      [`${P}revoke_audit/`]: ['revokeAudit.success'],
      [`${P}release/`]: ['release.success', 'release.error'],
      [`${P}rollback/`]: ['rollback.success', 'rollback.error'],
    });
    const ref = { version: '1.0.1', ids: {} };
    await expect(adapter.withdrawReview(ctx, ref)).resolves.toBeUndefined();
    expect(await adapter.release(ctx, ref)).toMatchObject({ status: 'RELEASING' });
    expect(await failure(adapter.release(ctx, ref))).toMatchObject({ kind: 'conflict', nativeCode: '11402' });
    expect(await adapter.rollback(ctx, ref)).toMatchObject({ restoredVersion: null });
    expect(await failure(adapter.rollback(ctx, ref))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 600_000 });
  });

  it('keeps the reasons, screenshots and gray share the versions answer carries by host (versions.success, versions.gray)', async () => {
    uses('versions.gray');
    const { adapter } = hostAnswering({ ...TOKENS, [`${P}versions/`]: ['versions.success', 'versions.success', 'versions.gray'] });
    expect(await adapter.reviewStatus(ctx, { version: '1.0.1', ids: {} })).toMatchObject({
      status: 'REJECTED',
      reason: '今日头条: 无法进入小程序;小程序页面存在闪退、卡顿、黑屏等功能异常问题;今日头条lite: 无法进入小程序',
      screenshots: ['http://xxxx'],
    });
    expect(await adapter.readListing(ctx)).toMatchObject({ liveVersion: '1.0.0', grayVersion: '1.0.1', grayPercentage: null, visibility: 'VISIBLE' });
    expect(await adapter.readListing(ctx)).toMatchObject({ grayVersion: '1.0.1', grayPercentage: 30 });
  });

  it('reads the pushed ticket and audit result (push.*) once encrypted as the host sends them', () => {
    uses('push.ticket', 'push.packageAudit');
    const secrets = { componentAppId: creds.componentAppId, token: 'push-token-123456', encodingAesKey: 'a'.repeat(43) };
    const adapter = bytedanceAdapterFactory.create({
      baseUrl: 'http://127.0.0.1:9',
      tokenStore: new InMemoryTokenStore(),
      http: () => Promise.reject(new Error('no calls')),
    });
    const raw = (message: Record<string, unknown>) => ({
      method: 'POST',
      path: '/callbacks/bytedance',
      query: {},
      headers: { 'content-type': 'application/json' },
      body: buildPush(secrets, message),
    });
    const ticket = adapter.parseCallback(raw(fixtureNamed(F, 'push.ticket').body as Record<string, unknown>), secrets);
    expect(ticket.events).toEqual([expect.objectContaining({ type: 'TICKET', ticket: '8c0da4968b0d1e28acbc1d738a56607d' })]);
    // The sample's ids are placeholders ("授权小程序的appid"); ours go in their place.
    const audit = { ...(fixtureNamed(F, 'push.packageAudit').body as Record<string, unknown>), AppId: creds.authorizerAppId, TpAppId: creds.componentAppId };
    expect(adapter.parseCallback(raw(audit), secrets).events).toEqual([
      expect.objectContaining({ type: 'REVIEW_APPROVED', hostAppId: creds.authorizerAppId, ids: expect.objectContaining({ hostName: 'toutiao' }) }),
    ]);
  });

  it('has covered every fixture', () => {
    expect(F.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([]);
  });
});
