import { GatewayError } from '../gateway-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor', () => {
  it('round-trips the sort key to the millisecond', () => {
    const key = { createdAt: new Date('2026-11-24T10:11:12.345Z'), id: '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it('refuses anything it did not make, naming the field', () => {
    for (const bad of ['', 'abc', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","y"]').toString('base64url')]) {
      try {
        decodeCursor(bad);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).violations).toEqual([{ field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' }]);
      }
    }
  });
});
