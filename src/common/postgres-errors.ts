import { QueryFailedError } from 'typeorm';

/** True when the error is a unique-constraint violation on the named constraint. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && driverError.constraint === constraint;
}

// Network errors from the pg driver and SQLSTATE classes that mean "the database is not there
// right now" (57P01-57P03: shutting down or starting; 08: connection exception; 53: out of resources).
const UNAVAILABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end/i;

/**
 * What a database failure means for the caller: `unavailable` (the server is down or restarting),
 * `timeout` (a statement hit statement_timeout), or null for anything else.
 */
export function classifyDatabaseError(err: unknown): 'unavailable' | 'timeout' | null {
  // Duck-typed: errors raised by Node's own modules need not be instances of this realm's Error.
  if (typeof err !== 'object' || err === null || typeof (err as { message?: unknown }).message !== 'string') return null;
  const message = (err as { message: string }).message;
  const driver = (err instanceof QueryFailedError ? err.driverError : err) as { code?: unknown; errors?: unknown };
  const code = typeof driver.code === 'string' ? driver.code : '';
  if (code === '57014') return 'timeout';
  if (UNAVAILABLE_NETWORK.has(code) || /^(57P0[123]|08...|53...)$/.test(code)) return 'unavailable';
  // Node wraps "every address refused" in an AggregateError without a code of its own.
  if (Array.isArray(driver.errors) && driver.errors.some((e) => classifyDatabaseError(e) === 'unavailable')) return 'unavailable';
  if (UNAVAILABLE_MESSAGES.test(message)) return 'unavailable';
  return null;
}
