import { jest } from '@jest/globals';
import { newOrganization, ok } from './support/fixtures.js';
import { LiveClient } from './support/live-client.js';
import { bindSandboxApps, eventsOf, eventually, FAST_PUBLISHING, publish, publishableProgram, stagesBecome } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

jest.setTimeout(120_000);

const CHANGED = `subscription { listingChanged { cursor node { seq listingId host type toStage } } }`;

/** A program of `org` (syndicated or not) published to WeChat and released. */
async function releasedProgram(gw: TestGateway, key: string, syndicated: boolean) {
  const { program, version } = await publishableProgram(gw, key);
  if (syndicated) {
    ok(
      await gw.gql(
        `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { id syndicated } }`,
        { i: { id: program.id, revision: program.revision, syndicated: true } },
        key,
      ),
    );
  }
  await bindSandboxApps(gw, key, program.id, ['WECHAT']);
  const run = ok(await publish(gw, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT'], release: 'AUTO' })).publish;
  await stagesBecome(gw, key, run.id, { WECHAT: 'RELEASED' });
  return program.id as string;
}

describe('partner keys on the live feed and webhooks', () => {
  let gw: TestGateway;
  let receiver: WebhookReceiver;
  let live: LiveClient | null = null;

  beforeAll(async () => {
    gw = await startTestGateway({ ...FAST_PUBLISHING, WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', SUBSCRIPTION_POLL_MS: '200' });
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await live?.close();
    await receiver?.stop();
    await gw?.close();
  });

  it('sees the release of a syndicated program, without evidence, and nothing of an unsyndicated one', async () => {
    const partner = ok(await gw.gql(`mutation { createPartner(input: { name: "Store" }) { id } }`)).createPartner;
    const partnerKey = ok(await gw.gql(`mutation($p: ID!) { createPartnerKey(input: { partnerId: $p, name: "feed" }) { plainKey } }`, { p: partner.id }))
      .createPartnerKey.plainKey as string;
    const created = ok(
      await gw.gql(
        `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }`,
        { i: { url: receiver.url } },
        partnerKey,
      ),
    ).createWebhookEndpoint;
    receiver.secret = created.secret;
    live = new LiveClient(gw.baseUrl, { authorization: `Bearer ${partnerKey}` });
    await live.acknowledged();
    live.subscribe('p', CHANGED);

    const org = await newOrganization(gw);
    const hidden = await releasedProgram(gw, org.key, false);
    const shown = await releasedProgram(gw, org.key, true);
    const released = (await eventsOf(gw, org.key, shown)).find((e) => e.toStage === 'RELEASED')!;

    await eventually(() => Promise.resolve(expect(receiver.accepted().map((b) => b.event.seq)).toContain(released.seq)), { timeoutMs: 30_000 });
    await live.until(() => live!.nexts('p').some((n) => n.data.listingChanged.node.seq === released.seq));
    const hooked = receiver.accepted().map((b) => b.event);
    expect(hooked.every((e) => e.miniProgramId === shown)).toBe(true);
    expect(hooked.some((e) => e.miniProgramId === hidden)).toBe(false);
    expect(hooked.every((e) => JSON.stringify(e.evidence) === '{}')).toBe(true);
    // The subscription's nodes are `changes` nodes, which carry no evidence at all.
    const streamed = live.nexts('p').map((n) => n.data.listingChanged.node);
    expect(streamed.every((e) => e.listingId === shown)).toBe(true);
    expect(streamed.some((e) => e.listingId === hidden)).toBe(false);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    // The partner's log is its own; the organization does not see the partner's endpoint.
    expect(ok(await gw.gql('{ webhookEndpoints { id } }', {}, partnerKey)).webhookEndpoints).toEqual([{ id: created.endpoint.id }]);
    expect(ok(await gw.gql('{ webhookEndpoints { id } }', {}, org.key)).webhookEndpoints).toEqual([]);
  });
});
