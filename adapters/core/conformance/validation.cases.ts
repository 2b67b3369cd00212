import { describe, expect, it } from '@jest/globals';
import type { VersionArtifact } from '../listing.js';
import type { SuiteContext } from './suite-context.js';

// One artifact of each kind, used to check that a kind the host does not take is refused.
export const SAMPLE_ARTIFACTS: Record<VersionArtifact['kind'], VersionArtifact> = {
  PACKAGE: { kind: 'PACKAGE', url: 'https://cdn.sandbox.test/package.zip', sha256: 'c'.repeat(64), sizeBytes: 512_000 },
  TEMPLATE: { kind: 'TEMPLATE', templateId: '1', extJson: {}, sizeBytes: 512_000 },
};

export function describeValidation(s: SuiteContext): void {
  describe('validate', () => {
    it('accepts the valid definition and version without any network call', () => {
      const before = s.sandbox.calls.length;
      expect(s.adapter.validate(s.harness.validDefinition(), s.harness.validVersion('1.0.0'))).toEqual([]);
      expect(s.adapter.validate(s.harness.validDefinition(), s.harness.validVersion('1.1.0'))).toEqual([]);
      expect(s.sandbox.calls.length).toBe(before);
    });

    it('has invalid cases to check', () => {
      expect(s.harness.invalidCases.length).toBeGreaterThan(0);
    });

    for (const c of s.harness.invalidCases) {
      it(`reports every expected violation: ${c.name}`, () => {
        const violations = s.adapter.validate(c.definition, c.version);
        const pairs = violations.map((v) => ({ field: v.field, rule: v.rule }));
        expect(pairs).toEqual(expect.arrayContaining(c.expect.map((e) => ({ field: e.field, rule: e.rule }))));
        for (const v of violations) {
          expect(v.host).toBe(s.hostId);
          expect(typeof v.message).toBe('string');
          expect(v.message.trim().length).toBeGreaterThan(0);
        }
      });
    }

    // Listing sync plans check a definition alone: the same violations, less the version's own.
    const VERSION_FIELDS = /^(version|releaseNotes|artifact)(\.|$)/;
    for (const c of s.harness.invalidCases) {
      it(`checks the definition alone without a version: ${c.name}`, () => {
        const full = s.adapter.validate(c.definition, c.version);
        expect(s.adapter.validate(c.definition)).toEqual(full.filter((v) => !VERSION_FIELDS.test(v.field)));
      });
    }
    it('finds nothing wrong with the valid definition alone', () => {
      expect(s.adapter.validate(s.harness.validDefinition())).toEqual([]);
    });

    it('refuses an artifact kind the host does not take', () => {
      const refused = (['PACKAGE', 'TEMPLATE'] as const).filter((k) => !s.adapter.capabilities.artifactKinds.includes(k));
      for (const kind of refused) {
        const version = { ...s.harness.validVersion('1.0.0'), artifact: SAMPLE_ARTIFACTS[kind] };
        const violations = s.adapter.validate(s.harness.validDefinition(), version);
        expect(violations.filter((v) => v.field.startsWith('artifact'))).not.toEqual([]);
      }
      expect(s.adapter.capabilities.artifactKinds.length).toBeGreaterThan(0);
    });
  });
}
