import { jest } from '@jest/globals';
import { errorOf, newOrganization, ok } from './support/fixtures.js';
import { bindSandboxApps, eventsOf, eventually, FAST_PUBLISHING, publish, publishableProgram } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

jest.setTimeout(180_000);

const ENDPOINT = 'id url description enabled disabledAt disabledReason consecutiveFailures filter { hosts types miniProgramIds }';
const DELIVERY = 'id endpointId eventSeq miniProgramId status attempts nextAttemptAt lastAttemptAt responseCode latencyMs lastError redeliveryOf completedAt';

async function createEndpoint(gw: TestGateway, key: string, input: Record<string, unknown>) {
  return gw.gql(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { ${ENDPOINT} } } }`, { i: input }, key);
}

async function deliveriesOf(gw: TestGateway, key: string, endpointId: string) {
  const page = ok(await gw.gql(`query($e: ID!) { webhookDeliveries(endpointId: $e, first: 100) { edges { node { ${DELIVERY} } } } }`, { e: endpointId }, key));
  return page.webhookDeliveries.edges.map((e: { node: any }) => e.node) as Array<Record<string, any>>;
}

/** Publishes a new program to `hosts`; sandbox reviews hold, so its events stop at IN_REVIEW. */
async function programWithEvents(gw: TestGateway, key: string, hosts: string[]) {
  const { program, version } = await publishableProgram(gw, key);
  await bindSandboxApps(gw, key, program.id, hosts as never);
  ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts, release: 'MANUAL' }));
  return program.id as string;
}

/**
 * Waits until each of the program's `hosts` is IN_REVIEW (where held reviews stop it) and the
 * receiver accepted every event of `programId` (as the API lists them), returns them. Waiting for
 * one host only could return while another host's events were still coming.
 */
async function allDelivered(gw: TestGateway, key: string, receiver: WebhookReceiver, programId: string, hosts: number, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const events = await eventsOf(gw, key, programId);
      expect(new Set(events.filter((e) => e.toStage === 'IN_REVIEW').map((e) => e.host)).size).toBe(hosts);
      const got = receiver.accepted().filter((b) => b.event.miniProgramId === programId);
      expect(got.map((b) => b.event.seq).sort((a, b) => Number(a) - Number(b))).toEqual(events.map((e) => e.seq));
      return { events, got };
    },
    { timeoutMs, intervalMs: 300 },
  );
}

// The feed's order, which deliveries follow: (writing transaction, sequence), read from each
// body's cursor. Two transactions writing events of one mini-program at once (two hosts' workers)
// can take their sequence numbers in the other order; `changes` then lists them in this one too.
const feedPosition = (b: { cursor: string }) => {
  const [, tx, seq] = Buffer.from(b.cursor, 'base64url').toString('utf8').split(':');
  return [BigInt(tx), BigInt(seq)] as const;
};
const byFeedOrder = (a: { cursor: string }, b: { cursor: string }) => {
  const [x, y] = [feedPosition(a), feedPosition(b)];
  return x[0] === y[0] ? (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) : x[0] < y[0] ? -1 : 1;
};
const inOrder = (bodies: Array<{ cursor: string }>) => bodies.every((b, i) => i === 0 || byFeedOrder(bodies[i - 1], b) < 0);

describe('webhooks', () => {
  let gw: TestGateway;
  let strict: TestGateway;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    gw = await startTestGateway({
      ...FAST_PUBLISHING,
      SANDBOX_REVIEW_OUTCOME: 'hold',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '400',
      WEBHOOK_DISABLE_AFTER_FAILURES: '6',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    // The same database under the default policy: private addresses refused (no workers).
    strict = await startTestGateway({ WORKERS: 'false' }, { sameDatabaseAs: gw });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await strict?.close();
    await gw?.close();
  });

  it('refuses non-http(s) URLs and, by default, every loopback, private or link-local address, naming the field and rule', async () => {
    const org = await newOrganization(strict);
    const cases: Array<[string, string]> = [
      ['ftp://files.example.com/in', 'httpUrl'],
      ['javascript:alert(1)', 'httpUrl'],
      ['not a url', 'isUrl'],
      ['https://user:pw@example.com/in', 'noCredentials'],
      ['http://127.0.0.1:8080/in', 'publicAddress'],
      ['http://localhost:8080/in', 'publicAddress'],
      ['http://[::1]/in', 'publicAddress'],
      ['http://[::ffff:127.0.0.1]/in', 'publicAddress'],
      ['http://10.1.2.3/in', 'publicAddress'],
      ['http://192.168.0.10/in', 'publicAddress'],
      ['http://169.254.169.254/latest/meta-data', 'publicAddress'],
      ['http://[fd00::1]/in', 'publicAddress'],
      ['http://0x7f000001/in', 'publicAddress'],
    ];
    for (const [url, rule] of cases) {
      const error = errorOf(await createEndpoint(strict, org.key, { url }));
      expect({ url, code: error.code, violations: error.violations.map((v: { field: string; rule: string }) => [v.field, v.rule]) }).toEqual({
        url,
        code: 'BAD_USER_INPUT',
        violations: [['url', rule]],
      });
    }
    const loop = errorOf(await createEndpoint(strict, org.key, { url: 'http://[::ffff:127.0.0.1]/in' }));
    expect(loop.message).toMatch(/a loopback address; webhooks go to public addresses only/);
    expect(ok(await strict.gql('{ webhookEndpoints { id } }', {}, org.key)).webhookEndpoints).toEqual([]);
  });

  it('posts every event signed, as the independent receiver verifies, and logs each delivery', async () => {
    const r = await receiver();
    const org = await newOrganization(gw);
    const created = ok(await createEndpoint(gw, org.key, { url: r.url, description: 'all events' })).createWebhookEndpoint;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    r.secret = created.secret;
    const programId = await programWithEvents(gw, org.key, ['WECHAT']);
    const { events, got } = await allDelivered(gw, org.key, r, programId, 1);
    expect(r.received.every((x) => x.signatureValid)).toBe(true);
    expect(inOrder(got)).toBe(true);
    const first = r.received[0];
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-gateway-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got[0].event).toMatchObject({ seq: events[0].seq, host: 'WECHAT', type: 'STAGE_CHANGED', fromStage: null, toStage: 'PENDING' });

    const log = await deliveriesOf(gw, org.key, created.endpoint.id);
    expect(log).toHaveLength(events.length);
    for (const d of log) expect(d).toMatchObject({ status: 'SUCCEEDED', attempts: 1, responseCode: 200, lastError: null, nextAttemptAt: null });
    expect(log.every((d) => typeof d.latencyMs === 'number' && d.latencyMs >= 0 && d.completedAt)).toBe(true);
    // Another organization sees neither the endpoint nor its log.
    const other = await newOrganization(gw);
    expect(ok(await gw.gql('{ webhookEndpoints { id } }', {}, other.key)).webhookEndpoints).toEqual([]);
    expect(await deliveriesOf(gw, other.key, created.endpoint.id)).toEqual([]);
  });

  it('retries a failing delivery with backoff and holds back later events of the same mini-program until it is through', async () => {
    const r = await receiver();
    const org = await newOrganization(gw);
    const created = ok(await createEndpoint(gw, org.key, { url: r.url, secret: 'a-secret-of-our-own-choosing-123' })).createWebhookEndpoint;
    expect(created.secret).toBe('a-secret-of-our-own-choosing-123');
    r.secret = created.secret;
    // The first three requests fail.
    r.respond = ({ index }) => (index < 3 ? 503 : 200);
    const programId = await programWithEvents(gw, org.key, ['WECHAT', 'ALIPAY']);
    const { events, got } = await allDelivered(gw, org.key, r, programId, 2);
    // Accepted strictly in feed order: nothing later got through while the first was failing.
    const feedOrder = [...got].sort(byFeedOrder);
    expect(got.map((b) => b.event.seq)).toEqual(feedOrder.map((b) => b.event.seq));
    expect(got.map((b) => b.event.seq).sort((a, b) => Number(a) - Number(b))).toEqual(events.map((e) => e.seq));
    const first = feedOrder[0].event.seq;
    expect(r.received.slice(0, 4).map((x) => [x.answered, JSON.parse(x.raw).event.seq])).toEqual([
      [503, first],
      [503, first],
      [503, first],
      [200, first],
    ]);
    // Backoff: the gaps between attempts of the first delivery grow.
    const times = r.received.slice(0, 4).map((x) => x.at);
    expect(times[3] - times[2]).toBeGreaterThanOrEqual(50);
    const log = await deliveriesOf(gw, org.key, created.endpoint.id);
    const firstDelivery = log.find((d) => d.eventSeq === first)!;
    expect(firstDelivery).toMatchObject({ status: 'SUCCEEDED', attempts: 4, responseCode: 200, lastError: null });
    const endpoint = ok(await gw.gql(`{ webhookEndpoints { ${ENDPOINT} } }`, {}, org.key)).webhookEndpoints[0];
    expect(endpoint).toMatchObject({ enabled: true, consecutiveFailures: 0 });

    // Manual redelivery: the same body again, as a new delivery naming the first.
    const again = ok(await gw.gql(`mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { ${DELIVERY} } }`, { d: firstDelivery.id }, org.key)).redeliverWebhook;
    expect(again).toMatchObject({ redeliveryOf: firstDelivery.id, eventSeq: first, status: 'PENDING' });
    await eventually(async () =>
      expect((await deliveriesOf(gw, org.key, created.endpoint.id)).find((d) => d.id === again.id)).toMatchObject({ status: 'SUCCEEDED' }),
    );
    const bodies = r.received.filter((x) => x.answered === 200 && JSON.parse(x.raw).event.seq === first);
    expect(bodies).toHaveLength(2);
    expect(bodies[0].raw).toBe(bodies[1].raw);
    expect(bodies[1].headers['x-gateway-delivery']).toBe(again.id);
    // A pending delivery, or someone else's, cannot be redelivered.
    const other = await newOrganization(gw);
    expect(errorOf(await gw.gql(`mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { id } }`, { d: firstDelivery.id }, other.key)).code).toBe('NOT_FOUND');
  });

  it('filters events by host', async () => {
    const r = await receiver();
    const org = await newOrganization(gw);
    const created = ok(await createEndpoint(gw, org.key, { url: r.url, filter: { hosts: ['ALIPAY'], types: ['STAGE_CHANGED'] } })).createWebhookEndpoint;
    expect(created.endpoint.filter).toEqual({ hosts: ['ALIPAY'], types: ['STAGE_CHANGED'], miniProgramIds: null });
    r.secret = created.secret;
    const programId = await programWithEvents(gw, org.key, ['WECHAT', 'ALIPAY']);
    await eventually(
      async () => {
        const events = (await eventsOf(gw, org.key, programId)).filter((e) => e.host === 'ALIPAY' && e.type === 'STAGE_CHANGED');
        expect(events.some((e) => e.toStage === 'IN_REVIEW')).toBe(true);
        expect(r.accepted().map((b) => b.event.seq)).toEqual(events.map((e) => e.seq));
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(r.accepted().every((b) => b.event.host === 'ALIPAY')).toBe(true);
  });
});

describe('webhooks that keep failing', () => {
  let gw: TestGateway;
  let r: WebhookReceiver;

  beforeAll(async () => {
    gw = await startTestGateway({
      ...FAST_PUBLISHING,
      SANDBOX_REVIEW_OUTCOME: 'hold',
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      // Attempts at least 300 ms apart within a 1 s window: at most 4 before a delivery is given up,
      // so the endpoint is disabled (at 5 in a row) only after a later delivery was tried.
      WEBHOOK_RETRY_BASE_MS: '600',
      WEBHOOK_RETRY_MAX_MS: '600',
      WEBHOOK_RETRY_WINDOW_MS: '1000',
      WEBHOOK_DISABLE_AFTER_FAILURES: '5',
    });
    r = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await r?.stop();
    await gw?.close();
  });

  it('gives a delivery up after the retry window, moves on to the next, disables the endpoint with its reason, and resumes in order once enabled', async () => {
    const org = await newOrganization(gw);
    const created = ok(await createEndpoint(gw, org.key, { url: r.url })).createWebhookEndpoint;
    r.secret = created.secret;
    r.respond = () => 500;
    const programId = await programWithEvents(gw, org.key, ['WECHAT']);
    const endpoint = await eventually(
      async () => {
        const e = ok(await gw.gql(`{ webhookEndpoints { ${ENDPOINT} } }`, {}, org.key)).webhookEndpoints[0];
        expect(e.enabled).toBe(false);
        return e;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(endpoint.disabledReason).toMatch(
      /^Disabled after 5 failed attempts in a row \(WEBHOOK_DISABLE_AFTER_FAILURES\); the last, delivery [0-9a-f-]{36} at .*: HTTP 500: receiver says no \(500\)$/,
    );
    expect(endpoint.disabledAt).not.toBeNull();
    const log = await deliveriesOf(gw, org.key, created.endpoint.id);
    const events = await eventsOf(gw, org.key, programId);
    const bySeq = (seq: string) => log.find((d) => d.eventSeq === seq)!;
    // The first event's delivery was given up within the window; the second was tried after it.
    expect(bySeq(events[0].seq)).toMatchObject({ status: 'FAILED', responseCode: 500, lastError: 'HTTP 500: receiver says no (500)', nextAttemptAt: null });
    expect(bySeq(events[0].seq).completedAt).not.toBeNull();
    expect(bySeq(events[1].seq).attempts).toBeGreaterThan(0);
    const attempted = r.received.map((x) => JSON.parse(x.raw).event.seq as string);
    expect(attempted.indexOf(events[1].seq)).toBeGreaterThan(attempted.lastIndexOf(events[0].seq));
    // Nothing is sent while disabled.
    const sentWhileDisabled = r.received.length;

    r.respond = () => 200;
    const enabled = ok(
      await gw.gql(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { ${ENDPOINT} } }`, { id: created.endpoint.id }, org.key),
    ).enableWebhookEndpoint;
    expect(enabled).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
    expect(r.received.length).toBe(sentWhileDisabled);
    await eventually(
      async () => {
        const now = await deliveriesOf(gw, org.key, created.endpoint.id);
        const all = await eventsOf(gw, org.key, programId);
        expect(all.some((e) => e.toStage === 'IN_REVIEW')).toBe(true);
        expect(now.filter((d) => d.status === 'PENDING')).toEqual([]);
        expect(now.length).toBe(all.length);
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    const acceptedBodies = r.accepted();
    expect(inOrder(acceptedBodies)).toBe(true);
    const accepted = acceptedBodies.map((b) => b.event.seq);
    expect(accepted).not.toContain(events[0].seq);
    expect(r.received.every((x) => x.signatureValid)).toBe(true);
  });
});
