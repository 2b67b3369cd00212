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

export function decodeCursor(cursor: string, field = 'after'): Keyset {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(iso);
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw GatewayError.badInput([{ field, rule: 'isCursor', message: `${field} is not a cursor returned by this API` }]);
  }
}
