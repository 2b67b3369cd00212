// The modules the mutation run covers, each with the tests that guard it. Stryker runs one group
// at a time (test/mutation/run.mjs) so each mutant is tried only against its own tests.
// `file:from-to` mutates only those lines (used for the tenant filters inside the catalog services:
// move the ranges when those lines move).
export const GROUPS = {
  auth: {
    mutate: [
      'src/auth/auth.guard.ts',
      'src/auth/access.decorators.ts',
      'src/auth/scopes.ts',
      'src/auth/principal.ts',
      'src/auth/api-key.codec.ts',
      'src/auth/api-key.service.ts',
      'src/auth/organization.service.ts',
    ],
    // Unit specs only (the services run over in-memory repositories): with the e2e suites, which
    // boot a gateway per file for every mutant, this group took hours instead of minutes.
    // access-rules.spec.ts is left out too: it loads the whole app module graph for every mutant,
    // and what it checks (every resolver has a rule) is not code of these files.
    tests: ['src/auth/auth.guard.spec.ts', 'src/auth/scopes.spec.ts', 'src/auth/api-key.service.spec.ts', 'src/auth/api-key.codec.spec.ts'],
  },
  'tenant-filters': {
    // The organization filter (and the row lock beside it) of each catalog statement; ranges as of
    // the plain-SQL read path.
    mutate: [
      'src/catalog/mini-program.service.ts:28-29',
      'src/catalog/mini-program.service.ts:37-38',
      'src/catalog/mini-program.service.ts:90-90',
      'src/catalog/version.service.ts:57-58',
      'src/catalog/version.service.ts:74-77',
      'src/catalog/version.service.ts:84-85',
      'src/catalog/version.service.ts:126-126',
      'src/catalog/version.service.ts:140-142',
      'src/catalog/version.service.ts:154-155',
    ],
    tests: ['test/tenant-isolation.e2e-spec.ts', 'test/tenant-lists.e2e-spec.ts', 'test/catalog.e2e-spec.ts', 'test/row-locks.e2e-spec.ts'],
  },
  pagination: {
    mutate: ['src/common/pagination/cursor.ts', 'src/common/pagination/keyset-page.ts'],
    tests: ['src/common/pagination/*.spec.ts', 'test/keyset-pagination.e2e-spec.ts'],
  },
  lifecycle: {
    mutate: ['adapters/core/lifecycle.ts'],
    tests: ['adapters/core/lifecycle*.spec.ts'],
  },
  'error-formatter': {
    mutate: ['src/common/graphql-error-formatter.ts'],
    tests: ['src/common/graphql-error-formatter.spec.ts', 'src/common/graphql-error-formatter.cases.spec.ts'],
  },
  // Publishing: the submission machine (every stage change goes through it, judged by the
  // lifecycle table, with its event in the same transaction).
  publishing: {
    mutate: ['src/publishing/submission-machine.ts'],
    tests: ['src/publishing/submission-machine.spec.ts'],
  },
  // Host crypto: the shared push cipher, Alipay's RSA2 signatures and each host's signing code.
  'host-crypto': {
    mutate: [
      'adapters/core/push-crypto.ts',
      'adapters/alipay/alipay.signature.ts',
      'adapters/wechat/wechat.crypto.ts',
      'adapters/baidu/baidu.crypto.ts',
      'adapters/bytedance/bytedance.crypto.ts',
    ],
    tests: [
      'adapters/core/push-crypto.spec.ts',
      'adapters/*/*.crypto.spec.ts',
      'adapters/*/*.callbacks.spec.ts',
      'adapters/alipay/alipay.signature.spec.ts',
      'adapters/alipay/alipay.sdk-crosscheck.spec.ts',
    ],
  },
  // Push parsing, split so each run fits in a working session on a shared machine (the whole of
  // adapters/*/*.callbacks.ts is about 860 mutants). `push-verify` is the part that decides whether
  // a push is trusted: envelope, signature, decryption, app id checks. `push-events-<host>` is the
  // rest of that host's file: mapping trusted pushes to events, dedupe keys, redaction.
  // Line ranges: move them when those files change.
  'push-verify': {
    mutate: [
      'adapters/wechat/wechat.callbacks.ts:27-67',
      'adapters/alipay/alipay.callbacks.ts:17-20',
      'adapters/alipay/alipay.callbacks.ts:65-76',
      'adapters/baidu/baidu.callbacks.ts:26-50',
      'adapters/bytedance/bytedance.callbacks.ts:15-37',
      'adapters/bytedance/bytedance.callbacks.ts:110-135',
    ],
    tests: ['adapters/*/*.callbacks.spec.ts'],
  },
  'push-events-wechat': {
    mutate: ['adapters/wechat/wechat.callbacks.ts:1-26', 'adapters/wechat/wechat.callbacks.ts:68-164'],
    tests: ['adapters/wechat/wechat.callbacks.spec.ts'],
  },
  'push-events-alipay': {
    mutate: ['adapters/alipay/alipay.callbacks.ts:1-16', 'adapters/alipay/alipay.callbacks.ts:21-64', 'adapters/alipay/alipay.callbacks.ts:77-97'],
    tests: ['adapters/alipay/alipay.callbacks.spec.ts'],
  },
  'push-events-baidu': {
    mutate: ['adapters/baidu/baidu.callbacks.ts:1-25', 'adapters/baidu/baidu.callbacks.ts:51-115'],
    tests: ['adapters/baidu/baidu.callbacks.spec.ts'],
  },
  'push-events-bytedance': {
    mutate: [
      'adapters/bytedance/bytedance.callbacks.ts:1-14',
      'adapters/bytedance/bytedance.callbacks.ts:38-109',
      'adapters/bytedance/bytedance.callbacks.ts:136-145',
    ],
    tests: ['adapters/bytedance/bytedance.callbacks.spec.ts'],
  },
};

export function groupNamed(name) {
  const group = GROUPS[name];
  if (!group) throw new Error(`unknown mutation group ${JSON.stringify(name)}; one of ${Object.keys(GROUPS).join(', ')}`);
  return group;
}
