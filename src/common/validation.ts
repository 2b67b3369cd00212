import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GatewayError, type FieldViolation } from './gateway-error.js';

/** Flattens class-validator's nested errors into `{field, rule, message}` with dotted paths. */
export function toViolations(errors: ValidationError[], parent = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      // class-validator starts messages with the bare property name; give the full path instead.
      const text = message.startsWith(`${error.property} `) ? `${field}${message.slice(error.property.length)}` : message;
      out.push({ field, rule, message: text });
    }
    if (error.children?.length) out.push(...toViolations(error.children, field));
  }
  return out;
}

// Global pipe: unknown fields are refused, inputs become class instances, and every failure
// becomes one BAD_USER_INPUT error naming each field and rule.
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => GatewayError.badInput(toViolations(errors)),
  });
}
