import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../common/gateway-error.js';
import { decodeChangeCursor, encodeChangeCursor, isAfter, START } from './change-cursor.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const MAX = 9_223_372_036_854_775_807n;

/** The error decoding `cursor` as argument `field` throws (fails the test when it throws none). */
function refusal(cursor: string, field = 'after'): GatewayError {
  let error: unknown = null;
  try {
    decodeChangeCursor(cursor, field);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('change cursors', () => {
  it('round-trip positions up to the bigint range, opaque and URL-safe', () => {
    for (const p of [START, { txId: 1n, seq: 2n }, { txId: MAX, seq: MAX }, { txId: 9_223_372_036_854_775_000n, seq: 42n }]) {
      const cursor = encodeChangeCursor(p);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeChangeCursor(cursor)).toEqual(p);
    }
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'chg:1:2'],
    ['base64 with padding', `${b64('chg:1:22')}=`],
    ['standard base64 alphabet', Buffer.from('chg:1:2?>', 'utf8').toString('base64')],
    ['characters base64 decoding skips', `${b64('chg:1:2').slice(0, 4)}.${b64('chg:1:2').slice(4)}`],
    ['white space', ` ${b64('chg:1:2')}`],
    ['another cursor kind', b64('seq:12')],
    ['one part', b64('chg:1')],
    ['three parts', b64('chg:1:2:3')],
    ['a sign', b64('chg:-1:2')],
    ['a plus sign', b64('chg:+1:2')],
    ['leading zeros', b64('chg:01:2')],
    ['not digits', b64('chg:1:x')],
    ['unicode digits', b64('chg:１:2')],
    ['a NUL byte', b64('chg:1:2\u0000')],
    ['a trailing newline', b64('chg:1:2\n')],
    ['past the bigint range', b64('chg:9223372036854775808:1')],
    ['past 19 digits', b64('chg:1:99999999999999999999')],
    ['a very long text', 'A'.repeat(100_000)],
    ['SQL', b64("chg:1:2' OR 1=1 --")],
  ])('refuses %s, BAD_USER_INPUT naming the argument', (_what, cursor) => {
    const error = refusal(cursor, 'after');
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.violations).toEqual([{ field: 'after', rule: 'isCursor', message: 'after is not a change cursor returned by this API' }]);
  });

  it('names the argument it was given', () => {
    expect(refusal('nope', 'from').violations).toEqual([{ field: 'from', rule: 'isCursor', message: 'from is not a change cursor returned by this API' }]);
  });

  it('orders by transaction, then sequence', () => {
    expect(isAfter({ txId: 2n, seq: 1n }, { txId: 1n, seq: 9n })).toBe(true);
    expect(isAfter({ txId: 1n, seq: 9n }, { txId: 2n, seq: 1n })).toBe(false);
    expect(isAfter({ txId: 1n, seq: 3n }, { txId: 1n, seq: 2n })).toBe(true);
    expect(isAfter({ txId: 1n, seq: 2n }, { txId: 1n, seq: 2n })).toBe(false);
  });
});
