import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
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

/** Deeper than this, an input is refused before anything walks it recursively. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Every string anywhere in an input (object keys included) must be storable as it was sent:
 * PostgreSQL text and jsonb cannot hold U+0000, and a lone UTF-16 surrogate would be stored as
 * U+FFFD while the answer echoes the original. Walks without recursion, so depth cannot overflow.
 */
export function unsafeInputViolations(input: unknown, root = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value: input, field: root, depth: 0 }];
  const checkString = (text: string, field: string, what: string) => {
    const name = field || 'input';
    if (text.includes('\u0000')) out.push({ field: name, rule: 'noNulCharacter', message: `${what || name} must not contain the NUL character (U+0000)` });
    if (/\p{Cs}/u.test(text)) {
      out.push({ field: name, rule: 'wellFormedUnicode', message: `${what || name} contains a lone UTF-16 surrogate: send well-formed Unicode` });
    }
  };
  while (stack.length > 0 && out.length < 20) {
    const { value, field, depth } = stack.pop()!;
    if (typeof value === 'string') {
      checkString(value, field, '');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      out.push({ field: field || 'input', rule: 'maxDepth', message: `${field || 'input'} nests deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      if (!Array.isArray(value)) checkString(key, field, `a key in ${field || 'input'}`);
      stack.push({ value: child, field: field ? `${field}.${key}` : key, depth: depth + 1 });
    }
  }
  return out;
}

/**
 * `@IsNotEmpty()` in this codebase means "says something": a value of only whitespace is refused
 * too. Read from the validation metadata, so every input that uses the rule gets it.
 */
export function blankViolations(instance: unknown, root = ''): FieldViolation[] {
  const out: FieldViolation[] = [];
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value: instance, field: root, depth: 0 }];
  const isBlank = (v: unknown) => typeof v === 'string' && v.length > 0 && v.trim() === '';
  while (stack.length > 0) {
    const { value, field, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null || depth > MAX_INPUT_DEPTH) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, field: field ? `${field}.${i}` : String(i), depth: depth + 1 }));
      continue;
    }
    if (value.constructor === Object) continue; // free-form JSON (extJson): no rules of ours inside
    const rules = getMetadataStorage().getTargetValidationMetadatas(value.constructor, '', true, false);
    for (const rule of rules) {
      if (rule.name !== 'isNotEmpty') continue;
      const property = rule.propertyName;
      const path = field ? `${field}.${property}` : property;
      const v = (value as Record<string, unknown>)[property];
      const blank = rule.each && Array.isArray(v) ? v.some(isBlank) : isBlank(v);
      if (blank) out.push({ field: path, rule: 'isNotBlank', message: `${path} must not be blank (whitespace only)` });
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, field: field ? `${field}.${key}` : key, depth: depth + 1 });
    }
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
}

// Resolver arguments (GraphQL's ARGS param type is 3) and HTTP bodies, queries and params are
// client input; parents, contexts and custom decorators are not.
const INPUT_PARAM_TYPES: ReadonlySet<unknown> = new Set([3, 'body', 'query', 'param']);

/**
 * Global pipe: strings that cannot be stored faithfully are refused first, then class-validator
 * runs (unknown fields refused, inputs become class instances), then blank "not empty" values.
 * Every failure becomes one BAD_USER_INPUT error naming each field and rule.
 */
export class GatewayValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => GatewayError.badInput(toViolations(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isInput = INPUT_PARAM_TYPES.has(metadata.type);
    if (isInput) {
      const unsafe = unsafeInputViolations(value);
      if (unsafe.length) throw GatewayError.badInput(unsafe);
    }
    const result: unknown = await super.transform(value, metadata);
    if (isInput) {
      const blank = blankViolations(result);
      if (blank.length) throw GatewayError.badInput(blank);
    }
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe();
}
