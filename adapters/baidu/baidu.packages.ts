import { HostError, type HostVersionRef } from '../core/index.js';
import { scalarText } from '../core/index.js';

/** One item of package/get `data[]` or package/getdetail `data` (B2). */
export type BaiduPackage = Record<string, unknown>;

export function packageIdOf(p: BaiduPackage): string {
  return scalarText(p.package_id);
}

/** package/get answers a list; tolerate `data` being absent or a single object. */
export function packageList(data: unknown): BaiduPackage[] {
  if (Array.isArray(data)) return data.filter((p): p is BaiduPackage => typeof p === 'object' && p !== null);
  return typeof data === 'object' && data !== null && 'package_id' in data ? [data] : [];
}

/** getdetail answers one item, or nothing when no package is in the asked state. */
export function packageItem(data: unknown): BaiduPackage | null {
  if (Array.isArray(data)) return (data[0] as BaiduPackage | undefined) ?? null;
  return typeof data === 'object' && data !== null && 'package_id' in data ? data : null;
}

// Package ids are server-assigned numbers (B2, Part D); newer packages get larger ones.
function newer(a: BaiduPackage, b: BaiduPackage): number {
  const [x, y] = [Number(packageIdOf(a)), Number(packageIdOf(b))];
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return y - x;
  return scalarText(b.commit_time).localeCompare(scalarText(a.commit_time));
}

/** Ids of the packages that already carried this user_version before an upload (a re-upload makes a new one). */
export function idsWithVersion(list: BaiduPackage[], version: string): string[] {
  return list.filter((p) => String(p.version) === version).map(packageIdOf);
}

/**
 * The package a ref names: by package_id when known, else the newest with its user_version that
 * did not exist before the upload (`ids.supersedes`): upload is asynchronous and answers no id (B2).
 */
export function findPackage(list: BaiduPackage[], ref: HostVersionRef): BaiduPackage | null {
  if (ref.ids.packageId) return list.find((p) => packageIdOf(p) === ref.ids.packageId) ?? null;
  const old = new Set((ref.ids.supersedes ?? '').split(',').filter((s) => s !== ''));
  const candidates = list.filter((p) => String(p.version) === ref.version && !old.has(packageIdOf(p)));
  return candidates.sort(newer)[0] ?? null;
}

/** The newest package in one of the given native statuses. */
export function newestIn(list: BaiduPackage[], statuses: number[]): BaiduPackage | null {
  return list.filter((p) => statuses.includes(Number(p.status))).sort(newer)[0] ?? null;
}

export function withIds(ref: HostVersionRef, ids: Record<string, string>): HostVersionRef {
  return { ...ref, ids: { ...ref.ids, ...ids } };
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/** The native states a package item carries (an uploaded one has no upload_status, one uploading no status), kept as evidence. */
export function nativeOf(item: BaiduPackage): string {
  return [
    item.status !== undefined ? `status ${scalarText(item.status)}` : null,
    item.upload_status !== undefined ? `upload_status ${scalarText(item.upload_status)}` : null,
  ]
    .filter((x) => x !== null)
    .join(', ');
}

/** A package whose upload failed (upload_status 3), with the host's upload error. */
export function uploadFailed(item: BaiduPackage): HostError {
  return new HostError({
    host: 'BAIDU',
    kind: 'invalid',
    retryable: false,
    nativeCode: str(item.upload_err_code),
    nativeMessage: str(item.upload_err_msg) ?? 'upload failed',
    operation: 'upload',
  });
}
