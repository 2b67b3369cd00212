import { describe, expect, it } from '@jest/globals';
import type { CallContext } from '../host-adapter.js';
import type { ConformanceOperation } from './harness.js';
import { secretStringsOf, leakedSecrets } from './secrets.js';
import { hostErrorOf, type SuiteContext } from './suite-context.js';

const UNEXPECTED_ANSWERS = [
  {
    name: 'an HTML page from a proxy (HTTP 200)',
    contentType: 'text/html',
    body: '<html><head><title>Bad Gateway</title></head><body>upstream error</body></html>',
  },
  { name: 'text that is not JSON', contentType: 'text/plain', body: 'upstream connect error or disconnect/reset before headers' },
  { name: 'JSON in neither of its envelopes', contentType: 'application/json', body: '{"result":"ok","items":[]}' },
];

// The short deadline of the timeout test's own adapter, and how long the sandbox hangs: longer
// than any test may run, so only the adapter's own deadline can end the call (no timing asserted).
const SHORT_TIMEOUT_MS = 300;
const HANG_MS = 600_000;

/**
 * Brings a fresh app where `operation` makes sense and returns the call to make. The injected
 * fault answers before the host's state machine, so the state only has to be plausible; the
 * app's token is warmed first (by an earlier call) so the fault hits the operation's own call,
 * not a token request.
 */
async function prepare(s: SuiteContext, operation: ConformanceOperation): Promise<{ ctx: CallContext<unknown>; run: () => Promise<unknown> }> {
  const def = s.harness.validDefinition();
  const v1 = s.version('1.0.0');
  switch (operation) {
    case 'upload':
    case 'readListing': {
      const ctx = await s.newApp();
      await s.adapter.readListing(ctx);
      return { ctx, run: () => (operation === 'upload' ? s.adapter.upload(ctx, def, v1) : s.adapter.readListing(ctx)) };
    }
    case 'submitForReview':
    case 'reviewStatus': {
      const ctx = await s.newApp();
      const ref = await s.uploaded(ctx, '1.0.0');
      return { ctx, run: () => (operation === 'reviewStatus' ? s.adapter.reviewStatus(ctx, ref) : s.adapter.submitForReview(ctx, def, v1, ref)) };
    }
    case 'withdrawReview': {
      const ctx = await s.newApp({ decision: 'hold' });
      const ref = await s.submitted(ctx, '1.0.0', await s.uploaded(ctx, '1.0.0'));
      return { ctx, run: () => s.adapter.withdrawReview(ctx, ref) };
    }
    case 'release': {
      const ctx = await s.newApp();
      const ref = await s.approved(ctx, '1.0.0');
      return { ctx, run: () => s.adapter.release(ctx, ref) };
    }
    case 'rollback': {
      const ctx = await s.newApp();
      const ref = await s.approved(ctx, '1.0.0');
      await s.adapter.release(ctx, ref);
      await s.liveBecomes(ctx, { liveVersion: '1.0.0' });
      return { ctx, run: () => s.adapter.rollback(ctx, ref) };
    }
  }
}

function secretsOf(s: SuiteContext, ctx: CallContext<unknown>): string[] {
  return [...secretStringsOf(ctx.credentials), ...secretStringsOf(s.sandbox.callbackSecrets)];
}

export function describeErrors(s: SuiteContext): void {
  describe('error mapping', () => {
    it('has native errors to check', () => {
      expect(s.harness.nativeErrors.length).toBeGreaterThan(0);
    });

    for (const e of s.harness.nativeErrors) {
      it(`maps ${e.nativeCode} on ${e.operation} to ${e.kind}${e.retryable ? ' (retryable)' : ''}`, async () => {
        const { ctx, run } = await prepare(s, e.operation);
        s.sandbox.faults.failNext({ nativeCode: e.nativeCode });
        const error = await hostErrorOf(run());
        expect({ host: error.host, kind: error.kind, retryable: error.retryable }).toEqual({ host: s.hostId, kind: e.kind, retryable: e.retryable });
        expect(error.nativeCode ?? '').toContain(e.nativeCode);
        expect(leakedSecrets(error, secretsOf(s, ctx))).toEqual([]);
      });
    }

    it('maps HTTP 503 to a retryable unavailable error', async () => {
      const ctx = await s.newApp();
      await s.adapter.readListing(ctx);
      s.sandbox.faults.serverErrorRate = 1;
      const error = await hostErrorOf(s.adapter.readListing(ctx));
      expect({ host: error.host, kind: error.kind, retryable: error.retryable }).toEqual({ host: s.hostId, kind: 'unavailable', retryable: true });
      expect(leakedSecrets(error, secretsOf(s, ctx))).toEqual([]);
    });

    // Answers in none of the host's documented shapes: each must fail as unexpected_answer, not
    // retried, with the text kept as evidence; never a success, never an endless retry.
    for (const u of UNEXPECTED_ANSWERS) {
      it(`reads ${u.name} as an unexpected answer, not retried, with the text kept`, async () => {
        const ctx = await s.newApp();
        await s.adapter.readListing(ctx);
        s.sandbox.faults.answerNext({ body: u.body, contentType: u.contentType });
        const error = await hostErrorOf(s.adapter.readListing(ctx));
        expect({ host: error.host, kind: error.kind, retryable: error.retryable, retryAfterMs: error.retryAfterMs }).toEqual({
          host: s.hostId,
          kind: 'unexpected_answer',
          retryable: false,
          retryAfterMs: null,
        });
        expect(error.evidence ?? '').toContain(u.body.slice(0, 40));
        expect(leakedSecrets(error, secretsOf(s, ctx))).toEqual([]);
      });
    }

    it('gives up on a hung host at its deadline with a retryable unavailable error', async () => {
      const adapter = s.newAdapter(SHORT_TIMEOUT_MS);
      const ctx = await s.newApp();
      await adapter.readListing(ctx);
      Object.assign(s.sandbox.faults, { timeoutRate: 1, hangMs: HANG_MS });
      const error = await hostErrorOf(adapter.readListing(ctx));
      expect({ kind: error.kind, retryable: error.retryable }).toEqual({ kind: 'unavailable', retryable: true });
    });
  });
}
