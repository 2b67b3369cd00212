import { PgBoss } from 'pg-boss';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { createProgram, errorOf, newOrganization } from './support/fixtures.js';
import { captureLogs } from './support/log-capture.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('logs', () => {
  let gw: TestGateway;
  const logs = captureLogs();

  beforeAll(async () => {
    gw = await startTestGateway({ LOG_LEVEL: 'debug' }, { logTo: logs.stream });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('say which migrations ran at start', () => {
    const line = logs.lines.find((l) => Array.isArray(l.applied));
    expect(line).toMatchObject({ level: 30, applied: expect.arrayContaining([expect.stringMatching(/^CreateTenantsAndCatalog\d+$/)]) });
    expect(line!.msg).toMatch(/^applied \d+ migration\(s\): CreateTenantsAndCatalog/);
  });

  it('give each client error one info line without a stack, and nothing at error level', async () => {
    const org = await newOrganization(gw, ['CATALOG_READ']);
    const before = logs.lines.length;
    const codes = [
      errorOf(await gw.gql('{ miniProgram(id: "00000000-0000-4000-8000-000000000000") { id } }', {}, org.key)).code,
      errorOf(await gw.gql('mutation { createMiniProgram(input: { slug: "x", name: "n", description: "d", category: "life.food" }) { id } }', {}, org.key))
        .code,
      errorOf(await gw.gql('{ miniProgram(id: "nope") { id } }', {}, org.key)).code,
      errorOf(await gw.gql('{ viewer { isOperator } }', {}, 'wrong-key')).code,
      errorOf(await gw.gql('{ viewer { nope } }', {}, org.key)).code,
    ];
    expect(codes).toEqual(['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED']);
    const lines = logs.lines.slice(before);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    const clientLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('client error'));
    expect(clientLines.map((l) => [l.level, l.code])).toEqual(codes.map((c) => [30, c]));
    expect(JSON.stringify(clientLines)).not.toMatch(/stack|trace|at .*\.js:\d+/);
  });

  it('say when a job fails, with its queue, its data and the error, at error level', async () => {
    // A job no handler can run: the binding id is not a uuid, so its read-back query fails.
    const boss = new PgBoss({ connectionString: gw.databaseUrl, supervise: false, schedule: false });
    await boss.start();
    try {
      await boss.send('binding-sync', { bindingId: 'not-a-binding' });
    } finally {
      await boss.stop({ graceful: false });
    }
    const line = await eventually(
      async () => {
        const found = logs.lines.find((l) => typeof l.msg === 'string' && l.msg.includes('on binding-sync {"bindingId":"not-a-binding"} failed'));
        expect(found).toBeDefined();
        return found!;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(line).toMatchObject({ level: 50, context: 'Jobs' });
    expect(line.msg).toMatch(/invalid input syntax for type uuid/);
  });

  it('never carry the API key a request sent', async () => {
    const org = await newOrganization(gw, ['ADMIN']);
    await createProgram(gw, org.key);
    expect(JSON.stringify(logs.lines)).not.toContain(org.key);
    expect(JSON.stringify(logs.lines)).not.toContain(gw.operatorKey);
  });
});
