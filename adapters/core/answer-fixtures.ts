/**
 * Answers copied from a host's documentation or its official (or maintained) SDK samples, each
 * with its source. The client specs parse every fixture, and each sandbox's answers are compared
 * with the fixtures' shapes (`shapeMismatches`), so a sandbox written from the same reading as
 * its adapter cannot drift from the host it stands for.
 */
export interface AnswerFixture {
  /** Unique within the host: `versions.success`, `token.component.failure`. */
  name: string;
  /** The call answered: `GET /api/apps/v1/package_version/versions/`, `push PACKAGE_AUDIT`. */
  call: string;
  /** `request`: a request sample, kept where the literal on the wire matters (int64 ids). */
  kind: 'success' | 'error' | 'push' | 'request';
  /** Where it was copied from: doc page title and path, or SDK repository + file. */
  source: string;
  /** The answer as the host sends it: parsed JSON, or the text for XML and form pushes. */
  body: unknown;
  /** The exact text, when the literal matters (int64 numbers a JS number would round). */
  raw?: string;
  /**
   * Paths (`data.audit.attach_info`) whose keys are data (host names), not field names: their
   * values are compared, not their keys.
   */
  maps?: readonly string[];
  /** What the fixture shows or how it was assembled, when not a verbatim sample. */
  note?: string;
}

export type AnswerFixtureSet = readonly AnswerFixture[];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Where `actual` (a sandbox's answer) differs in shape from `fixture`: every object must have
 * exactly the fixture's keys, every value the fixture's type, recursively. Array elements must
 * each match one of the fixture's elements; `maps` paths compare values, not keys. A `null` on
 * either side matches any type (the hosts send null for "no value" in fields of any type), and
 * an empty fixture array or map says nothing about its elements. Returns readable differences,
 * empty when the shapes agree.
 */
export function shapeMismatches(actual: unknown, fixture: unknown, maps: readonly string[] = [], path = ''): string[] {
  const at = path === '' ? '(root)' : path;
  if (actual === null || fixture === null) return [];
  const [ta, tf] = [typeOf(actual), typeOf(fixture)];
  if (ta !== tf) return [`${at}: ${ta} where the host sends ${tf}`];
  if (tf === 'array') {
    const fixtureItems = fixture as Json[];
    if (fixtureItems.length === 0) return [];
    return (actual as unknown[]).flatMap((item, i) => closest(item, fixtureItems, maps, `${path}[${i}]`));
  }
  if (tf !== 'object') return [];
  const a = actual as Record<string, unknown>;
  const f = fixture as Record<string, Json>;
  if (maps.includes(path)) {
    const values = Object.values(f);
    if (values.length === 0) return [];
    return Object.entries(a).flatMap(([k, v]) => closest(v, values, maps, `${path}{${k}}`));
  }
  const out: string[] = [];
  for (const k of Object.keys(a)) if (!(k in f)) out.push(`${join(path, k)}: key the host does not send`);
  for (const k of Object.keys(f)) if (!(k in a)) out.push(`${join(path, k)}: missing (the host sends it)`);
  for (const k of Object.keys(f)) if (k in a) out.push(...shapeMismatches(a[k], f[k], maps, join(path, k)));
  return out;
}

/** The differences against the fixture element that fits best (none when one fits). */
function closest(item: unknown, candidates: Json[], maps: readonly string[], path: string): string[] {
  let best: string[] | null = null;
  for (const c of candidates) {
    const m = shapeMismatches(item, c, maps, path);
    if (m.length === 0) return [];
    if (best === null || m.length < best.length) best = m;
  }
  return best ?? [];
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** The fixture named `name` in a set; throws when it is missing, so a renamed fixture fails loudly. */
export function fixtureNamed(set: AnswerFixtureSet, name: string): AnswerFixture {
  const hit = set.find((f) => f.name === name);
  if (!hit) throw new Error(`no answer fixture named ${name}`);
  return hit;
}

/** The text a fixture stands for on the wire: its raw text, or its body as JSON. */
export function fixtureText(f: AnswerFixture): string {
  if (f.raw !== undefined) return f.raw;
  return typeof f.body === 'string' ? f.body : JSON.stringify(f.body);
}
