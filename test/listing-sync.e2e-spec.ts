import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import { createProgram, errorOf, newOrganization, ok } from './support/fixtures.js';
import { bindSandboxApps, eventsOf, eventually, FAST_PUBLISHING, HOSTS } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

jest.setTimeout(120_000);

const PLAN = `query($m: ID!, $h: [Host!]!, $f: [ListingField!]) { planListingSync(miniProgramId: $m, hosts: $h, fields: $f) {
  revision changes blocked hosts { host bindingId fields { field action comparison current desired needsReview usesQuota note
    quota { limit window windowKey usedByGateway hostUsed hostLimit hostRemaining source } blockers { rule message } } } } }`;
const STEP = `id host field state value reviewId reviewReason nativeStatus evidence attempts lastError { kind nativeCode nativeMessage }`;
const SYNC = `mutation($i: SyncListingInput!) { syncListing(input: $i) { id hosts fields settled steps { ${STEP} } } }`;
const RUN = `query($id: ID!) { listingSyncRun(id: $id) { id settled steps { ${STEP} } } }`;

type Step = { host: string; field: string; state: string; lastError: unknown; reviewReason: string | null; evidence: Record<string, any>; value: string };
type FieldPlan = {
  field: string;
  action: string;
  comparison: string;
  current: string | null;
  desired: string | null;
  needsReview: boolean;
  quota: any;
  blockers: Array<{ rule: string; message: string }>;
};
type HostPlan = { host: string; fields: FieldPlan[] };

let keyCounter = 0;
const nextKey = () => `sync-${Date.now()}-${++keyCounter}`;

describe('listing sync against the four sandboxes', () => {
  let gw: TestGateway;
  let key: string;
  let icons: Server;
  let iconBase: string;
  const served = new Map<string, Buffer>();

  beforeAll(async () => {
    // Icons come from a loopback server: the test allows private addresses, production does not.
    icons = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/webp', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => icons.listen(0, '127.0.0.1', r));
    iconBase = `http://127.0.0.1:${(icons.address() as { port: number }).port}`;
    gw = await startTestGateway({ ...FAST_PUBLISHING, ICON_FETCH_ALLOW_PRIVATE: 'true' });
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((r) => icons.close(r));
  });

  const plan = async (miniProgramId: string, hosts: string[], fields?: string[]) =>
    ok(await gw.gql(PLAN, { m: miniProgramId, h: hosts, f: fields ?? null }, key)).planListingSync.hosts as HostPlan[];
  const fieldOf = (plans: HostPlan[], host: string, field: string) => plans.find((p) => p.host === host)!.fields.find((f) => f.field === field)!;
  const runOf = async (id: string) => ok(await gw.gql(RUN, { id }, key)).listingSyncRun as { settled: boolean; steps: Step[] };
  const settledRun = (id: string) =>
    eventually(
      async () => {
        const run = await runOf(id);
        if (!run.settled) throw new Error(`not settled: ${JSON.stringify(run.steps.map((s) => [s.host, s.field, s.state]))}`);
        return run;
      },
      { timeoutMs: 30_000, intervalMs: 150 },
    );
  const rename = async (program: { id: string }, name: string) => {
    const current = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { revision } }`, { id: program.id }, key)).miniProgram;
    ok(
      await gw.gql(
        `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { revision } }`,
        { i: { id: program.id, revision: current.revision, name } },
        key,
      ),
    );
  };

  it('plans a renamed definition with its cost, syncs it to four hosts, and the WeChat name review passes', async () => {
    const program = await createProgram(gw, key, { name: 'CornerBun', icon: null });
    const bindings = await bindSandboxApps(gw, key, program.id);

    const first = await plan(program.id, HOSTS, ['NAME']);
    for (const host of HOSTS) {
      const f = fieldOf(first, host, 'NAME');
      expect(f).toMatchObject({ action: 'CHANGE', comparison: 'DIFFERENT', desired: 'CornerBun', blockers: [] });
      expect(f.current).toBe((await gw.sandboxes!.basicInfo(host as never, bindings[host].hostAppId)).state.name);
    }
    // WeChat: a name review and one of 2 name changes a year, as its adapter declares.
    expect(fieldOf(first, 'WECHAT', 'NAME')).toMatchObject({ needsReview: true, quota: { limit: 2, window: 'YEAR', usedByGateway: 0 } });
    expect(fieldOf(first, 'ALIPAY', 'NAME')).toMatchObject({ needsReview: false, quota: null });

    const run = ok(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: HOSTS, fields: ['NAME'], idempotencyKey: nextKey() } }, key)).syncListing;
    expect(run.steps.map((s: Step) => [s.host, s.field, s.state])).toEqual(HOSTS.map((h) => [h, 'NAME', 'PENDING']));
    const done = await settledRun(run.id);
    expect(done.steps.map((s) => [s.state, s.lastError])).toEqual(HOSTS.map(() => ['APPLIED', null]));
    for (const host of HOSTS) expect((await gw.sandboxes!.basicInfo(host as never, bindings[host].hostAppId)).state.name).toBe('CornerBun');
    const wechatStep = done.steps.find((s) => s.host === 'WECHAT')!;
    expect(wechatStep.evidence.response).toBeTruthy();

    // Renamed: the plan shows the old name on the host, the new one wanted, and the quota the first change used.
    await rename(program, 'CornerBun2');
    const second = await plan(program.id, HOSTS, ['NAME']);
    expect(fieldOf(second, 'WECHAT', 'NAME')).toMatchObject({
      action: 'CHANGE',
      current: 'CornerBun',
      desired: 'CornerBun2',
      quota: { limit: 2, usedByGateway: 1 },
    });
    expect(fieldOf(second, 'BAIDU', 'NAME')).toMatchObject({ action: 'CHANGE', current: 'CornerBun' });
    const again = ok(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: HOSTS, fields: ['NAME'], idempotencyKey: nextKey() } }, key)).syncListing;
    const twice = await settledRun(again.id);
    expect(twice.steps.map((s) => s.state)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);
    const reviews = (await gw.sandboxes!.basicInfo('WECHAT', bindings.WECHAT.hostAppId)).reviews.filter((r) => r.field === 'name');
    expect(reviews.map((r) => r.status)).toEqual(['APPROVED', 'APPROVED']);

    // The events tell each field's path on each host.
    const events = await eventsOf(gw, key, program.id);
    const wechat = events.filter((e) => e.host === 'WECHAT' && String(e.type).startsWith('BASIC_INFO')).map((e) => e.type);
    expect(wechat.filter((t) => t === 'BASIC_INFO_REQUESTED')).toHaveLength(2);
    expect(wechat.filter((t) => t === 'BASIC_INFO_APPLIED')).toHaveLength(2);

    // Third rename: WeChat's 2 changes this year are used; the plan refuses it and syncListing makes no change call.
    await rename(program, 'CornerBun3');
    const third = await plan(program.id, ['WECHAT'], ['NAME']);
    const blocked = fieldOf(third, 'WECHAT', 'NAME');
    expect(blocked.action).toBe('BLOCKED');
    expect(blocked.blockers.map((b) => b.rule)).toContain('quotaExhausted');
    await gw.sandboxes!.clearCalls('WECHAT');
    const refused = errorOf(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['WECHAT'], fields: ['NAME'], idempotencyKey: nextKey() } }, key));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.violations).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'fields.0', rule: 'quotaExhausted' })]));
    const calls = await gw.sandboxes!.calls('WECHAT');
    expect(calls.filter((c) => c.path === '/wxa/setnickname')).toEqual([]);
    expect((await gw.sandboxes!.basicInfo('WECHAT', bindings.WECHAT.hostAppId)).state.name).toBe('CornerBun2');
  });

  it('keeps the WeChat name review rejection with its reason', async () => {
    const program = await createProgram(gw, key, { name: 'RejectedBakery', icon: null });
    const bindings = await bindSandboxApps(gw, key, program.id, ['WECHAT']);
    await gw.sandboxes!.setBasicInfoReviewPolicy('WECHAT', bindings.WECHAT.hostAppId, {
      decision: 'reject',
      reason: 'the name infringes a registered trademark',
    });
    const run = ok(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['WECHAT'], fields: ['NAME'], idempotencyKey: nextKey() } }, key)).syncListing;
    const done = await settledRun(run.id);
    expect(done.steps[0]).toMatchObject({ host: 'WECHAT', field: 'NAME', state: 'REJECTED', reviewReason: 'the name infringes a registered trademark' });
    const events = await eventsOf(gw, key, program.id);
    expect(events.filter((e) => e.type === 'BASIC_INFO_REJECTED').map((e) => e.evidence.reason)).toEqual(['the name infringes a registered trademark']);
    expect((await gw.sandboxes!.basicInfo('WECHAT', bindings.WECHAT.hostAppId)).state.name).not.toBe('RejectedBakery');
  });

  it('catches a change made on the host side as drift, shown on the binding and as an event', async () => {
    const program = await createProgram(gw, key, { name: 'DriftBakery', icon: null });
    const bindings = await bindSandboxApps(gw, key, program.id, ['ALIPAY']);
    const run = ok(
      await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['ALIPAY'], fields: ['NAME', 'DESCRIPTION'], idempotencyKey: nextKey() } }, key),
    ).syncListing;
    await settledRun(run.id);
    const bindingQuery = `query($id: ID!) { miniProgram(id: $id) { bindings { host basicInfoDrift basicInfoSyncedAt basicInfoDriftDetail { field expected actual } } } }`;
    await eventually(async () => {
      const b = ok(await gw.gql(bindingQuery, { id: program.id }, key)).miniProgram.bindings[0];
      expect(b.basicInfoSyncedAt).not.toBeNull();
      expect(b.basicInfoDrift).toBe(false);
    });
    await gw.sandboxes!.changeBasicInfoOnHost('ALIPAY', bindings.ALIPAY.hostAppId, { name: 'RenamedInConsole' });
    const detectedAt = await eventually(
      async () => {
        const b = ok(await gw.gql(bindingQuery, { id: program.id }, key)).miniProgram.bindings[0];
        expect(b.basicInfoDrift).toBe(true);
        expect(b.basicInfoDriftDetail).toEqual([{ field: 'name', expected: 'DriftBakery', actual: 'RenamedInConsole' }]);
        return b.basicInfoSyncedAt as string;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    // A later read-back that sees the same difference says nothing new.
    await eventually(
      async () => {
        const b = ok(await gw.gql(bindingQuery, { id: program.id }, key)).miniProgram.bindings[0];
        expect(Date.parse(b.basicInfoSyncedAt)).toBeGreaterThan(Date.parse(detectedAt));
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const drift = (await eventsOf(gw, key, program.id)).filter((e) => e.type === 'DRIFT_DETECTED');
    expect(drift).toHaveLength(1);
    expect(drift[0].evidence).toMatchObject({ part: 'basicInfo', fields: [{ field: 'name', actual: 'RenamedInConsole' }] });
    // The plan now shows the difference again.
    expect(fieldOf(await plan(program.id, ['ALIPAY'], ['NAME']), 'ALIPAY', 'NAME')).toMatchObject({ action: 'CHANGE', current: 'RenamedInConsole' });
  });

  it('fetches the icon, checks its sha256, converts it for each host and uploads it; a mismatch is refused before any call', async () => {
    const webp = await sharp({ create: { width: 192, height: 192, channels: 3, background: '#c05020' } })
      .webp()
      .toBuffer();
    served.set('/good.webp', webp);
    const sha = createHash('sha256').update(webp).digest('hex');
    const program = await createProgram(gw, key, { name: 'IconBakery', icon: { url: `${iconBase}/good.webp`, sha256: sha, width: 192, height: 192 } });
    const bindings = await bindSandboxApps(gw, key, program.id);
    const planned = await plan(program.id, HOSTS, ['ICON']);
    for (const host of HOSTS) expect(fieldOf(planned, host, 'ICON')).toMatchObject({ action: 'CHANGE', comparison: 'UNKNOWN' });
    const run = ok(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: HOSTS, fields: ['ICON'], idempotencyKey: nextKey() } }, key)).syncListing;
    const done = await settledRun(run.id);
    expect(done.steps.map((s) => s.state)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);
    for (const s of done.steps) expect(s.evidence.icon).toMatchObject({ fetchedType: 'image/webp', uploadedType: 'image/png', converted: true });
    for (const host of HOSTS) {
      const icon = (await gw.sandboxes!.basicInfo(host, bindings[host].hostAppId)).state.icon;
      expect(icon.contentType).toBe('image/png');
      expect(icon.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // Once read back, the plan sees the icon in step.
    await eventually(async () => {
      const p = await plan(program.id, HOSTS, ['ICON']);
      for (const host of HOSTS) expect(fieldOf(p, host, 'ICON')).toMatchObject({ action: 'UNCHANGED', comparison: 'SAME' });
    });

    // A new icon whose served bytes do not match the declared sha256: refused in the plan and by syncListing, no upload.
    served.set('/bad.webp', Buffer.concat([webp, Buffer.from([0])]));
    const declared = createHash('sha256').update('the icon the definition means').digest('hex');
    const current = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { revision } }`, { id: program.id }, key)).miniProgram;
    ok(
      await gw.gql(
        `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { revision } }`,
        { i: { id: program.id, revision: current.revision, icon: { url: `${iconBase}/bad.webp`, sha256: declared, width: 192, height: 192 } } },
        key,
      ),
    );
    const mismatch = fieldOf(await plan(program.id, ['WECHAT'], ['ICON']), 'WECHAT', 'ICON');
    expect(mismatch.action).toBe('BLOCKED');
    expect(mismatch.blockers.map((b) => b.rule)).toEqual(['iconChecksumMismatch']);
    await gw.sandboxes!.clearCalls('WECHAT');
    const refused = errorOf(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['WECHAT'], fields: ['ICON'], idempotencyKey: nextKey() } }, key));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.violations).toEqual([expect.objectContaining({ field: 'fields.0', rule: 'iconChecksumMismatch' })]);
    expect((await gw.sandboxes!.calls('WECHAT')).filter((c) => /media\/upload|modifyheadimage/.test(c.path))).toEqual([]);
  });

  it('refuses a field a host cannot change by API, or a value its listing rules refuse, naming the host and the field, before any call', async () => {
    const program = await createProgram(gw, key, { name: 'CatBakery', icon: null });
    await bindSandboxApps(gw, key, program.id, ['BAIDU', 'WECHAT']);
    const planned = await plan(program.id, ['BAIDU', 'WECHAT'], ['CATEGORY', 'SLOGAN']);
    expect(fieldOf(planned, 'BAIDU', 'CATEGORY')).toMatchObject({ action: 'NOT_OFFERED', blockers: [expect.objectContaining({ rule: 'fieldNotChangeable' })] });
    expect(fieldOf(planned, 'WECHAT', 'SLOGAN')).toMatchObject({ action: 'NOT_OFFERED' });
    // Other tests' read-backs may reach Baidu meanwhile: only change calls are counted.
    await gw.sandboxes!.clearCalls('BAIDU');
    const refused = errorOf(
      await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['BAIDU'], fields: ['NAME', 'CATEGORY'], idempotencyKey: nextKey() } }, key),
    );
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.violations).toEqual([expect.objectContaining({ field: 'fields.1', rule: 'fieldNotChangeable' })]);
    expect(refused.violations[0].message).toContain('BAIDU cannot change category');

    // A name Baidu's listing rules refuse (at most 10 characters) is blocked in the plan and refused.
    await rename(program, 'CategoryBakeryDeluxe');
    expect(fieldOf(await plan(program.id, ['BAIDU', 'WECHAT'], ['NAME']), 'BAIDU', 'NAME')).toMatchObject({
      action: 'BLOCKED',
      blockers: [{ rule: 'maxLength', message: 'name must be at most 10 characters, got 20' }],
    });
    const tooLong = errorOf(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['BAIDU'], fields: ['NAME'], idempotencyKey: nextKey() } }, key));
    expect(tooLong.code).toBe('BAD_USER_INPUT');
    expect(tooLong.violations).toEqual([{ field: 'fields.0', rule: 'maxLength', message: 'BAIDU: name must be at most 10 characters, got 20' }]);
    expect(
      (await gw.sandboxes!.calls('BAIDU')).filter((c) => /setnickname|modifysignature|modifyheadimage|upload\/image|category\/update/.test(c.path)),
    ).toEqual([]);
  });

  it('makes each change once on hosts that fail, hang up after acting, or answer 5xx', async () => {
    const program = await createProgram(gw, key, { name: 'FaultyBun', icon: null });
    const hosts = ['BAIDU', 'BYTEDANCE'] as const;
    const bindings = await bindSandboxApps(gw, key, program.id, [...hosts]);
    try {
      const run = ok(
        await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts, fields: ['NAME', 'DESCRIPTION'], idempotencyKey: nextKey() } }, key),
      ).syncListing;
      // The plan reads the hosts in the request (a failing read answers SERVICE_UNAVAILABLE); the faults hit the workers' calls.
      for (const h of hosts) await gw.sandboxes!.setFaults(h, { serverErrorRate: 0.15, resetAfterActRate: 0.3 });
      const done = await eventually(
        async () => {
          const r = await runOf(run.id);
          if (!r.settled) throw new Error(`not settled: ${JSON.stringify(r.steps.map((s) => [s.host, s.field, s.state]))}`);
          return r;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(done.steps.map((s) => [s.host, s.field, s.state])).toEqual(
        hosts.flatMap((h) => [
          [h, 'NAME', 'APPLIED'],
          [h, 'DESCRIPTION', 'APPLIED'],
        ]),
      );
      // The hosts saw each change once: one review per field, whatever answers were lost.
      for (const h of hosts) {
        const reviews = (await gw.sandboxes!.basicInfo(h, bindings[h].hostAppId)).reviews;
        expect(reviews.map((r) => r.field).sort()).toEqual(['description', 'name']);
      }
    } finally {
      for (const h of hosts) await gw.sandboxes!.setFaults(h, { reset: true });
    }
  });

  it('replays a request with its idempotency key and refuses the key with another input', async () => {
    const program = await createProgram(gw, key, { name: 'ReplayBun', icon: null });
    await bindSandboxApps(gw, key, program.id, ['BYTEDANCE']);
    const k = nextKey();
    const input = { miniProgramId: program.id, hosts: ['BYTEDANCE'], fields: ['NAME'], idempotencyKey: k };
    const a = ok(await gw.gql(SYNC, { i: input }, key)).syncListing;
    const b = ok(await gw.gql(SYNC, { i: input }, key)).syncListing;
    expect(b.id).toBe(a.id);
    const other = errorOf(await gw.gql(SYNC, { i: { ...input, fields: ['DESCRIPTION'] } }, key));
    expect(other).toMatchObject({ code: 'CONFLICT', violations: [expect.objectContaining({ field: 'idempotencyKey', rule: 'idempotencyKeyReused' })] });
    const done = await settledRun(a.id);
    expect(done.steps).toHaveLength(1);
    expect(done.steps[0].state).toBe('APPLIED');
  });
});

describe('listing sync review outcomes by push', () => {
  let gw: TestGateway;
  let key: string;

  // Polls are 60 s apart here: an outcome seen within seconds came from the host's push.
  beforeAll(async () => {
    gw = await startTestGateway({ ...FAST_PUBLISHING, SYNC_POLL_MIN_MS: '60000', SYNC_POLL_MAX_MS: '120000', SYNC_SWEEP_INTERVAL_MS: '60000' });
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  it('ends a held WeChat name review as soon as the host pushes its outcome', async () => {
    const program = await createProgram(gw, key, { name: 'PushedBun', icon: null });
    const bindings = await bindSandboxApps(gw, key, program.id, ['WECHAT']);
    await gw.sandboxes!.setBasicInfoReviewPolicy('WECHAT', bindings.WECHAT.hostAppId, { decision: 'hold' });
    const run = ok(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['WECHAT'], fields: ['NAME'], idempotencyKey: nextKey() } }, key)).syncListing;
    const status = async () => (ok(await gw.gql(RUN, { id: run.id }, key)).listingSyncRun as { steps: Step[] }).steps[0];
    await eventually(async () => expect((await status()).state).toBe('IN_REVIEW'), { timeoutMs: 10_000 });
    // While the host reviews it, another sync of the name is refused by the plan.
    const busy = errorOf(await gw.gql(SYNC, { i: { miniProgramId: program.id, hosts: ['WECHAT'], fields: ['NAME'], idempotencyKey: nextKey() } }, key));
    expect(busy).toMatchObject({ code: 'CONFLICT', violations: [expect.objectContaining({ field: 'fields.0', rule: 'reviewInProgress' })] });
    await gw.sandboxes!.decideBasicInfoReview('WECHAT', bindings.WECHAT.hostAppId, 'name', { decision: 'reject', reason: 'the name is too generic' });
    await eventually(async () => expect(await status()).toMatchObject({ state: 'REJECTED', reviewReason: 'the name is too generic' }), { timeoutMs: 10_000 });
  });
});
