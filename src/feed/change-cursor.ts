import { GatewayError } from '../common/gateway-error.js';

/**
 * A place in the change feed: the writing transaction's id, then the event's sequence number
 * (both PostgreSQL bigints). Changes are read in that order and only below the oldest
 * transaction still in flight, so no change can later appear before a place already read (see
 * visible-changes.ts). The one codec of `changes`, `listingChanged` and webhook bodies.
 */
export interface ChangePosition {
  txId: bigint;
  seq: bigint;
}

/** Before every change. */
export const START: ChangePosition = { txId: 0n, seq: 0n };

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Opaque to clients: base64url of `chg:<txId>:<seq>`. */
export function encodeChangeCursor(p: ChangePosition): string {
  return Buffer.from(`chg:${p.txId}:${p.seq}`, 'utf8').toString('base64url');
}

/**
 * The position a cursor names. Anything else, BAD_USER_INPUT naming the argument `field`: text
 * that is not base64url, another shape, a sign, parts past PostgreSQL's bigint, and any spelling
 * other than the one encodeChangeCursor gives (padding, leading zeros, stray characters that
 * base64 decoding would skip), so one position has exactly one cursor.
 */
export function decodeChangeCursor(cursor: string, field = 'after'): ChangePosition {
  const refuse = () => GatewayError.badInput([{ field, rule: 'isCursor', message: `${field} is not a change cursor returned by this API` }]);
  if (typeof cursor !== 'string' || cursor.length > 60 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  const m = /^chg:(0|[1-9]\d{0,18}):(0|[1-9]\d{0,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw refuse();
  const position = { txId: BigInt(m[1]), seq: BigInt(m[2]) };
  if (position.txId > MAX_BIGINT || position.seq > MAX_BIGINT || encodeChangeCursor(position) !== cursor) throw refuse();
  return position;
}

/** Whether `a` comes after `b` in the feed. */
export function isAfter(a: ChangePosition, b: ChangePosition): boolean {
  return a.txId > b.txId || (a.txId === b.txId && a.seq > b.seq);
}
