import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../common/gateway-error.js';
import { decodeChangeCursor, encodeChangeCursor } from './change-cursor.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('change cursors', () => {
  it('round-trip the transaction id and sequence, opaque and URL-safe', () => {
    const cursor = encodeChangeCursor({ txId: '9223372036854775807', seq: '42' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeChangeCursor(cursor)).toEqual({ txId: '9223372036854775807', seq: '42' });
  });

  it.each([['chg:1'], ['chg:1:2:3'], ['chg:-1:2'], ['chg:1:x'], ['seq:12'], ['chg:9223372036854775808:1'], ['chg:1:99999999999999999999'], ['']])(
    'refuses %j, naming the field',
    (text) => {
      expect.assertions(2);
      try {
        decodeChangeCursor(b64(text), 'after');
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).violations).toEqual([{ field: 'after', rule: 'isCursor', message: 'after is not a change cursor returned by this API' }]);
      }
    },
  );
});
