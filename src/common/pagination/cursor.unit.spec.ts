import { describe, expect, it } from '@jest/globals';
import { GatewayError } from '../gateway-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const ID = '7d0f6f0e-59a4-4c8e-9b53-2b1f4a3f2a11';
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

function refusal(cursor: string, field?: string): GatewayError {
  try {
    decodeCursor(cursor, field);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error(`accepted ${cursor}`);
}

describe('keyset cursor encoding', () => {
  it('is base64url of [ISO timestamp, id], opaque and URL-safe', () => {
    const cursor = encodeCursor({ createdAt: new Date('2026-11-24T10:11:12.345Z'), id: ID });
    expect(cursor).toBe(b64(['2026-11-24T10:11:12.345Z', ID]));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('accepts ids in either case, and names the field it was given', () => {
    expect(decodeCursor(b64(['2026-11-24T10:11:12.345Z', ID.toUpperCase()])).id).toBe(ID.toUpperCase());
    expect(refusal('x', 'before')).toMatchObject({
      code: 'BAD_USER_INPUT',
      violations: [{ field: 'before', rule: 'isCursor', message: 'before is not a cursor returned by this API' }],
    });
    expect(refusal('x').violations[0].field).toBe('after');
  });

  it.each([
    ['a timestamp that is not a date', ['yesterday', ID]],
    ['an id that is not a uuid', ['2026-11-24T10:11:12.345Z', 'not-a-uuid']],
    ['an id one character short', ['2026-11-24T10:11:12.345Z', ID.slice(1)]],
    ['an id with a uuid inside it', ['2026-11-24T10:11:12.345Z', `x${ID}`]],
    ['an id with a uuid at its start', ['2026-11-24T10:11:12.345Z', `${ID}x`]],
    ['an id that is a number', ['2026-11-24T10:11:12.345Z', 42]],
    ['an id that is a list holding a uuid', ['2026-11-24T10:11:12.345Z', [ID]]],
    ['no id', ['2026-11-24T10:11:12.345Z']],
    ['an object', { createdAt: '2026-11-24T10:11:12.345Z', id: ID }],
    ['null', null],
  ])('refuses %s', (_what, payload) => {
    expect(refusal(b64(payload)).code).toBe('BAD_USER_INPUT');
  });
});
