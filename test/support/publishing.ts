import { expect } from '@jest/globals';
import type { HostId } from '../../adapters/core/index.js';
import { SandboxControl } from '../../src/hosts/sandbox-control.js';
import { createProgram, ok } from './fixtures.js';
import type { TestGateway } from './test-gateway.js';

// Fields of the four hosts' credentials that are secret (app ids are not).
export const SECRET_FIELDS = [
  'componentAppSecret',
  'componentVerifyTicket',
  'authorizerRefreshToken',
  'privateKey',
  'appAuthToken',
  'ticket',
  'refreshToken',
  'componentTicket',
];

export const HOSTS: HostId[] = ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE'];

/** Settings that keep the publishing e2e suites quick: instant sandbox reviews, short polls and backoffs. */
export const FAST_PUBLISHING: Record<string, string> = {
  SANDBOX_REVIEW_DELAY_MS: '30',
  SYNC_POLL_MIN_MS: '100',
  SYNC_POLL_MAX_MS: '1000',
  WORKER_POLL_INTERVAL_MS: '500',
  RETRY_BASE_MS: '50',
  RETRY_MAX_MS: '1000',
  SYNC_SWEEP_INTERVAL_MS: '1000',
  QUOTA_RETRY_MS: '500',
  DRIFT_SETTLE_MS: '3000',
  HOST_TIMEOUT_MS: '1500',
};

/** Polls `check` until it passes or the deadline ends (never a fixed sleep). */
export async function eventually<T>(check: () => Promise<T>, { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A definition and a version every host accepts (icon, Baidu's short name, Alipay's template id and notes). */
export async function publishableProgram(gw: TestGateway, key: string, version = '1.0.0') {
  const program = await createProgram(gw, key, { name: 'Bakery', shortName: 'Bakery', servicePhone: '010-12345678' });
  const created = await createPublishableVersion(gw, key, program.id, version);
  return { program, version: created };
}

export async function createPublishableVersion(gw: TestGateway, key: string, miniProgramId: string, version: string) {
  const res = await gw.gql(
    `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id version } }`,
    {
      i: {
        miniProgramId,
        version,
        releaseNotes: `Release ${version}: fresh bread ordering, pickup slots and a new cake menu for everyone`,
        artifact: { template: { templateId: '12', extJson: { theme: 'light' }, hostTemplateIds: [{ host: 'ALIPAY', templateId: '2021000000000012' }] } },
      },
    },
    key,
  );
  return ok(res).createVersion as { id: string; version: string };
}

/** Makes a sandbox app on each host (optionally with a review policy) and binds it. */
export async function bindSandboxApps(gw: TestGateway, key: string, miniProgramId: string, hosts: HostId[] = HOSTS) {
  const bindings: Record<string, { id: string; hostAppId: string; credentials: Record<string, string> }> = {};
  for (const host of hosts) {
    const app = ok(await gw.gql(`mutation($h: Host!) { createSandboxApp(host: $h) { hostAppId credentials } }`, { h: host }, key)).createSandboxApp;
    const bound = ok(
      await gw.gql(
        `mutation($i: ConnectHostInput!) { connectHost(input: $i) { id hostAppId } }`,
        { i: { miniProgramId, host, hostAppId: app.hostAppId, credentials: app.credentials } },
        key,
      ),
    ).connectHost;
    bindings[host] = { ...bound, credentials: app.credentials };
  }
  return bindings;
}

export const SUBMISSION_FIELDS = `id host version stage nativeStatus rejectionReason screenshots attempts nextAttemptAt pendingAction { op grayPercentage } note
  hostIds { name value } lastError { kind nativeCode nativeMessage requestId operation }`;
export const RUN_FIELDS = `id version hosts release grayPercentage idempotencyKey cancelledAt
  progress { total released gray inReview inProgress waitingForYou failed settled } submissions { ${SUBMISSION_FIELDS} }`;

export async function publish(gw: TestGateway, key: string, input: Record<string, unknown>) {
  return gw.gql(`mutation($i: PublishInput!) { publish(input: $i) { ${RUN_FIELDS} } }`, { i: input }, key);
}

export async function runOf(gw: TestGateway, key: string, id: string) {
  return ok(await gw.gql(`query($id: ID!) { publishRun(id: $id) { ${RUN_FIELDS} } }`, { id }, key)).publishRun;
}

type Sub = { host: string; stage: string };
/** Waits until every submission of the run is in the stage `want` names for its host. */
export async function stagesBecome(gw: TestGateway, key: string, runId: string, want: Record<string, string>, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const run = await runOf(gw, key, runId);
      const stages = Object.fromEntries((run.submissions as Sub[]).map((s) => [s.host, s.stage]));
      try {
        expect(stages).toEqual(want);
      } catch (err) {
        // The message carries each submission's evidence (attempts, last error, next attempt).
        throw new Error(`${(err as Error).message}\nsubmissions: ${JSON.stringify(run.submissions, null, 1)}`, { cause: err });
      }
      return run;
    },
    { timeoutMs, intervalMs: 150 },
  );
}

export async function eventsOf(gw: TestGateway, key: string, miniProgramId: string) {
  const all: Array<Record<string, any>> = [];
  let after: string | null = null;
  for (;;) {
    const page: any = ok(
      await gw.gql(
        `query($id: ID!, $after: String) { miniProgram(id: $id) { events(first: 200, after: $after) { edges { cursor node { seq host type fromStage toStage submissionId nativeStatus evidence } } pageInfo { hasNextPage endCursor } } } }`,
        { id: miniProgramId, after },
        key,
      ),
    ).miniProgram.events;
    all.push(...page.edges.map((e: { node: unknown }) => e.node));
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}

/** The sandboxes' admin route of a gateway started in sandbox mode. */
export function sandboxOf(adminUrl: string): SandboxControl {
  return new SandboxControl(adminUrl);
}
