import type { AnswerFixture, AnswerFixtureSet } from '../answer-fixtures.js';
import { shapeMismatches } from '../answer-fixtures.js';
import type { HttpTransport } from '../http.js';

/** One answer a sandbox gave, as the adapter received it. */
export interface RecordedAnswer {
  /** `METHOD /path`, the way fixtures name their call. */
  call: string;
  /** The request URL (a gateway host names its method in the query). */
  url: string;
  status: number;
  text: string;
}

/** Wraps a transport so every answer is kept (the adapter's view of the sandbox). */
export function recordingTransport(inner: HttpTransport, log: RecordedAnswer[]): HttpTransport {
  return async (req) => {
    const res = await inner(req);
    log.push({ call: `${req.method} ${new URL(req.url).pathname}`, url: req.url, status: res.status, text: res.text() });
    return res;
  };
}

export interface ShapeOptions {
  /** The call a recorded answer stands for when it differs from `METHOD /path` (Alipay: the gateway method). */
  callOf?: (a: RecordedAnswer) => string;
  /** Whether a parsed answer is a failure; failures may take the shape of any error fixture of their group. */
  isError: (json: unknown) => boolean;
  /** Calls whose failures share one envelope (default: all the same). */
  errorGroup?: (call: string) => string;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
const fits = (json: unknown, f: AnswerFixture) => shapeMismatches(json, f.body, f.maps ?? []).length === 0;

/**
 * Recorded answers in no fixture's shape: each answer must fit a fixture of its call, or (a
 * failure) an error fixture of its group. Answers of calls without fixtures are ignored.
 * Returns one line per misfit, with the differences against the closest fixture.
 */
export function answersOutOfShape(log: readonly RecordedAnswer[], fixtures: AnswerFixtureSet, o: ShapeOptions): string[] {
  const callOf = o.callOf ?? ((a: RecordedAnswer) => a.call);
  const group = o.errorGroup ?? (() => '');
  const out: string[] = [];
  for (const a of log) {
    const call = callOf(a);
    const own = fixtures.filter((f) => f.call === call && f.kind !== 'request');
    if (own.length === 0) continue;
    const json = parse(a.text);
    const errors = o.isError(json) ? fixtures.filter((f) => f.kind === 'error' && group(f.call) === group(call)) : [];
    const candidates = [...own, ...errors];
    if (json !== undefined && candidates.some((f) => fits(json, f))) continue;
    const closest = candidates
      .map((f) => ({ f, m: json === undefined ? ['not JSON'] : shapeMismatches(json, f.body, f.maps ?? []) }))
      .sort((x, y) => x.m.length - y.m.length)[0];
    out.push(`${call}: ${a.text.slice(0, 200)} -- against ${closest.f.name}: ${closest.m.join('; ')}`);
  }
  return out;
}

/** Fixtures (answers, not requests or pushes) that no recorded answer fits: the sandbox never answers in that shape. */
export function fixturesNeverMet(log: readonly RecordedAnswer[], fixtures: AnswerFixtureSet, o: Pick<ShapeOptions, 'callOf'> = {}): string[] {
  const callOf = o.callOf ?? ((a: RecordedAnswer) => a.call);
  return fixtures
    .filter((f) => f.kind === 'success' || f.kind === 'error')
    .filter((f) => !log.some((a) => callOf(a) === f.call && fits(parse(a.text), f)))
    .map((f) => f.name);
}
