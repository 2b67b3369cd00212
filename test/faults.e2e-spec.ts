import { jest } from '@jest/globals';
import { newOrganization, ok } from './support/fixtures.js';
import { stateChangingCounts } from './support/host-calls.js';
import { bindSandboxApps, FAST_PUBLISHING, HOSTS, publish, publishableProgram, stagesBecome } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

jest.setTimeout(180_000);

describe('publishing through faulty hosts', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startTestGateway(FAST_PUBLISHING);
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  it('ends RELEASED everywhere with 30% of host calls failing, and never doubles an upload, submit or release', async () => {
    const programs = [];
    for (let i = 0; i < 2; i++) {
      const p = await publishableProgram(gw, key);
      await bindSandboxApps(gw, key, p.program.id);
      programs.push(p);
    }
    for (const host of HOSTS) {
      await gw.sandboxes!.clearCalls(host);
      // 5xx before the host acts, hangs past the gateway's deadline, and resets after the host acted.
      await gw.sandboxes!.setFaults(host, { serverErrorRate: 0.1, timeoutRate: 0.1, hangMs: 2_500, resetAfterActRate: 0.1 });
    }
    try {
      const runs = [];
      for (const { program, version } of programs)
        runs.push(ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: HOSTS, release: 'AUTO' })).publish);
      for (const run of runs) await stagesBecome(gw, key, run.id, Object.fromEntries(HOSTS.map((h) => [h, 'RELEASED'])), 150_000);
    } finally {
      // Even when this test fails: the next ones share these sandboxes.
      for (const host of HOSTS) await gw.sandboxes!.setFaults(host, { reset: true });
    }

    const faulty = (await Promise.all(HOSTS.map((h) => gw.sandboxes!.calls(h))))
      .flat()
      .filter((c) => c.answeredCode === 'TIMEOUT' || c.answeredCode === 'HTTP 503');
    expect(faulty.length).toBeGreaterThan(0);
    for (const host of HOSTS) expect({ host, ...(await stateChangingCounts(gw.sandboxes!, host)) }).toEqual({ host, upload: 2, submit: 2, release: 2 });
  });

  it('waits out a quota error for the host window, then completes', async () => {
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['BAIDU']);
    await gw.sandboxes!.clearCalls('BAIDU');
    // 69013 (SUBMIT_PACKAGE_OVER_LIMIT_ERROR): the period's audit quota is used up (no reset time given: QUOTA_RETRY_MS applies).
    await gw.sandboxes!.setFaults('BAIDU', { failNext: { path: '/rest/2.0/smartapp/package/submitaudit', nativeCode: '69013' } });
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['BAIDU'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, run.id, { BAIDU: 'RELEASED' });
    const submits = (await gw.sandboxes!.calls('BAIDU')).filter((c) => c.path === '/rest/2.0/smartapp/package/submitaudit').map((c) => c.answeredCode);
    expect(submits).toEqual(['69013', '0']);
  });
});

// Its own gateway: the sandbox expires every token it issued, and other apps' renewals would share the count.
describe('an expired host token', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startTestGateway(FAST_PUBLISHING);
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  it('is renewed once, and the publish carries on', async () => {
    const { program, version } = await publishableProgram(gw, key);
    await bindSandboxApps(gw, key, program.id, ['WECHAT', 'BYTEDANCE']);
    for (const host of ['WECHAT', 'BYTEDANCE'] as const) {
      await gw.sandboxes!.clearCalls(host);
      await gw.sandboxes!.setFaults(host, { expireTokens: true });
    }
    const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT', 'BYTEDANCE'], release: 'AUTO' })).publish;
    await stagesBecome(gw, key, run.id, { WECHAT: 'RELEASED', BYTEDANCE: 'RELEASED' });
    const paths = async (host: 'WECHAT' | 'BYTEDANCE') => (await gw.sandboxes!.calls(host)).map((c) => c.path);
    const wechat = await paths('WECHAT');
    expect(wechat.filter((p) => p === '/cgi-bin/component/api_authorizer_token')).toHaveLength(1);
    expect(wechat.filter((p) => p === '/cgi-bin/component/api_component_token').length).toBeLessThanOrEqual(1);
    expect((await paths('BYTEDANCE')).filter((p) => p === '/api/tpapp/v2/auth/get_auth_token/')).toHaveLength(1);
  });
});
