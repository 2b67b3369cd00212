import { describe, expect, it } from '@jest/globals';
import { fixtureNamed, InMemoryTokenStore, type HostError, type HttpResponse } from '../core/index.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { alipayAdapterFactory } from './alipay.factory.js';
import { alipayConformanceHarness as H } from './alipay.harness.js';
import { notifySignContent, rsa2Sign } from './alipay.signature.js';
import { ALIPAY_SUB_CODE_RULES } from './alipay.errors.js';
import { ALIPAY_ANSWER_FIXTURES as F, ALIPAY_MAPPED_SUB_CODES } from './fixtures/alipay.answers.js';
import { newKeyPair } from './sandbox/sandbox-crypto.js';

// Every fixture goes through the real client and adapter, read as the host means it. The fixtures
// carry the docs' placeholder sign, so each answer is signed again here with a key of this spec's
// own ("Alipay's"), over the node's exact text, as the gateway signs (A1.4); the node goes under the
// key of the method called.

const ALIPAY = newKeyPair('pkcs8');
const ISV = newKeyPair('pkcs1');
const creds: AlipayCredentials = {
  appId: '2021000122671080',
  privateKey: ISV.privateKey,
  alipayPublicKey: ALIPAY.publicKey,
  appAuthToken: '202401BBd81538093e464582934c51dfb9d18X09',
};
const ctx = { hostAppId: '2021004100000002', credentials: creds };
const def = H.validDefinition();
const version = (v: string) => H.validVersion(v);
const ref = (v: string) => ({ version: v, ids: { appVersion: v } });

type Scripted = string | [name: string, changes: Record<string, unknown>];
const covered = new Set<string>();

/** The fixture as the gateway would send it for `method`: its node re-keyed and signed, or unsigned error_response. */
function answerText(entry: Scripted, method: string): string {
  const [name, changes] = typeof entry === 'string' ? [entry, {}] : entry;
  const body = fixtureNamed(F, name).body as Record<string, Record<string, unknown>>;
  covered.add(name);
  if (!('sign' in body)) return JSON.stringify(body);
  const nodeKey = Object.keys(body).find((k) => k !== 'sign')!;
  const nodeText = JSON.stringify({ ...body[nodeKey], ...changes });
  return `{"${method.replaceAll('.', '_')}_response":${nodeText},"sign":"${rsa2Sign(nodeText, ALIPAY.privateKey)}"}`;
}

const reply = (text: string): HttpResponse => {
  const buf = Buffer.from(text);
  return { status: 200, headers: { 'alipay-trace-id': 'trace-fixture' }, body: buf, text: () => buf.toString('utf8') };
};

/** An adapter whose host answers each gateway method with the listed fixtures, in order. */
function hostAnswering(script: Record<string, Scripted[]>) {
  const queues = Object.fromEntries(Object.entries(script).map(([m, entries]) => [`alipay.open.mini.${m}`, [...entries]]));
  return alipayAdapterFactory.create({
    baseUrl: 'http://127.0.0.1:9/gateway.do',
    tokenStore: new InMemoryTokenStore(),
    http: async (req) => {
      const method = new URL(req.url).searchParams.get('method') ?? '';
      const next = queues[method]?.shift();
      if (next === undefined) throw new Error(`unscripted call ${method}`);
      return reply(answerText(next, method));
    },
  });
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as HostError,
  );

describe('Alipay answer fixtures through the client and adapter', () => {
  it('uploads, and reads a version number that is not new as a conflict (version.upload.*)', async () => {
    const a = hostAnswering({ 'version.upload': ['version.upload.success', 'version.upload.exists'] });
    expect(await a.upload(ctx, def, version('0.0.1'))).toMatchObject({ status: 'UPLOADING', nativeStatus: 'build_status 0' });
    expect(await failure(a.upload(ctx, def, version('0.0.1')))).toMatchObject({
      kind: 'conflict',
      retryable: false,
      nativeCode: '40004/VERSION_HAS_EXISTED',
      requestId: 'trace-fixture',
    });
  });

  it('reads a built development version and a rejected one (version.detail.query, version.build.query)', async () => {
    const a = hostAnswering({
      'version.detail.query': [['version.detail.query.success', { status: 'INIT', reject_reason: '' }], 'version.detail.query.success'],
      'version.build.query': ['version.build.query.success'],
    });
    expect(await a.reviewStatus(ctx, ref('0.0.1'))).toMatchObject({ status: 'UPLOADED', nativeStatus: 'INIT/build_status 2' });
    expect(await a.reviewStatus(ctx, ref('0.0.1'))).toMatchObject({ status: 'REJECTED', reason: '首页内容为空', nativeStatus: 'AUDIT_REJECT' });
  });

  it('submits, and resubmits a rejected version through audited.cancel (version.audit.apply.*, version.audited.cancel)', async () => {
    const a = hostAnswering({
      'version.audit.apply': ['version.audit.apply.success', 'version.audit.apply.blocked', 'version.audit.apply.success', 'version.audit.apply.notBuilt'],
      'version.detail.query': ['version.detail.query.success'],
      'version.audited.cancel': ['version.audited.cancel.success'],
    });
    expect(await a.submitForReview(ctx, def, version('0.0.1'), ref('0.0.1'))).toMatchObject({ status: 'IN_REVIEW' });
    expect(await a.submitForReview(ctx, def, version('0.0.1'), ref('0.0.1'))).toMatchObject({ status: 'IN_REVIEW' });
    expect(await failure(a.submitForReview(ctx, def, version('0.0.2'), ref('0.0.2')))).toMatchObject({
      kind: 'conflict',
      retryable: true,
      nativeCode: '40004/MINI_APP_PACKAGE_INFO_NOT_EXIST',
    });
  });

  it('withdraws, releases, grays, ends the gray and rolls back (version.audit.cancel, online, gray.*, rollback, list.query)', async () => {
    const a = hostAnswering({
      'version.audit.cancel': ['version.audit.cancel.success'],
      'version.online': ['version.online.success'],
      'version.gray.online': ['version.gray.online.success'],
      'version.gray.cancel': ['version.gray.cancel.success'],
      'version.rollback': ['version.rollback.success'],
      'version.list.query': ['version.list.query.success'],
    });
    await expect(a.withdrawReview(ctx, ref('0.0.2'))).resolves.toBeUndefined();
    expect(await a.release(ctx, ref('0.0.2'), { grayPercentage: 10 })).toMatchObject({ status: 'GRAY', grayPercentage: 10 });
    await expect(a.cancelGray(ctx, ref('0.0.2'))).resolves.toBeUndefined();
    expect(await a.release(ctx, ref('0.0.2'))).toMatchObject({ status: 'RELEASED' });
    expect(await a.rollback(ctx, ref('0.0.2'))).toMatchObject({ restoredVersion: '0.0.1' });
  });

  it('finds an upload whose answer was lost only among the versions list.query holds (version.list.query, version.detail.query, version.build.query)', async () => {
    const a = hostAnswering({
      // shared/hosts A2: list.query answers an empty app_version_infos when the app holds no version.
      'version.list.query': [
        'version.list.query.success',
        ['version.list.query.success', { app_version_infos: [], app_versions: [] }],
        'version.list.query.success',
      ],
      'version.detail.query': [['version.detail.query.success', { app_version: '0.0.2', status: 'INIT', reject_reason: '' }]],
      'version.build.query': ['version.build.query.success'],
    });
    // Not listed: never uploaded, so the upload is sent again; no detail.query is asked.
    expect(await a.findUpload(ctx, version('0.0.3'))).toBeNull();
    expect(await a.findUpload(ctx, version('0.0.2'))).toBeNull();
    expect(await a.findUpload(ctx, version('0.0.2'))).toMatchObject({ status: 'UPLOADED', ref: { version: '0.0.2' }, nativeStatus: 'INIT/build_status 2' });
  });

  it('reads the listing with its gray version and strategy (version.list.query, version.detail.query)', async () => {
    const a = hostAnswering({
      'version.list.query': ['version.list.query.success'],
      'version.detail.query': [['version.detail.query.success', { app_version: '0.0.2', status: 'GRAY', gray_strategy: 'p30', reject_reason: '' }]],
    });
    expect(await a.readListing(ctx)).toMatchObject({ liveVersion: '0.0.1', grayVersion: '0.0.2', grayPercentage: 30, visibility: 'VISIBLE' });
  });

  it('reads basic info and changes it field by field with baseinfo.modify (baseinfo.query.success, baseinfo.modify.*)', async () => {
    const sent: Array<{ contentType: string; body: Buffer }> = [];
    const queues: Record<string, Scripted[]> = {
      'alipay.open.mini.baseinfo.query': ['baseinfo.query.success'],
      'alipay.open.mini.baseinfo.modify': ['baseinfo.modify.success', 'baseinfo.modify.success', 'baseinfo.modify.nameSensitive', 'baseinfo.modify.logoExt'],
    };
    const a = alipayAdapterFactory.create({
      baseUrl: 'http://127.0.0.1:9/gateway.do',
      tokenStore: new InMemoryTokenStore(),
      http: async (req) => {
        const method = new URL(req.url).searchParams.get('method') ?? '';
        sent.push({ contentType: req.headers?.['content-type'] ?? '', body: Buffer.from(req.body ?? '') });
        const next = queues[method]?.shift();
        if (next === undefined) throw new Error(`unscripted call ${method}`);
        return reply(answerText(next, method));
      },
    });
    expect(await a.readBasicInfo(ctx)).toMatchObject({
      name: '城市点餐',
      slogan: '附近好店在线点餐更方便',
      description: '附近餐厅在线点餐、排队取号与外卖配送服务',
      icon: { url: 'https://appstoreisvpic.alipayobjects.com/prod/logo.png' },
      categories: [{ ids: [], names: ['餐饮美食', '餐厅'] }],
      serviceContact: { phone: '400-123-4567', email: 'support@example.com' },
      pendingReviews: [],
    });
    expect(await a.applyBasicInfo(ctx, { field: 'name', name: '城市点餐' })).toMatchObject({ status: 'APPLIED', reviewId: null });
    expect(sent[1].contentType).toContain('application/x-www-form-urlencoded');
    const png = { bytes: Buffer.from('89504e470d0a1a0a', 'hex'), contentType: 'image/png' };
    expect(await a.applyBasicInfo(ctx, { field: 'icon', icon: png })).toMatchObject({ status: 'APPLIED', field: 'icon' });
    expect(sent[2].contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(await failure(a.applyBasicInfo(ctx, { field: 'name', name: '城市点餐' }))).toMatchObject({
      kind: 'rejected',
      nativeCode: '40004/MINI_APP_NAME_SENSITIVE',
    });
    expect(await failure(a.applyBasicInfo(ctx, { field: 'icon', icon: png }))).toMatchObject({ kind: 'invalid', nativeCode: '40004/INVALID_LOGO_EXT' });
  });

  it('probes with the base info query (baseinfo.query.success)', async () => {
    await expect(hostAnswering({ 'baseinfo.query': ['baseinfo.query.success'] }).probe(ctx)).resolves.toBeUndefined();
  });

  it('reads the gateway failures: a revoked token, a bad signature, a busy host, an unsigned error_response (gateway.*)', async () => {
    const a = hostAnswering({
      'version.list.query': ['gateway.invalidAppAuthToken'],
      'baseinfo.query': ['gateway.invalidSignature', 'gateway.errorResponse'],
      'version.detail.query': ['gateway.unavailable'],
    });
    expect(await failure(a.readListing(ctx))).toMatchObject({ kind: 'auth', retryable: false, nativeCode: '20001/aop.invalid-app-auth-token' });
    const signature = await failure(a.probe(ctx));
    expect(signature).toMatchObject({ kind: 'invalid', retryable: false, nativeCode: '40002/isv.invalid-signature' });
    expect(await failure(a.reviewStatus(ctx, ref('0.0.1')))).toMatchObject({ kind: 'unavailable', retryable: true, nativeCode: '20000/isp.unknow-error' });
    expect(await failure(a.probe(ctx))).toMatchObject({ kind: 'invalid', retryable: false, nativeCode: '40002/isv.code-invalid' });
  });

  it('reads the msgapi pushes and the authorization notify once signed as the host signs them (push.*)', () => {
    const a = hostAnswering({});
    const parse = (name: string) => {
      covered.add(name);
      const { sign: _placeholder, biz_content, ...rest } = fixtureNamed(F, name).body as Record<string, unknown>;
      const form: Record<string, string> = { ...(rest as Record<string, string>), biz_content: JSON.stringify(biz_content) };
      form.sign = rsa2Sign(notifySignContent(form, false), ALIPAY.privateKey);
      const raw = {
        method: 'POST',
        path: '/callbacks/alipay',
        query: {},
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      };
      return a.parseCallback(raw, { appId: form.app_id, alipayPublicKey: ALIPAY.publicKey });
    };
    expect(parse('push.auditPassed').events).toEqual([expect.objectContaining({ type: 'REVIEW_APPROVED', hostAppId: '2021004100000002', version: '0.0.1' })]);
    expect(parse('push.auditRejected').events).toEqual([expect.objectContaining({ type: 'REVIEW_REJECTED', version: '0.0.1', reason: '首页内容为空' })]);
    const cancelled = parse('push.appAuthCancelled');
    expect(cancelled.events).toEqual([expect.objectContaining({ type: 'UNAUTHORIZED', hostAppId: '2021004100000002' })]);
    expect(JSON.stringify(cancelled.payload)).not.toContain('202401BBd81538093e464582934c51dfb9d18X09');
    const authorized = parse('push.openAppAuthNotify');
    expect(authorized.events).toEqual([
      expect.objectContaining({ type: 'AUTHORIZED', hostAppId: '2021001172619424', authorizationCode: 'aae0477c3c014c44b11b240fbebbbX09' }),
    ]);
    expect(JSON.stringify(authorized.payload)).not.toContain('202007BBbf2c01e84b464234910c43ff65c54X09');
  });

  it('reads every sub_code it maps, each documented, in the failure node of the fixtures (ALIPAY_MAPPED_SUB_CODES)', async () => {
    const MSG: Record<string, string> = { '40002': 'Invalid Arguments', '40004': 'Business Failed', '40006': 'Insufficient Permissions' };
    expect(Object.keys(ALIPAY_MAPPED_SUB_CODES).sort()).toEqual(Object.keys(ALIPAY_SUB_CODE_RULES).sort());
    const subCodes = Object.entries(ALIPAY_MAPPED_SUB_CODES);
    const a = hostAnswering({
      'version.upload': subCodes.map(([sub, { code }]): Scripted => ['version.upload.exists', { code, msg: MSG[code], sub_code: sub, sub_msg: sub }]),
    });
    for (const [sub, { code }] of subCodes) {
      const rule = ALIPAY_SUB_CODE_RULES[sub];
      expect(await failure(a.upload(ctx, def, version('0.0.1')))).toMatchObject({ kind: rule.kind, retryable: rule.retryable, nativeCode: `${code}/${sub}` });
    }
  });

  it('has covered every fixture', () => {
    expect(F.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([]);
  });
});
