// One error type for the API. `code` becomes `extensions.code`; the HTTP status each code stands
// for is below (graphql-error-formatter.ts and http-errors.ts use it).
export const ERROR_STATUS = {
  BAD_USER_INPUT: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  SERVICE_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Codes that mean the caller must change something; the rest are ours to fix (or to wait out). */
export function isClientError(code: ErrorCode): boolean {
  return ERROR_STATUS[code] < 500;
}

export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly violations: FieldViolation[] = [],
    /** Extra fields for `extensions`, such as `retryAfterSeconds`. */
    readonly details: Record<string, string | number | boolean> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static badInput(violations: FieldViolation[]): GatewayError {
    const summary = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
    return new GatewayError('BAD_USER_INPUT', `Invalid input: ${summary}`, violations);
  }

  static notFound(what: string, id: string): GatewayError {
    return new GatewayError('NOT_FOUND', `${what} ${id} not found`);
  }

  static conflict(message: string): GatewayError {
    return new GatewayError('CONFLICT', message);
  }

  static rateLimited(retryAfterSeconds: number): GatewayError {
    return new GatewayError('RATE_LIMITED', `Too many requests: retry in ${retryAfterSeconds} s`, [], { retryAfterSeconds });
  }

  static deadlineExceeded(timeoutMs: number): GatewayError {
    return new GatewayError('DEADLINE_EXCEEDED', `The request did not finish within its ${timeoutMs} ms deadline`);
  }
}
