import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { createHttpTransport, HttpNetworkError, HttpTimeoutError } from './http.js';

let server: Server;
let base: string;
const agent = new Agent({ keepAliveTimeout: 1_000 });
const pending = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return; // never answers
      if (path === '/stall-body') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        return; // headers and a first chunk, then silence
      }
      if (path === '/slow') {
        const t = setTimeout(() => res.end('late'), 150);
        pending.add(t);
        return;
      }
      const echo = { method: req.method, url: req.url, auth: req.headers['x-auth'] ?? null, body: Buffer.concat(chunks).toString('utf8') };
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-ID': 'req-42', 'X-Multi': ['a', 'b'] }).end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of pending) clearTimeout(t);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await agent.close();
});

describe('createHttpTransport', () => {
  const http = createHttpTransport({ agent, defaultTimeoutMs: 1_000 });

  it('sends method, headers and body and returns status, lower-cased headers and the body', async () => {
    const res = await http({ method: 'POST', url: `${base}/echo?x=1`, headers: { 'X-Auth': 'abc' }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-multi']).toBe('a, b');
    expect(Object.keys(res.headers).filter((k) => k !== k.toLowerCase())).toEqual([]);
    expect(JSON.parse(res.text())).toEqual({ method: 'POST', url: '/echo?x=1', auth: 'abc', body: '{"a":1}' });
    expect(res.body.toString('utf8')).toBe(res.text());
  });

  it('answers within the deadline when the host is slow but in time', async () => {
    const res = await http({ method: 'GET', url: `${base}/slow`, timeoutMs: 30_000 });
    expect(res.text()).toBe('late');
  });

  // /hang and /stall-body never finish: only the transport's own deadline can end these calls.
  it('throws HttpTimeoutError at the deadline when no headers come', async () => {
    const error = await http({ method: 'GET', url: `${base}/hang?access_token=SECRET-TOKEN-123`, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    // The message names the origin only: a token in the query never reaches logs.
    expect((error as Error).message).toBe(`no answer from ${base} within 200 ms`);
  });

  it('throws HttpTimeoutError when the body stalls after the headers', async () => {
    const error = await http({ method: 'GET', url: `${base}/stall-body`, timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
  });

  it('uses the default deadline when the request names none', async () => {
    const quick = createHttpTransport({ agent, defaultTimeoutMs: 150 });
    await expect(quick({ method: 'GET', url: `${base}/hang` })).rejects.toMatchObject({ name: 'HttpTimeoutError', timeoutMs: 150 });
  });

  it('throws HttpNetworkError when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await http({ method: 'GET', url: `http://127.0.0.1:${port}/x?access_token=SECRET-TOKEN-123`, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpNetworkError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}: `));
    expect((error as Error).message).not.toContain('SECRET-TOKEN-123');
  });
});
