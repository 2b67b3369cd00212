import { afterAll, afterEach, beforeAll, describe, expect } from '@jest/globals';
import type { HostCapabilities } from '../capabilities.js';
import type { HttpTransport } from '../http.js';
import { InMemoryTokenStore } from '../token-store.js';
import { describePushes, describeSecrets, describeTokens } from './auth-and-pushes.cases.js';
import { describeCapabilities } from './capability.cases.js';
import { describeErrors } from './errors.cases.js';
import type { ConformanceHarness } from './harness.js';
import { describeLifecycle } from './lifecycle.cases.js';
import { SuiteContext } from './suite-context.js';
import { describeValidation } from './validation.cases.js';

/**
 * Capabilities are static data; they are read from an instance that is never called, so the
 * suite can name and select its tests before any sandbox runs.
 */
function capabilitiesOf(harness: ConformanceHarness<unknown>): HostCapabilities {
  const refuse: HttpTransport = async () => {
    throw new Error('reading capabilities must not call the host');
  };
  const adapter = harness.factory.create({ baseUrl: 'http://127.0.0.1:9', http: refuse, tokenStore: new InMemoryTokenStore() });
  return adapter.capabilities;
}

/**
 * The shared conformance suite: every host adapter must pass it against its own sandbox.
 * Call it from `adapters/<host>/<host>.conformance.spec.ts`:
 *
 *   describeConformance(wechatConformanceHarness);
 *
 * Each test creates its own app in the sandbox, so tests never depend on each other; faults are
 * reset after each test.
 */
export function describeConformance<C>(harness: ConformanceHarness<C>): void {
  const h = harness as ConformanceHarness<unknown>;
  const caps = capabilitiesOf(h);
  const s = new SuiteContext(h);

  describe(`${harness.hostId} conformance`, () => {
    beforeAll(() => s.start());
    afterAll(() => s.stop());
    afterEach(() => s.sandbox.faults.reset());
    // Every case runs with the capturing logger: no credential, push secret, token or key
    // material may appear in any line the adapter logged during it.
    afterEach(() => {
      try {
        expect(s.secretsInLogs()).toEqual([]);
      } finally {
        s.logger.clear();
      }
    });

    describeValidation(s);
    describeLifecycle(s, caps);
    describeCapabilities(s, caps);
    describeErrors(s);
    describeTokens(s);
    describePushes(s, caps);
    describeSecrets(s, caps);
  });
}
