import pg from 'pg';
import { eventually } from '../adapters/core/conformance/eventually.js';
import { createScratchDatabase, type ScratchDatabase } from '../src/database/scratch-database.js';
import { defineChannel } from '../src/events/notification-channel.js';
import { NotificationListener } from '../src/events/notification-listener.js';

const CHANGED = defineChannel<{ id: string }>('test_thing_changed', (p) => {
  const id = (p as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new Error('expected { id }');
  return { id };
});

// The listener on a real PostgreSQL: typed delivery, transactions, reconnection.
describe('NotificationListener', () => {
  let database: ScratchDatabase;
  let sender: pg.Client;
  const listeners: NotificationListener[] = [];

  const newListener = async () => {
    const listener = new NotificationListener({ connectionString: database.url, heartbeatMs: 50, reconnectMinMs: 20 });
    listeners.push(listener);
    return listener;
  };

  beforeAll(async () => {
    database = await createScratchDatabase(process.env.TEST_PG_SERVER_URL!, 'gw_e2e_notify');
    sender = new pg.Client({ connectionString: database.url });
    await sender.connect();
  });
  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.stop()));
    await sender?.end();
    await database?.drop();
  });

  it('delivers each payload to every subscriber of its channel, parsed, and skips malformed ones', async () => {
    const a = await newListener();
    const b = await newListener();
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.listen(CHANGED, ({ id }) => seenA.push(id));
    b.listen(CHANGED, ({ id }) => seenB.push(id));
    await Promise.all([a.start(), b.start()]);
    expect(a.isLive(1000)).toBe(true);

    await sender.query(`SELECT pg_notify('test_thing_changed', 'not json')`);
    await sender.query(`SELECT pg_notify('test_thing_changed', '{"other": 1}')`);
    await a.notify(CHANGED, { id: 'one' }, sender);
    await eventually(() => {
      expect(seenA).toEqual(['one']);
      expect(seenB).toEqual(['one']);
    });
  });

  it('delivers what a transaction sends only when it commits', async () => {
    const listener = await newListener();
    const seen: string[] = [];
    listener.listen(CHANGED, ({ id }) => seen.push(id));
    await listener.start();
    await sender.query('BEGIN');
    await listener.notify(CHANGED, { id: 'rolled back' }, sender);
    await sender.query('ROLLBACK');
    await sender.query('BEGIN');
    await listener.notify(CHANGED, { id: 'committed' }, sender);
    expect(seen).toEqual([]);
    await sender.query('COMMIT');
    await eventually(() => expect(seen).toEqual(['committed']));
  });

  it('reconnects when its connection is cut, announces the gap, and delivers again', async () => {
    const listener = await newListener();
    const seen: string[] = [];
    let gaps = 0;
    listener.listen(CHANGED, ({ id }) => seen.push(id));
    listener.onGap(() => gaps++);
    await listener.start();
    expect(gaps).toBe(1);

    await sender.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gateway-notifications'`,
    );
    await eventually(() => {
      expect(gaps).toBe(2);
      expect(listener.isLive(1000)).toBe(true);
    });
    await listener.notify(CHANGED, { id: 'after reconnect' }, sender);
    await eventually(() => expect(seen).toEqual(['after reconnect']));
  });

  it('refuses a payload PostgreSQL would refuse', async () => {
    const listener = await newListener();
    await expect(listener.notify(CHANGED, { id: 'x'.repeat(8000) }, sender)).rejects.toThrow('too large');
  });
});
