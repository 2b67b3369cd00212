import { HostError } from '../host-error.js';

// Keys that name something secret (app secrets, private keys, tokens, tickets, push keys).
const SECRET_KEY = /secret|private|token|ticket|password|aeskey|encodingaeskey|^key$|signkey/i;
// Identifiers and public keys are not secrets: they legitimately appear in host replies.
const NOT_SECRET_KEY = /(app_?id|client_?id|Id)$|public/i;
const MIN_LENGTH = 8;

/**
 * The secret strings inside a credentials or callback-secrets object, walked recursively:
 * every string of at least 8 characters under a secret-looking key. A multi-line value (a PEM
 * key) also contributes each long line, so a key body cannot leak line by line.
 */
export function secretStringsOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string') {
    if (value.length < MIN_LENGTH || !SECRET_KEY.test(key) || NOT_SECRET_KEY.test(key)) return [];
    const lines = value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length >= 16 && !l.startsWith('-----'));
    return [value, ...(lines.length > 1 ? lines : [])];
  }
  if (Array.isArray(value)) return value.flatMap((v) => secretStringsOf(v, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => secretStringsOf(v, k));
  return [];
}

/** Everything an error or a result shows to the outside: JSON, message and stack. */
export function exposedText(value: unknown): string {
  if (value instanceof Error) {
    const json = value instanceof HostError ? JSON.stringify(value) : JSON.stringify({ ...value });
    return [json, value.message, value.stack ?? ''].join('\n');
  }
  return JSON.stringify(value) ?? String(value);
}

/** The secrets found in `value`'s exposed text (empty when none leak). */
export function leakedSecrets(value: unknown, secrets: readonly string[]): string[] {
  const text = exposedText(value);
  return secrets.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)));
}
