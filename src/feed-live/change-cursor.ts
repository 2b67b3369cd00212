import { GatewayError } from '../common/gateway-error.js';

/**
 * A place in the change feed: the writing transaction's id, then the event's sequence number.
 * Events are read in that order and only below the oldest transaction still in flight, so no
 * event can later appear before a place already read (see src/feed/visible-changes.ts).
 */
export interface ChangePosition {
  txId: bigint;
  seq: bigint;
}

export const START: ChangePosition = { txId: 0n, seq: 0n };

export function encodeChangeCursor(p: ChangePosition): string {
  return Buffer.from(`chg:${p.txId}:${p.seq}`, 'utf8').toString('base64url');
}

/** The position a cursor names; BAD_USER_INPUT naming `field` when it is not one of ours. */
export function decodeChangeCursor(cursor: string, field = 'after'): ChangePosition {
  const m = /^chg:(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw GatewayError.badInput([{ field, rule: 'isCursor', message: `${field} is not a cursor returned by this API` }]);
  return { txId: BigInt(m[1]), seq: BigInt(m[2]) };
}

export function isAfter(a: ChangePosition, b: ChangePosition): boolean {
  return a.txId > b.txId || (a.txId === b.txId && a.seq > b.seq);
}
