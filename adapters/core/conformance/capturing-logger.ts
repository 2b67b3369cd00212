import type { AdapterLogger } from '../host-adapter.js';
import { InMemoryTokenStore, type TokenStore } from '../token-store.js';

/**
 * The adapter logger of the conformance suite: keeps every line the adapter writes, at the most
 * verbose level the contract has (debug, and warn), each serialized the way a JSON log line
 * would carry it. Errors keep their message, stack and own fields; byte buffers appear as base64
 * and hex, so key material logged as bytes is as visible as key material logged as text.
 */
export class CapturingLogger implements AdapterLogger {
  readonly lines: string[] = [];

  debug(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push(logLine('debug', obj, msg));
  }

  warn(obj: Record<string, unknown>, msg?: string): void {
    this.lines.push(logLine('warn', obj, msg));
  }

  clear(): void {
    this.lines.length = 0;
  }
}

export function logLine(level: string, obj: Record<string, unknown>, msg?: string): string {
  const seen = new WeakSet<object>();
  return JSON.stringify({ level, msg, ...obj }, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = key === '' ? value : this[key];
    if (raw instanceof Uint8Array) {
      const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      return { base64: bytes.toString('base64'), hex: bytes.toString('hex') };
    }
    if (raw instanceof Error) {
      const own = Object.fromEntries(Object.entries(raw));
      return { ...own, name: raw.name, message: raw.message, stack: raw.stack, cause: raw.cause };
    }
    if (typeof raw === 'bigint' || typeof raw === 'symbol' || typeof raw === 'function') return String(raw);
    if (raw instanceof Map) return Object.fromEntries(raw as Map<unknown, unknown>) as unknown;
    if (raw instanceof Set) return [...(raw as Set<unknown>)];
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
}

/** A token store that remembers every token an adapter keeps, so the suite can look for them in logs. */
export class RecordingTokenStore implements TokenStore {
  readonly values = new Set<string>();

  constructor(private readonly inner: TokenStore = new InMemoryTokenStore()) {}

  get(key: string) {
    return this.inner.get(key);
  }

  async set(key: string, value: string, expiresAt: Date | null) {
    this.values.add(value);
    await this.inner.set(key, value, expiresAt);
  }

  delete(key: string) {
    return this.inner.delete(key);
  }
}

/**
 * The forms a secret can take in a log line besides itself: a base64 key (WeChat's 43-character
 * EncodingAESKey, a base64 secret) also as the hex and padded base64 of its bytes.
 */
export function keyMaterialForms(secret: string): string[] {
  const forms = [secret];
  const compact = secret.replace(/=+$/, '');
  if (/^[A-Za-z0-9+/]+$/.test(compact) && compact.length >= 22) {
    const bytes = Buffer.from(compact, 'base64');
    if (bytes.length >= 16) forms.push(bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'));
  }
  return [...new Set(forms)];
}

/** The secrets (by their index in `secrets`) that appear in any line, in any of their forms. */
export function secretsInLines(lines: readonly string[], secrets: readonly string[]): Array<{ secret: string; line: string }> {
  const found: Array<{ secret: string; line: string }> = [];
  for (const secret of secrets) {
    const forms = keyMaterialForms(secret).flatMap((f) => [f, JSON.stringify(f).slice(1, -1)]);
    const line = lines.find((l) => forms.some((f) => l.includes(f)));
    if (line !== undefined) found.push({ secret, line });
  }
  return found;
}
