import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readRequestBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Holds a call for `ms` like a hung host, but lets go as soon as the caller gives up, so no
 * timer outlives the connection (a stopped sandbox must not keep the process alive). Resolves
 * true when the caller is gone and nothing should be answered.
 */
export async function hangUnlessAbandoned(res: ServerResponse, ms: number): Promise<boolean> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return res.destroyed || res.writableEnded;
}
