import type { BasicInfoSnapshot } from '../../adapters/core/index.js';
import type { BasicInfoExpectation } from '../hosts/host-binding.entity.js';

export interface BasicInfoDriftResult {
  drift: Array<{ field: string; expected: string | null; actual: string | null }>;
  /** The expectation with fingerprints adopted from this read-back where they were still unknown. */
  expected: BasicInfoExpectation;
}

const ids = (snap: BasicInfoSnapshot) => (snap.categories ?? []).map((c) => [...c.ids]);
const contact = (c: { phone: string | null; email: string | null } | null) => (c ? [c.phone, c.email].filter((v) => v).join(', ') || null : null);

/**
 * Compares a basic-info read-back with what listing sync set on the host. Fields the host does
 * not report (null) and fields with a sync still open are not judged. The icon and category are
 * known by what the host showed right after the gateway's change (no host returns an image hash).
 */
export function basicInfoDrift(expected: BasicInfoExpectation, snap: BasicInfoSnapshot, open: ReadonlySet<string>): BasicInfoDriftResult {
  const next: BasicInfoExpectation = structuredClone(expected);
  const drift: BasicInfoDriftResult['drift'] = [];
  for (const field of ['name', 'shortName', 'slogan', 'description'] as const) {
    const want = expected[field];
    if (want === undefined || open.has(field) || snap[field] === null) continue;
    if (snap[field] !== want) drift.push({ field, expected: want, actual: snap[field] });
  }
  if (expected.icon && !open.has('icon') && snap.icon) {
    if (expected.icon.fingerprint === null) next.icon = { ...expected.icon, fingerprint: snap.icon.fingerprint };
    else if (expected.icon.fingerprint !== snap.icon.fingerprint)
      drift.push({ field: 'icon', expected: expected.icon.fingerprint, actual: snap.icon.fingerprint });
  }
  if (expected.category && !open.has('category') && snap.categories) {
    if (expected.category.hostIds === null) next.category = { ...expected.category, hostIds: ids(snap) };
    else if (JSON.stringify(expected.category.hostIds) !== JSON.stringify(ids(snap)))
      drift.push({ field: 'category', expected: JSON.stringify(expected.category.hostIds), actual: JSON.stringify(ids(snap)) });
  }
  if (expected.serviceContact && !open.has('serviceContact') && snap.serviceContact) {
    const want = contact(expected.serviceContact);
    const got = contact(snap.serviceContact);
    if (want !== got) drift.push({ field: 'serviceContact', expected: want, actual: got });
  }
  return { drift, expected: next };
}
