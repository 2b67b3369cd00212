import { GatewayError } from '../gateway-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor', () => {
  it('round-trips the sort key to the millisecond', () => {
    const key = { createdAt: new Date('2026-11-24T10:11:12.345Z'), id: '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it('refuses anything it did not make, naming the field', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11';
    const bad = [
      '',
      'abc',
      b64([1, 2]),
      b64(['x', 'y']),
      // the right shape, but a uuid PostgreSQL refuses, or dates out of its range or rolled over
      b64(['2026-11-24T10:11:12.345Z', '------------------------------------']),
      b64(['2026-11-24T10:11:12.345Z', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']),
      b64(['-100000-01-01T00:00:00.000Z', id]),
      b64(['+275760-09-13T00:00:00.000Z', id]),
      b64(['2026-02-30T00:00:00.000Z', id]),
      b64(['0000-01-01T00:00:00.000Z', id]),
      b64(['2026-11-24', id]),
      b64(['2026-11-24T10:11:12.345Z', id, 'extra']),
      b64({ 0: '2026-11-24T10:11:12.345Z', 1: id }),
    ];
    expect.assertions(bad.length * 2);
    for (const cursor of bad) {
      try {
        decodeCursor(cursor);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).violations).toEqual([{ field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' }]);
      }
    }
  });
});
