import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createRootLogger, PinoNestLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').trim().split('\n'));
      done();
    },
  });
  return { stream, lines: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('root logger', () => {
  it('logs a database error with its SQL and code but never its parameters or the detail line', () => {
    const out = capture();
    const logger = createRootLogger('info', out.stream);
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "uq_keys_hash"'), {
      code: '23505',
      constraint: 'uq_keys_hash',
      detail: 'Key (key_hash)=(hash-of-a-secret-key) already exists.',
      parameters: ['hash-of-a-secret-key'],
    });
    const err = new QueryFailedError('INSERT INTO "api_keys"("key_hash", "name") VALUES ($1, $2)', ['hash-of-a-secret-key', 'private name'], driverError);
    logger.error({ err }, 'unexpected error');
    const [line] = out.lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain('hash-of-a-secret-key');
    expect(text).not.toContain('private name');
    expect(line.err).toMatchObject({ type: 'QueryFailedError', query: expect.stringContaining('INSERT INTO "api_keys"'), driverError: { code: '23505' } });
    expect(line.err.stack).toContain('QueryFailedError');
  });

  it('gives Nest errors logged as Error objects a stack through the same serializer', () => {
    const out = capture();
    new PinoNestLogger(createRootLogger('info', out.stream)).error(new QueryFailedError('SELECT $1', ['secret-param'], new Error('boom')));
    const [line] = out.lines();
    expect(line.level).toBe(50);
    expect(JSON.stringify(line)).not.toContain('secret-param');
    expect(line.err.message).toBe('boom');
  });

  it('redacts the Authorization header', () => {
    const out = capture();
    createRootLogger('info', out.stream).info({ req: { headers: { authorization: 'Bearer sk_live_secret' } } }, 'request');
    expect(JSON.stringify(out.lines())).not.toContain('sk_live_secret');
  });
});
