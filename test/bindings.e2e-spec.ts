import pg from 'pg';
import { createProgram, errorOf, newOrganization, ok } from './support/fixtures.js';
import { SECRET_FIELDS } from './support/publishing.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const HOSTS = ['WECHAT', 'ALIPAY', 'BAIDU', 'BYTEDANCE'] as const;
const BINDING_FIELDS = 'id host hostAppId liveVersion grayVersion grayPercentage visibility lastSyncedAt drift lastError { kind } connectedAt disconnectedAt';

describe('host bindings (sandbox mode)', () => {
  let gw: TestGateway;
  let key: string;

  beforeAll(async () => {
    gw = await startTestGateway();
    key = (await newOrganization(gw, ['ADMIN'])).key;
  });
  afterAll(() => gw.close());

  const sandboxApp = async (host: string) =>
    ok(await gw.gql(`mutation($h: Host!) { createSandboxApp(host: $h) { host hostAppId credentials } }`, { h: host }, key)).createSandboxApp as {
      hostAppId: string;
      credentials: Record<string, string>;
    };
  const connect = (miniProgramId: string, host: string, hostAppId: string, credentials: unknown) =>
    gw.gql(`mutation($i: ConnectHostInput!) { connectHost(input: $i) { ${BINDING_FIELDS} } }`, { i: { miniProgramId, host, hostAppId, credentials } }, key);

  it('binds four sandbox apps, stores the credentials sealed, and never answers them back', async () => {
    const program = await createProgram(gw, key);
    const apps = await Promise.all(HOSTS.map(sandboxApp));
    const answers = [];
    for (const [i, host] of HOSTS.entries()) answers.push(await connect(program.id, host, apps[i].hostAppId, apps[i].credentials));
    const bindings = answers.map((a) => ok(a).connectHost);
    expect(bindings.map((b) => [b.host, b.hostAppId, b.drift, b.visibility, b.disconnectedAt])).toEqual(
      HOSTS.map((h, i) => [h, apps[i].hostAppId, false, 'UNKNOWN', null]),
    );
    const listed = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { bindings { ${BINDING_FIELDS} } } }`, { id: program.id }, key));
    expect(listed.miniProgram.bindings.map((b: { host: string }) => b.host).sort()).toEqual([...HOSTS].sort());

    // No secret value of any app shows in an answer or in the stored rows.
    const secrets = apps.flatMap((a) => SECRET_FIELDS.map((f) => a.credentials[f]).filter((v) => typeof v === 'string'));
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const answered = JSON.stringify([answers.map((a) => a.data), listed]);
    const db = new pg.Client({ connectionString: gw.databaseUrl });
    await db.connect();
    try {
      const rows = JSON.stringify((await db.query('SELECT * FROM host_bindings')).rows) + JSON.stringify((await db.query('SELECT * FROM host_tokens')).rows);
      for (const secret of secrets) {
        expect(answered).not.toContain(secret);
        expect(rows).not.toContain(secret);
      }
      // The probe's tokens went to the shared store, sealed.
      expect((await db.query('SELECT count(*)::int AS n FROM host_tokens')).rows[0].n).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  });

  it('refuses credentials field by field, and credentials the host refuses, saving nothing', async () => {
    const program = await createProgram(gw, key);
    const app = await sandboxApp('WECHAT');
    const bad = errorOf(await connect(program.id, 'WECHAT', app.hostAppId, { ...app.credentials, authorizerAppId: 'nope', componentAppSecret: '' }));
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.violations.map((v: { field: string }) => v.field).sort()).toEqual(['credentials.authorizerAppId', 'credentials.componentAppSecret']);
    // The platform token is cached from earlier binds; the app's own refresh token is checked by the host.
    const refused = errorOf(await connect(program.id, 'WECHAT', app.hostAppId, { ...app.credentials, authorizerRefreshToken: 'refreshtoken@@@not-issued' }));
    expect(refused.code).toBe('BAD_USER_INPUT');
    expect(refused.violations).toEqual([expect.objectContaining({ field: 'credentials', rule: 'hostRefusedCredentials' })]);
    expect(JSON.stringify(refused)).not.toContain('not-issued');
    const listed = ok(await gw.gql(`query($id: ID!) { miniProgram(id: $id) { bindings { id } } }`, { id: program.id }, key));
    expect(listed.miniProgram.bindings).toEqual([]);
  });

  it('allows one active binding per mini-program and host, and per host app', async () => {
    const [p1, p2] = [await createProgram(gw, key), await createProgram(gw, key)];
    const app = await sandboxApp('BAIDU');
    ok(await connect(p1.id, 'BAIDU', app.hostAppId, app.credentials));
    expect(errorOf(await connect(p2.id, 'BAIDU', app.hostAppId, app.credentials)).code).toBe('CONFLICT');
    const other = await sandboxApp('BAIDU');
    expect(errorOf(await connect(p1.id, 'BAIDU', other.hostAppId, other.credentials)).code).toBe('CONFLICT');
  });

  it('needs the publish scope to bind', async () => {
    const reader = await newOrganization(gw, ['CATALOG_READ']);
    const res = await gw.gql(`mutation { createSandboxApp(host: ALIPAY) { hostAppId } }`, {}, reader.key);
    expect(errorOf(res).code).toBe('FORBIDDEN');
  });
});

describe('createSandboxApp outside sandbox mode', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ HOSTS_MODE: 'off' });
  });
  afterAll(() => gw.close());

  it('is refused with a clear error', async () => {
    const { key } = await newOrganization(gw, ['PUBLISH']);
    const err = errorOf(await gw.gql(`mutation { createSandboxApp(host: WECHAT) { hostAppId } }`, {}, key));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toContain('HOSTS_MODE=sandbox');
  });
});
