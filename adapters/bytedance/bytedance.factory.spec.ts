import { describe, expect, it } from '@jest/globals';
import { createHttpTransport, InMemoryTokenStore } from '../core/index.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';

const ok = { baseUrl: 'http://127.0.0.1:9', http: createHttpTransport(), tokenStore: new InMemoryTokenStore() };

describe('bytedanceAdapterFactory', () => {
  it('builds an adapter with the documented capabilities', () => {
    const a = bytedanceAdapterFactory.create(ok);
    expect(a.hostId).toBe('BYTEDANCE');
    expect(a.capabilities).toEqual({
      grayRelease: null,
      rollback: true,
      withdrawReview: true,
      speedUpReview: false,
      analytics: false,
      reviewPushes: true,
      basicInfoSync: false,
      artifactKinds: ['TEMPLATE'],
    });
  });

  it('refuses unusable options at boot, naming each problem', () => {
    expect(() => bytedanceAdapterFactory.validateOptions({ ...ok, baseUrl: 'ftp://x' })).toThrow(/baseUrl must be http\(s\)/);
    expect(() => bytedanceAdapterFactory.validateOptions({ ...ok, baseUrl: 'http://u:p@127.0.0.1/?a=1' })).toThrow(/query, fragment or credentials/);
    expect(() => bytedanceAdapterFactory.validateOptions({ ...ok, timeoutMs: 0, tokenStore: undefined as never })).toThrow(
      /tokenStore is required; timeoutMs must be a positive number/,
    );
  });

  it('has a profile with sourced limits, the status table and every assumption', () => {
    const p = bytedanceAdapterFactory.profile;
    expect(p.limits.every((l) => l.source.length > 0 && l.value.length > 0)).toBe(true);
    expect(p.statusMapping.filter((m) => m.native.startsWith('audit.status')).map((m) => m.normalized)).toEqual([
      'IN_REVIEW',
      'APPROVED',
      'REJECTED',
      'WITHDRAWN',
    ]);
    // The 32-byte prefix is confirmed (official 2019 demos): a quirk now, not an assumption.
    expect(p.quirks.some((q) => q.includes('32 random bytes'))).toBe(true);
    for (const topic of ['AuditResults', '/api/apps/v2/package_version/audit/', 'No gray release', 'user_version', 'attach_info']) {
      expect(p.assumptions.some((a) => a.includes(topic))).toBe(true);
    }
  });
});
