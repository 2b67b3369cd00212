import pg from 'pg';
import { createProgram, createVersion, errorOf, newOrganization, ok, templateVersion } from './support/fixtures.js';
import { startTestGateway, type GraphQLResult, type TestGateway } from './support/test-gateway.js';

// Two writers on the same row at once. The catalog's writes lock the row they check
// (`SELECT ... FOR UPDATE`) so the second writer sees what the first one wrote. To make the race
// certain rather than likely, the test holds a FOR SHARE lock on the row (it blocks writes and
// FOR UPDATE, not plain reads), starts both writers, waits until both are blocked inside
// PostgreSQL, then lets go. Without the row lock both writers read the old row before either
// writes, and both report success: a lost update, or a delete answered twice.
const UPDATE = `mutation($i: UpdateMiniProgramInput!) { updateMiniProgram(input: $i) { name revision } }`;
const ARCHIVE = `mutation($i: ArchiveMiniProgramInput!) { archiveMiniProgram(input: $i) { archived revision } }`;
const GET = `query($id: ID!) { miniProgram(id: $id) { name archived revision } }`;
const UPDATE_VERSION = `mutation($i: UpdateVersionInput!) { updateVersion(input: $i) { id releaseNotes } }`;
const DELETE_VERSION = `mutation($id: ID!) { deleteVersion(id: $id) { id } }`;
const GET_VERSION = `query($id: ID!) { version(id: $id) { id releaseNotes } }`;
const CREATE_VERSION = `mutation($i: CreateVersionInput!) { createVersion(input: $i) { id version } }`;
const VERSIONS = `query($id: ID!) { miniProgram(id: $id) { archived versions(first: 10) { totalCount } } }`;

/** A FOR SHARE lock on one row (or, given `lockSql`, that lock), held on its own connection until `release`. */
async function holdRow(gw: TestGateway, table: 'mini_programs' | 'versions', id: string, lockSql = `SELECT 1 FROM ${table} WHERE id = $1 FOR SHARE`) {
  const client = new pg.Client({ connectionString: gw.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(lockSql, lockSql.includes('$1') ? [id] : []);
  return {
    /** Resolves once `n` other sessions of this database wait on a lock. */
    async waiters(n: number): Promise<void> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        // A transaction sees one snapshot of pg_stat_activity unless it asks for a new one.
        await client.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'`,
        );
        if (rows[0].n >= n) return;
        if (Date.now() > deadline) throw new Error(`${rows[0].n} of ${n} writers blocked after 20 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async release(): Promise<void> {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Starts each writer in turn, waiting until it is blocked before starting the next (so they queue in order). */
async function race<T>(gw: TestGateway, table: 'mini_programs' | 'versions', id: string, writers: Array<() => Promise<T>>): Promise<T[]> {
  const hold = await holdRow(gw, table, id);
  const answers: Array<Promise<T>> = [];
  try {
    for (const writer of writers) {
      answers.push(writer());
      await hold.waiters(answers.length);
    }
  } finally {
    await hold.release();
  }
  return Promise.all(answers);
}

describe('two writers on the same row', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('two updates of a mini-program at the same revision: one wins, the other gets CONFLICT', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE']);
    const program = await createProgram(gw, org.key);
    const [first, second] = await race(gw, 'mini_programs', program.id, [
      () => gw.gql(UPDATE, { i: { id: program.id, revision: 1, name: 'First writer' } }, org.key),
      () => gw.gql(UPDATE, { i: { id: program.id, revision: 1, name: 'Second writer' } }, org.key),
    ]);
    expect(ok(first).updateMiniProgram).toEqual({ name: 'First writer', revision: 2 });
    const conflict = errorOf(second);
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toContain('revision 2, not 1');
    expect(ok(await gw.gql(GET, { id: program.id }, org.key)).miniProgram).toEqual({ name: 'First writer', archived: false, revision: 2 });
  });

  it('an archive racing an update at the same revision: the update is refused, not lost', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE']);
    const program = await createProgram(gw, org.key);
    const [archived, update] = await race(gw, 'mini_programs', program.id, [
      () => gw.gql(ARCHIVE, { i: { id: program.id, revision: 1 } }, org.key),
      () => gw.gql(UPDATE, { i: { id: program.id, revision: 1, name: 'Renamed while archiving' } }, org.key),
    ]);
    expect(ok(archived).archiveMiniProgram).toEqual({ archived: true, revision: 2 });
    expect(errorOf(update).code).toBe('CONFLICT');
    expect(ok(await gw.gql(GET, { id: program.id }, org.key)).miniProgram).toEqual({ name: program.name, archived: true, revision: 2 });
  });

  it('two deletes of one version: one deletes it, the other answers NOT_FOUND', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE']);
    const program = await createProgram(gw, org.key);
    const version = await createVersion(gw, org.key, program.id, '1.0.0');
    const [first, second] = await race(gw, 'versions', version.id, [
      () => gw.gql(DELETE_VERSION, { id: version.id }, org.key),
      () => gw.gql(DELETE_VERSION, { id: version.id }, org.key),
    ]);
    expect(ok(first).deleteVersion).toEqual({ id: version.id });
    expect(errorOf(second).code).toBe('NOT_FOUND');
    expect(errorOf(await gw.gql(GET_VERSION, { id: version.id }, org.key)).code).toBe('NOT_FOUND');
  });

  it('an update of a version being deleted answers NOT_FOUND, not a change to a row that is gone', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE']);
    const program = await createProgram(gw, org.key);
    const version = await createVersion(gw, org.key, program.id, '1.0.0');
    const [deleted, update] = await race(gw, 'versions', version.id, [
      () => gw.gql(DELETE_VERSION, { id: version.id }, org.key),
      () => gw.gql(UPDATE_VERSION, { i: { id: version.id, releaseNotes: 'Edited while deleted' } }, org.key),
    ]);
    expect(ok(deleted).deleteVersion).toEqual({ id: version.id });
    expect(errorOf(update).code).toBe('NOT_FOUND');
    expect(errorOf(await gw.gql(GET_VERSION, { id: version.id }, org.key)).code).toBe('NOT_FOUND');
  });

  it('an archive waits for a version being added: no version is written after the archive answered', async () => {
    const org = await newOrganization(gw, ['CATALOG_WRITE']);
    const program = await createProgram(gw, org.key);
    // Inserts into versions wait (SHARE conflicts with ROW EXCLUSIVE); reads of the program do not.
    const hold = await holdRow(gw, 'versions', program.id, 'LOCK TABLE versions IN SHARE MODE');
    const answered: string[] = [];
    let create: Promise<GraphQLResult<Record<string, any>>> | undefined;
    let archive: Promise<GraphQLResult<Record<string, any>>> | undefined;
    try {
      create = gw.gql(CREATE_VERSION, { i: { miniProgramId: program.id, ...templateVersion('1.0.0') } }, org.key).then((r) => {
        answered.push('create');
        return r;
      });
      await hold.waiters(1);
      archive = gw.gql(ARCHIVE, { i: { id: program.id, revision: 1 } }, org.key).then((r) => {
        answered.push('archive');
        return r;
      });
      // The archive either waits behind the version's transaction or (without the program lock) answers at once.
      await Promise.race([hold.waiters(2), archive]);
      expect(answered).toEqual([]);
    } finally {
      await hold.release();
    }
    const [created, archived] = await Promise.all([create, archive]);
    expect(ok(created).createVersion).toMatchObject({ version: '1.0.0' });
    expect(ok(archived).archiveMiniProgram).toEqual({ archived: true, revision: 2 });
    expect(answered).toEqual(['create', 'archive']);
    expect(ok(await gw.gql(VERSIONS, { id: program.id }, org.key)).miniProgram).toEqual({ archived: true, versions: { totalCount: 1 } });
    // Once archived, no version is added.
    expect(errorOf(await gw.gql(CREATE_VERSION, { i: { miniProgramId: program.id, ...templateVersion('1.1.0') } }, org.key)).code).toBe('CONFLICT');
  });
});
