import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isCanonicalCategory } from '../../adapters/core/taxonomy.js';

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
// semver.org's recommended pattern.
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const PHONE = /^\+?[0-9][0-9 -]{3,28}$/;

export function IsCanonicalCategory(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCanonicalCategory',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a category code from the gateway taxonomy (query categories)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCanonicalCategory(value) },
    });
}
