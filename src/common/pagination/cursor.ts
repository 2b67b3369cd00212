import { GatewayError } from '../gateway-error.js';

// Opaque keyset cursors: base64url of `[createdAt ISO, id]`. Timestamps are stored with
// millisecond precision so the cursor reproduces the row's sort key exactly.
export interface Keyset {
  createdAt: Date;
  id: string;
}

export function encodeCursor(key: Keyset): string {
  // The JSON of [iso, id] written by hand (neither needs escaping): one cursor per edge, on every page.
  return Buffer.from(`["${key.createdAt.toISOString()}","${key.id}"]`, 'latin1').toString('base64url');
}

// What encodeCursor writes, exactly: a UTC timestamp of years 0001-9999 (inside PostgreSQL's
// range) and a canonical uuid. Anything else never reaches SQL.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string, field = 'after'): Keyset {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('shape');
    const [iso, id] = decoded as unknown[];
    if (typeof iso !== 'string' || typeof id !== 'string' || !ISO_UTC.test(iso) || !UUID.test(id)) throw new Error('shape');
    const createdAt = new Date(iso);
    // Rejects dates such as 2026-02-30 that Date would roll over.
    if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso || createdAt.getUTCFullYear() < 1) throw new Error('date');
    return { createdAt, id };
  } catch {
    throw GatewayError.badInput([{ field, rule: 'isCursor', message: `${field} is not a cursor returned by this API` }]);
  }
}
