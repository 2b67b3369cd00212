import { describe, expect, it } from '@jest/globals';
import type { HostCapabilities } from '../capabilities.js';
import { CallbackRejectedError } from '../host-adapter.js';
import { eventually } from './eventually.js';
import { leakedSecrets, secretStringsOf } from './secrets.js';
import { failureOf, hostErrorOf, OUTCOME_WITHIN_MS, type SuiteContext } from './suite-context.js';

const BURST = 5;

export function describeTokens(s: SuiteContext): void {
  const tokenPath = s.harness.tokenRequestPath;
  if (!tokenPath) return; // the host signs every call (Alipay): no bearer token to refresh
  describe('tokens', () => {
    // Counted per token endpoint: the app's token is requested once, and the platform token
    // (component / TP token, also expired by expireTokens) at most once; never one per caller.
    it(`refreshes expired tokens once for a burst of ${BURST} concurrent calls`, async () => {
      const ctx = await s.newApp();
      const first = await s.adapter.readListing(ctx);
      s.sandbox.faults.expireTokens();
      const before = s.sandbox.calls.length;
      const listings = await Promise.all(Array.from({ length: BURST }, () => s.adapter.readListing(ctx)));
      for (const l of listings) expect(l.liveVersion).toBe(first.liveVersion);
      const perPath = new Map<string, number>();
      for (const c of s.sandbox.calls.slice(before)) if (tokenPath.test(c.path)) perPath.set(c.path, (perPath.get(c.path) ?? 0) + 1);
      expect([...perPath.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      expect(Object.fromEntries(perPath)).toEqual(Object.fromEntries([...perPath.keys()].map((p) => [p, 1])));
      expect(perPath.size).toBeLessThanOrEqual(2);
    });
  });
}

export function describePushes(s: SuiteContext, caps: HostCapabilities): void {
  describe('pushes', () => {
    it('refuses a push signed with the wrong key', async () => {
      const ctx = await s.newApp();
      const error = await failureOf(
        Promise.resolve().then(() => s.adapter.parseCallback(s.sandbox.forgePush(ctx.hostAppId, 'badSignature'), s.sandbox.callbackSecrets)),
      );
      expect(error).toBeInstanceOf(CallbackRejectedError);
      expect(error).toMatchObject({ host: s.hostId, reason: 'signature' });
    });

    it('refuses a well-signed push addressed to another platform', async () => {
      const ctx = await s.newApp();
      const error = await failureOf(
        Promise.resolve().then(() => s.adapter.parseCallback(s.sandbox.forgePush(ctx.hostAppId, 'wrongAppId'), s.sandbox.callbackSecrets)),
      );
      expect(error).toBeInstanceOf(CallbackRejectedError);
      expect(error).toMatchObject({ host: s.hostId, reason: 'app_id' });
    });

    it("refuses a push whose envelope is not the host's", async () => {
      for (const body of ['', 'not a push', '{"Encrypt":42}', '<xml><Encrypt>AAAA</Encrypt></xml>']) {
        const raw = { method: 'POST', path: `/callbacks/${s.hostId.toLowerCase()}`, query: {}, headers: { 'content-type': 'text/plain' }, body };
        const error = await failureOf(Promise.resolve().then(() => s.adapter.parseCallback(raw, s.sandbox.callbackSecrets)));
        expect(error).toBeInstanceOf(CallbackRejectedError);
      }
    });

    if (caps.reviewPushes) {
      it('gives a push delivered twice the same dedupe key', async () => {
        s.sandbox.faults.duplicatePushes = true;
        const ctx = await s.newApp();
        await s.approved(ctx, '1.0.0');
        const pushes = await eventually(
          () => {
            const got = s.receiver.reviewPushesFor(ctx.hostAppId);
            expect(got).toHaveLength(2);
            return got;
          },
          { timeoutMs: OUTCOME_WITHIN_MS },
        );
        expect(pushes[1].dedupeKey).toBe(pushes[0].dedupeKey);
        expect(s.receiver.reviewEventTypes(ctx.hostAppId)).toEqual(['REVIEW_APPROVED', 'REVIEW_APPROVED']);
      });
    }
  });
}

export function describeSecrets(s: SuiteContext, caps: HostCapabilities): void {
  describe('secrets', () => {
    it('keeps credentials and push secrets out of results, evidence and errors', async () => {
      const ctx = await s.newApp({ decision: 'reject', reason: 'conformance: secrets check' });
      const secrets = [...secretStringsOf(ctx.credentials), ...secretStringsOf(s.sandbox.callbackSecrets)];
      expect(secrets.length).toBeGreaterThan(0);
      const def = s.harness.validDefinition();
      const v = s.version('1.0.0');
      const exposed: unknown[] = [];
      const up = await s.adapter.upload(ctx, def, v);
      exposed.push(up, await s.adapter.reviewStatus(ctx, up.ref));
      // Hosts that build asynchronously take a submission only once the build is done.
      if (up.status === 'UPLOADING') exposed.push(await s.statusBecomes(ctx, up.ref, 'UPLOADED'));
      const sub = await s.adapter.submitForReview(ctx, def, v, up.ref);
      exposed.push(sub, await s.statusBecomes(ctx, sub.ref, 'REJECTED'), await s.adapter.readListing(ctx));
      if (caps.reviewPushes) {
        await s.pushedReviewEvents(ctx.hostAppId, ['REVIEW_REJECTED']);
        exposed.push(...s.receiver.reviewPushesFor(ctx.hostAppId));
      }
      const first = s.harness.nativeErrors[0];
      if (first) {
        s.sandbox.faults.failNext({ nativeCode: first.nativeCode });
        exposed.push(await hostErrorOf(s.adapter.readListing(ctx)));
      }
      s.sandbox.faults.serverErrorRate = 1;
      exposed.push(await hostErrorOf(s.adapter.readListing(ctx)));
      for (const kind of ['badSignature', 'wrongAppId'] as const) {
        exposed.push(
          await failureOf(Promise.resolve().then(() => s.adapter.parseCallback(s.sandbox.forgePush(ctx.hostAppId, kind), s.sandbox.callbackSecrets))),
        );
      }
      expect(exposed.flatMap((x) => leakedSecrets(x, secrets))).toEqual([]);
    });
  });
}
