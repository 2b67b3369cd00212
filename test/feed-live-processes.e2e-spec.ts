import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database.js';
import { newOrganization, ok } from './support/fixtures.js';
import { LiveClient } from './support/live-client.js';
import { startGatewayProcess, type NodeProcess } from './support/processes.js';
import { bindSandboxApps, publish, publishableProgram } from './support/publishing.js';
import type { TestGateway } from './support/test-gateway.js';

jest.setTimeout(120_000);

function remote(baseUrl: string, operatorKey: string, databaseUrl: string): TestGateway {
  return {
    baseUrl,
    operatorKey,
    databaseUrl,
    sandboxes: null,
    async gql(query, variables = {}, key = operatorKey) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: any };
      return { status: res.status, data: body.data ?? null, errors: body.errors, headers: res.headers };
    },
    close: async () => undefined,
  };
}

const CHANGED = `subscription($after: String) { listingChanged(after: $after) { cursor node { listingId toStage } } }`;

describe('listingChanged across two gateway processes on one PostgreSQL', () => {
  const children: NodeProcess[] = [];
  const clients: LiveClient[] = [];
  let database: ScratchDatabase;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    database = await createScratchDatabase(process.env.TEST_PG_SERVER_URL!, 'gw_e2e_live');
    const operatorKey = `operator-${randomBytes(16).toString('hex')}`;
    // The subscriptions' poll is long (60 s): within the test only a notification can wake process B.
    const env = {
      DATABASE_URL: database.url,
      GATEWAY_ADMIN_KEY: operatorKey,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      WORKERS: 'false',
      DATABASE_POOL_SIZE: '4',
      NODE_ENV: 'test',
      SUBSCRIPTION_POLL_MS: '60000',
    };
    const ga = await startGatewayProcess(env);
    const gb = await startGatewayProcess({ ...env, MIGRATIONS_RUN: 'false' });
    children.push(ga.proc, gb.proc);
    a = remote(ga.baseUrl, operatorKey, database.url);
    b = remote(gb.baseUrl, operatorKey, database.url);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(children.map((c) => c.kill()));
    await database?.drop();
  });

  /** A new mini-program published through A (no workers): one PENDING event; its id. */
  const publishOne = async (key: string): Promise<string> => {
    const { program, version } = await publishableProgram(a, key);
    await bindSandboxApps(a, key, program.id, ['WECHAT']);
    ok(await publish(a, key, { miniProgramId: program.id, versionId: version.id, hosts: ['WECHAT'], release: 'MANUAL' }));
    return program.id as string;
  };

  it('delivers an event written through one process to a subscriber on the other, and resumes there from a cursor', async () => {
    const org = await newOrganization(a);
    const onB = new LiveClient(b.baseUrl, { authorization: `Bearer ${org.key}` });
    clients.push(onB);
    await onB.acknowledged();
    onB.subscribe('1', CHANGED);
    // Wait until B has the subscription before writing (it starts "from now"): probe with a
    // first event and wait for it, then write the rest.
    const programs: string[] = [];
    const writeOne = async () => programs.push(await publishOne(org.key));
    await writeOne();
    await onB.until(() => onB.nexts('1').length === 1, 30_000);
    await writeOne();
    await writeOne();
    await onB.until(() => onB.nexts('1').length === 3, 30_000);
    const seen = onB.nexts('1').map((p) => p.data.listingChanged);
    expect(seen.map((e: any) => e.node.listingId)).toEqual(programs);

    // A client that lost its connection to A reconnects to B with its last cursor.
    const onA = new LiveClient(a.baseUrl, { authorization: `Bearer ${org.key}` });
    clients.push(onA);
    await onA.acknowledged();
    onA.subscribe('a', CHANGED, { after: seen[0].cursor });
    await onA.until(() => onA.nexts('a').length === 2, 30_000);
    await onA.close();
    const lastOnA = onA.nexts('a').at(-1).data.listingChanged.cursor;
    await writeOne();
    const again = new LiveClient(b.baseUrl, { authorization: `Bearer ${org.key}` });
    clients.push(again);
    await again.acknowledged();
    again.subscribe('r', CHANGED, { after: lastOnA });
    await again.until(() => again.nexts('r').length === 1, 30_000);
    expect(again.nexts('r')[0].data.listingChanged.node.listingId).toBe(programs[3]);
    await onB.until(() => onB.nexts('1').length === 4, 30_000);
  });

  it('delivers an event an older unrelated transaction held back as soon as that one ends, which notifies nobody', async () => {
    const org = await newOrganization(a);
    const onB = new LiveClient(b.baseUrl, { authorization: `Bearer ${org.key}` });
    clients.push(onB);
    await onB.acknowledged();
    onB.subscribe('h', CHANGED);
    const writeOne = () => publishOne(org.key);
    await writeOne(); // B has the subscription once this one arrives
    await onB.until(() => onB.nexts('h').length === 1, 30_000);

    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()'); // older than the event below: holds it back
      const held = await writeOne(); // its notification wakes B, which finds the event held back
      await new Promise((r) => setTimeout(r, 1_000));
      expect(onB.nexts('h')).toHaveLength(1);
      await holder.query('COMMIT');
      // The poll is 60 s: only B looking again while events are held delivers it now.
      await onB.until(() => onB.nexts('h').length === 2, 15_000);
      expect(onB.nexts('h')[1].data.listingChanged.node.listingId).toBe(held);
    } finally {
      await holder.end();
    }
  });
});
