import { describe, expect, it } from '@jest/globals';
import type { GrayReleaseCapability, HostCapabilities } from '../capabilities.js';
import type { ParsedCallback } from '../callbacks.js';
import type { SuiteContext } from './suite-context.js';

const REJECT_REASON = 'conformance: the home page is empty';

/** A percentage the host takes, below 100 so the gray stays gray. */
export function allowedGrayPercentage(g: GrayReleaseCapability): number {
  const candidates = (g.allowedPercentages ?? [10, 20, 50, g.min]).filter((p) => p >= g.min && p <= g.max && p < 100);
  // A slice of 10 % or more reads clearly in listings; the smallest allowed one otherwise.
  const pick = candidates.find((p) => p >= 10) ?? candidates[0];
  if (pick === undefined) throw new Error(`no gray percentage below 100 in ${JSON.stringify(g)}`);
  return pick;
}

export function describeLifecycle(s: SuiteContext, caps: HostCapabilities): void {
  describe('lifecycle', () => {
    it('answers the health probe for a fresh app', async () => {
      const ctx = await s.newApp();
      await expect(s.adapter.probe(ctx)).resolves.toBeUndefined();
    });

    it('uploads, is rejected, resubmits, is approved, releases, ships 1.1.0 and rolls back', async () => {
      const ctx = await s.newApp({ decision: 'reject', reason: REJECT_REASON });
      const def = s.harness.validDefinition();
      const pushes = s.adapter.capabilities.reviewPushes;

      // v1.0.0: rejected first, by push and by status.
      const up = await s.uploaded(ctx, '1.0.0');
      const rejectedRef = await s.submitted(ctx, '1.0.0', up);
      if (pushes) {
        await s.pushedReviewEvents(ctx.hostAppId, ['REVIEW_REJECTED']);
        expectRejectionPush(s, s.receiver.reviewPushesFor(ctx.hostAppId)[0]);
      }
      const rejected = await s.statusBecomes(ctx, rejectedRef, 'REJECTED');
      expect(rejected.reason ?? '').toContain(REJECT_REASON);

      // Resubmitted with the latest ref (what the gateway stores), approved by push and by status.
      s.sandbox.setReviewPolicy(ctx.hostAppId, { decision: 'approve' });
      const sub = await s.adapter.submitForReview(ctx, def, s.version('1.0.0'), rejectedRef);
      expect(['IN_REVIEW', 'APPROVED']).toContain(sub.status);
      if (pushes) await s.pushedReviewEvents(ctx.hostAppId, ['REVIEW_REJECTED', 'REVIEW_APPROVED']);
      await s.statusBecomes(ctx, sub.ref, 'APPROVED');

      const released = await s.adapter.release(ctx, sub.ref);
      expect(['RELEASING', 'RELEASED']).toContain(released.status);
      await s.liveBecomes(ctx, { liveVersion: '1.0.0', grayVersion: null });

      // v1.1.0 through review, then gray (when offered) and full release.
      const v2 = await s.approved(ctx, '1.1.0');
      const gray = s.adapter.capabilities.grayRelease;
      if (gray) {
        const p = allowedGrayPercentage(gray);
        const grayed = await s.adapter.release(ctx, v2, { grayPercentage: p });
        expect(['RELEASING', 'GRAY']).toContain(grayed.status);
        await s.liveBecomes(ctx, { liveVersion: '1.0.0', grayVersion: '1.1.0', grayPercentage: p });
        if (gray.cancellable) {
          // Users in the slice go back to 1.0.0; the approved 1.1.0 can still be released in full.
          await s.adapter.cancelGray(ctx, v2);
          await s.liveBecomes(ctx, { liveVersion: '1.0.0', grayVersion: null, grayPercentage: null });
        }
      }
      const full = await s.adapter.release(ctx, v2);
      expect(['RELEASING', 'RELEASED']).toContain(full.status);
      await s.liveBecomes(ctx, { liveVersion: '1.1.0', grayVersion: null, grayPercentage: null });

      if (s.adapter.capabilities.rollback) {
        const back = await s.adapter.rollback(ctx, v2);
        if (back.restoredVersion !== null) expect(back.restoredVersion).toBe('1.0.0');
        await s.liveBecomes(ctx, { liveVersion: '1.0.0', grayVersion: null });
      }
    });

    // The gateway's read-back after a lost upload answer: "not there" must read as null (upload
    // again), never as an error worth retrying, or the submission waits on it until it gives up.
    it('finds an upload whose answer was lost, and reports a version never uploaded as absent', async () => {
      const ctx = await s.newApp();
      await expect(s.adapter.findUpload(ctx, s.version('3.0.0'))).resolves.toBeNull();
      await s.uploaded(ctx, '3.0.0');
      const found = await s.adapter.findUpload(ctx, s.version('3.0.0'));
      expect(found).toMatchObject({ ref: { version: '3.0.0' } });
      expect(['UPLOADING', 'UPLOADED']).toContain(found!.status);
      await expect(s.adapter.findUpload(ctx, s.version('3.0.1'))).resolves.toBeNull();
    });

    // Hosts without withdraw are covered by the capability section (refused before any call).
    if (caps.withdrawReview) {
      it('withdraws a version held in review', async () => {
        const ctx = await s.newApp({ decision: 'hold' });
        const ref = await s.submitted(ctx, '2.0.0', await s.uploaded(ctx, '2.0.0'));
        await s.statusBecomes(ctx, ref, 'IN_REVIEW');
        expect(s.sandbox.live(ctx.hostAppId).inReview).toBe('2.0.0');
        expect(await s.adapter.readListing(ctx)).toMatchObject({ liveVersion: null, pendingVersion: '2.0.0', pendingStatus: 'IN_REVIEW' });
        await s.adapter.withdrawReview(ctx, ref);
        await s.statusBecomes(ctx, ref, 'WITHDRAWN');
        expect(s.sandbox.live(ctx.hostAppId).inReview).toBeNull();
      });
    }
  });
}

function expectRejectionPush(s: SuiteContext, parsed: ParsedCallback | undefined): void {
  expect(parsed).toBeDefined();
  const p = parsed!;
  expect(p.host).toBe(s.hostId);
  expect(p.dedupeKey.length).toBeGreaterThan(0);
  expect(p.reply).toMatchObject({ status: 200, body: s.harness.pushReplyBody ?? 'success' });
  const event = p.events.find((e) => e.type === 'REVIEW_REJECTED');
  expect(event).toMatchObject({ type: 'REVIEW_REJECTED', hostAppId: expect.any(String) });
  if (event?.type === 'REVIEW_REJECTED') expect(event.reason ?? '').toContain(REJECT_REASON);
}
