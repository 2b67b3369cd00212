import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxFaultSwitches } from './fault-switches.js';
import { hangUnlessAbandoned, readRequestBody } from './http-helpers.js';
import { PushSender } from './push-sender.js';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A loopback server; `handle` answers each request. Returns its URL. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<string> {
  // A handler that throws loses its connection, as in the sandboxes.
  server = createServer((req, res) => void Promise.resolve(handle(req, res)).catch((err: Error) => res.destroy(err)));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('SandboxFaultSwitches', () => {
  it('answers an armed native code for a matching path or gateway method, as many times as asked', () => {
    const f = new SandboxFaultSwitches();
    f.failNext({ path: 'alipay.open.mini.version.audit.apply', nativeCode: '40004', times: 2 });
    f.failNext({ path: /^\/wxa\//, nativeCode: '85009' });
    expect(f.takeFailure('/other')).toBeNull();
    expect(f.takeFailure('/gateway.do', 'alipay.open.mini.version.audit.apply')).toBe('40004');
    expect(f.takeFailure('/wxa/submit_audit')).toBe('85009');
    expect(f.takeFailure('/wxa/submit_audit')).toBeNull();
    expect(f.takeFailure('/gateway.do', 'alipay.open.mini.version.audit.apply')).toBe('40004');
    expect(f.takeFailure('/gateway.do', 'alipay.open.mini.version.audit.apply')).toBeNull();
  });

  it('answers an armed raw answer for a matching path, with defaults, once unless asked for more', () => {
    const f = new SandboxFaultSwitches();
    f.answerNext({ path: '/wxa/release', body: '<html>502</html>' });
    f.answerNext({ path: /gateway/, status: 200, contentType: 'text/plain', body: 'busy', times: 2 });
    expect(f.takeRawAnswer('/other')).toBeNull();
    expect(f.takeRawAnswer('/wxa/release')).toEqual({ status: 200, contentType: 'text/html; charset=utf-8', body: '<html>502</html>' });
    expect(f.takeRawAnswer('/wxa/release')).toBeNull();
    expect(f.takeRawAnswer('/gateway.do')?.body).toBe('busy');
    f.reset();
    expect(f.takeRawAnswer('/gateway.do')).toBeNull();
  });

  it('expires tokens through the sandbox and resets every switch', () => {
    let expired = 0;
    const f = new SandboxFaultSwitches(() => expired++);
    Object.assign(f, { serverErrorRate: 1, timeoutRate: 1, hangMs: 5, duplicatePushes: true, pushDelayMs: 9, reorderPushes: true });
    f.failNext({ nativeCode: '1' });
    f.expireTokens();
    expect([expired, f.shouldHang(), f.shouldFailWith503()]).toEqual([1, true, true]);
    f.reset();
    expect([f.shouldHang(), f.shouldFailWith503(), f.takeFailure('/x'), f.duplicatePushes, f.pushDelayMs, f.reorderPushes]).toEqual([
      false,
      false,
      null,
      false,
      0,
      false,
    ]);
  });
});

describe('hangUnlessAbandoned', () => {
  it('lets go as soon as the caller gives up, and says so', async () => {
    // The caller gives up once the server holds its request: no wall-clock window decides the order.
    // (The hang's promise travels in an object: a promise resolved with a promise would wait for it.)
    let hung: (h: { abandoned: Promise<boolean> }) => void = () => undefined;
    const hanging = new Promise<{ abandoned: Promise<boolean> }>((r) => (hung = r));
    const url = await serve((req, res) => hung({ abandoned: hangUnlessAbandoned(res, 600_000) }));
    const caller = new AbortController();
    const call = fetch(url, { signal: caller.signal });
    const { abandoned } = await hanging;
    caller.abort();
    await expect(call).rejects.toThrow();
    await expect(abandoned).resolves.toBe(true);
  });

  it('answers after the hang when the caller waits, with the body read', async () => {
    const url = await serve(async (req, res) => {
      const body = await readRequestBody(req);
      if (!(await hangUnlessAbandoned(res, 20))) res.end(`late ${body}`);
    });
    expect(await (await fetch(url, { method: 'POST', body: 'ping' })).text()).toBe('late ping');
  });
});

describe('PushSender', () => {
  it('sends duplicates, and delayed pushes newest first when reordered; a built push is built again', async () => {
    const got: string[] = [];
    const url = await serve(async (req, res) => {
      got.push(`${new URL(req.url!, 'http://x').searchParams.get('n')}:${await readRequestBody(req)}`);
      res.end('success');
    });
    const faults = { duplicatePushes: true, pushDelayMs: 0, reorderPushes: false };
    const sender = new PushSender(faults);
    let builds = 0;
    sender.enqueue(url, () => ({ body: `built${++builds}`, contentType: 'text/plain', query: { n: '1' } }));
    await sender.settle();
    expect(got).toEqual(['1:built1', '1:built2']);

    Object.assign(faults, { duplicatePushes: false, pushDelayMs: 50, reorderPushes: true });
    sender.enqueue(url, { body: 'a', contentType: 'text/plain' });
    sender.enqueue(url, { body: 'b', contentType: 'text/plain' });
    sender.enqueue(null, { body: 'nowhere', contentType: 'text/plain' });
    expect(got).toHaveLength(2);
    await sender.settle();
    expect(got.slice(2)).toEqual(['null:b', 'null:a']);
    expect(sender.deliveries.map((d) => [d.status, d.reply])).toEqual(Array(4).fill([200, 'success']));
  });

  it('holds pushes until released, then sends them newest first when reordered; settle does not wait for held ones', async () => {
    const got: string[] = [];
    const url = await serve(async (req, res) => {
      got.push(await readRequestBody(req));
      res.end('success');
    });
    const sender = new PushSender({ duplicatePushes: false, pushDelayMs: 0, reorderPushes: true });
    sender.hold();
    sender.enqueue(url, { body: 'first', contentType: 'text/plain' });
    sender.enqueue(url, { body: 'second', contentType: 'text/plain' });
    await sender.settle();
    expect([got, sender.waiting]).toEqual([[], 2]);
    sender.release();
    await sender.settle();
    expect([got, sender.waiting]).toEqual([['second', 'first'], 0]);
    sender.enqueue(url, { body: 'after', contentType: 'text/plain' });
    await sender.settle();
    expect(got.at(-1)).toBe('after');
  });

  it('keeps a failed delivery with its error, and stop drops what is still waiting', async () => {
    const sender = new PushSender({ duplicatePushes: false, pushDelayMs: 0, reorderPushes: false });
    sender.enqueue('http://127.0.0.1:9/none', { body: 'x', contentType: 'text/plain' });
    await sender.settle();
    expect(sender.deliveries[0]).toMatchObject({ status: null, reply: null, error: expect.any(String) });

    const delayed = new PushSender({ duplicatePushes: false, pushDelayMs: 10_000, reorderPushes: false });
    delayed.enqueue('http://127.0.0.1:9/none', { body: 'x', contentType: 'text/plain' });
    delayed.stop();
    await delayed.settle();
    expect(delayed.deliveries).toEqual([]);
  });
});
