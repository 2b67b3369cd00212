import { GatewayError } from '../common/gateway-error.js';

/**
 * Position in the feed of changes: the writing transaction's id and the event's sequence number.
 * Changes are ordered by (txId, seq); opaque to clients (base64url of `chg:<txId>:<seq>`).
 */
export interface ChangePosition {
  txId: string;
  seq: string;
}

export const START: ChangePosition = { txId: '0', seq: '0' };

export function encodeChangeCursor(position: ChangePosition): string {
  return Buffer.from(`chg:${position.txId}:${position.seq}`, 'utf8').toString('base64url');
}

export function decodeChangeCursor(cursor: string, field = 'after'): ChangePosition {
  const m = /^chg:(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Both are PostgreSQL bigints: anything past its range was not made here.
  if (!m || BigInt(m[1]) > 9223372036854775807n || BigInt(m[2]) > 9223372036854775807n) {
    throw GatewayError.badInput([{ field, rule: 'isCursor', message: `${field} is not a change cursor returned by this API` }]);
  }
  return { txId: BigInt(m[1]).toString(), seq: BigInt(m[2]).toString() };
}
