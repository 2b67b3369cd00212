/**
 * A host's answer field as text: strings and numbers as written, nothing for null or absent,
 * anything else as its JSON (so an object never turns into "[object Object]" in evidence).
 */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
