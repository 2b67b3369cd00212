import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { fetchCheckedIcon, fetchIcon } from './icon-fetcher.js';

describe('fetchIcon', () => {
  let server: Server;
  let base: string;
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/icon.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (req.url === '/big') return void res.writeHead(200).end(Buffer.alloc(5000));
      if (req.url === '/moved') return void res.writeHead(302, { location: '/icon.png' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(png), 2_000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  const allowed = { maxBytes: 1024, timeoutMs: 500, allowPrivate: true };

  it('fetches the bytes and their sha256', async () => {
    const got = await fetchIcon(`${base}/icon.png`, allowed);
    expect(got).toEqual({ bytes: png, contentType: 'image/png', sha256: createHash('sha256').update(png).digest('hex') });
  });

  it('refuses loopback unless allowed, other schemes, redirects, size and time overruns', async () => {
    await expect(fetchIcon(`${base}/icon.png`, { ...allowed, allowPrivate: false })).rejects.toMatchObject({ rule: 'iconAddressRefused' });
    await expect(fetchIcon(`http://localhost:${new URL(base).port}/icon.png`, { ...allowed, allowPrivate: false })).rejects.toMatchObject({
      rule: 'iconAddressRefused',
    });
    await expect(fetchIcon('file:///etc/passwd', allowed)).rejects.toMatchObject({ rule: 'iconUrlScheme' });
    await expect(fetchIcon(`${base}/moved`, allowed)).rejects.toMatchObject({
      rule: 'iconFetchFailed',
      message: expect.stringContaining('redirects are not followed'),
    });
    await expect(fetchIcon(`${base}/big`, allowed)).rejects.toMatchObject({ rule: 'iconTooLarge' });
    await expect(fetchIcon(`${base}/slow`, allowed)).rejects.toMatchObject({ rule: 'iconFetchFailed' });
  });

  it('refuses bytes that do not match the declared sha256', async () => {
    await expect(fetchCheckedIcon({ url: `${base}/icon.png`, sha256: 'b'.repeat(64) }, allowed)).rejects.toMatchObject({ rule: 'iconChecksumMismatch' });
  });
});
