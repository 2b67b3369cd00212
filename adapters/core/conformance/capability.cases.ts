import { describe, expect, it } from '@jest/globals';
import type { GrayReleaseCapability, HostCapabilities } from '../capabilities.js';
import type { CallContext, HostAdapter } from '../host-adapter.js';
import { HostError, UnsupportedCapabilityError } from '../host-error.js';
import type { HostVersionRef } from '../listing.js';
import { failureOf, type SuiteContext } from './suite-context.js';
import { SAMPLE_ARTIFACTS } from './validation.cases.js';

// Refusals happen before any call, so any ref will do.
const ANY_REF: HostVersionRef = { version: '1.0.0', ids: {} };

type Call = (a: HostAdapter, ctx: CallContext<unknown>) => Promise<unknown>;

/** The calls a missing capability must refuse, by capability. */
function refusedCalls(caps: HostCapabilities): Array<[string, Call]> {
  const calls: Array<[string, Call]> = [];
  if (!caps.grayRelease) {
    calls.push(['gray release', (a, c) => a.release(c, ANY_REF, { grayPercentage: 10 })]);
    calls.push(['cancelGray', (a, c) => a.cancelGray(c, ANY_REF)]);
  } else if (!caps.grayRelease.cancellable) {
    calls.push(['cancelGray', (a, c) => a.cancelGray(c, ANY_REF)]);
  }
  if (!caps.rollback) calls.push(['rollback', (a, c) => a.rollback(c, ANY_REF)]);
  if (!caps.withdrawReview) calls.push(['withdrawReview', (a, c) => a.withdrawReview(c, ANY_REF)]);
  if (!caps.speedUpReview) calls.push(['speedUpReview', (a, c) => a.speedUpReview(c, ANY_REF)]);
  if (!caps.analytics) calls.push(['analytics', (a, c) => a.analytics(c, '2024-01-01')]);
  return calls;
}

/** Percentages the host must refuse: below min, above max, fractional, or not in the allowed list. */
export function refusedGrayPercentages(g: GrayReleaseCapability): number[] {
  const out = [g.min - 1, g.max + 1, g.min + 0.5];
  if (g.allowedPercentages) {
    const outside = Array.from({ length: g.max - g.min + 1 }, (_, i) => g.min + i).find((p) => !g.allowedPercentages!.includes(p));
    if (outside !== undefined) out.push(outside);
  }
  return out;
}

export function describeCapabilities(s: SuiteContext, caps: HostCapabilities): void {
  describe('capabilities', () => {
    async function expectRefusedWithoutCall(call: Call): Promise<unknown> {
      const ctx = await s.newApp();
      const before = s.sandbox.calls.length;
      const error = await failureOf(call(s.adapter, ctx));
      expect(s.sandbox.calls.length).toBe(before);
      return error;
    }

    it('reports the same capabilities on every instance', () => {
      expect(s.adapter.capabilities).toEqual(caps);
      expect(s.adapter.hostId).toBe(s.hostId);
    });

    for (const [name, call] of refusedCalls(caps)) {
      it(`refuses ${name} (not offered) before any network call`, async () => {
        const error = await expectRefusedWithoutCall(call);
        expect(error).toBeInstanceOf(UnsupportedCapabilityError);
        expect((error as UnsupportedCapabilityError).host).toBe(s.hostId);
      });
    }

    const gray = caps.grayRelease;
    if (gray) {
      it('refuses a gray percentage the host does not take before any network call', async () => {
        for (const p of refusedGrayPercentages(gray)) {
          const error = await expectRefusedWithoutCall((a, c) => a.release(c, ANY_REF, { grayPercentage: p }));
          expect(error).toBeInstanceOf(UnsupportedCapabilityError);
        }
      });
    }

    for (const kind of (['PACKAGE', 'TEMPLATE'] as const).filter((k) => !caps.artifactKinds.includes(k))) {
      it(`refuses to upload a ${kind} artifact before any network call`, async () => {
        const version = { ...s.harness.validVersion('1.0.0'), artifact: SAMPLE_ARTIFACTS[kind] };
        const error = await expectRefusedWithoutCall((a, c) => a.upload(c, s.harness.validDefinition(), version));
        // Either refusal is honest: the kind is a capability, and also a listing rule.
        const refused = error instanceof UnsupportedCapabilityError || (error instanceof HostError && error.kind === 'invalid');
        expect(refused ? 'refused' : String(error)).toBe('refused');
      });
    }
  });
}
