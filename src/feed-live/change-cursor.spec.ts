import { GatewayError } from '../common/gateway-error.js';
import { decodeChangeCursor, encodeChangeCursor, isAfter } from './change-cursor.js';

describe('change cursors', () => {
  it('round-trip a position with 64-bit parts', () => {
    const p = { txId: 9_223_372_036_854_775_000n, seq: 42n };
    expect(decodeChangeCursor(encodeChangeCursor(p))).toEqual(p);
  });

  it.each(['', 'abc', Buffer.from('chg:1').toString('base64url'), Buffer.from('seq:5').toString('base64url'), Buffer.from('chg:-1:2').toString('base64url')])(
    'refuse %j naming the field',
    (text) => {
      let error: unknown;
      try {
        decodeChangeCursor(text, 'after');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).violations).toEqual([{ field: 'after', rule: 'isCursor', message: 'after is not a cursor returned by this API' }]);
    },
  );

  it('order by transaction, then sequence', () => {
    expect(isAfter({ txId: 2n, seq: 1n }, { txId: 1n, seq: 9n })).toBe(true);
    expect(isAfter({ txId: 1n, seq: 9n }, { txId: 2n, seq: 1n })).toBe(false);
    expect(isAfter({ txId: 1n, seq: 3n }, { txId: 1n, seq: 2n })).toBe(true);
    expect(isAfter({ txId: 1n, seq: 2n }, { txId: 1n, seq: 2n })).toBe(false);
  });
});
