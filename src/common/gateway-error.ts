// One error type for the API. `code` becomes `extensions.code`; the mapping lives in
// graphql-error-formatter.ts and is exhaustive over these codes.
export const ERROR_CODES = ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

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
  ) {
    super(message);
    this.name = 'GatewayError';
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
}
