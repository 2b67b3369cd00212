import type { ConformanceHarness } from '../core/conformance/harness.js';
import type { ListingDefinition, VersionSpec } from '../core/index.js';
import type { BytedanceCredentials } from './bytedance.credentials.js';
import { bytedanceAdapterFactory } from './bytedance.factory.js';
import { BytedanceSandbox } from './sandbox/bytedance-sandbox.js';

const MB = 1024 * 1024;

const validDefinition = (): ListingDefinition => ({
  name: '城市点餐助手',
  description: '附近餐厅在线点餐、排队取号与外卖配送服务',
  category: 'life.food',
  keywords: ['点餐', '外卖'],
  icon: { url: 'https://cdn.sandbox.test/icons/food.png', sha256: 'a'.repeat(64), width: 144, height: 144, sizeBytes: 48_000 },
  servicePhone: '4001234567',
  serviceEmail: 'support@sandbox.test',
  privacyPolicyUrl: 'https://sandbox.test/privacy',
});

const validVersion = (semver: string): VersionSpec => ({
  version: semver,
  releaseNotes: `版本 ${semver}：修复已知问题。测试账号见附件`,
  artifact: { kind: 'TEMPLATE', templateId: '3021', extJson: { extAppid: 'tt0000000000000000', ext: { shop: 'sandbox' } }, sizeBytes: 1_500_000 },
});

export const bytedanceConformanceHarness: ConformanceHarness<BytedanceCredentials> = {
  hostId: 'BYTEDANCE',
  factory: bytedanceAdapterFactory,
  // The suite resubmits right after a rejection; the 10 s submit gap (11301) has its own spec.
  createSandbox: () => new BytedanceSandbox({ ticketIntervalMs: 0, submitIntervalMs: 0 }),
  validDefinition,
  validVersion,
  invalidCases: [
    {
      name: 'name of one character',
      definition: { ...validDefinition(), name: '点' },
      version: validVersion('1.0.0'),
      expect: [{ field: 'name', rule: 'minLength' }],
    },
    {
      name: 'audit note over 200 characters and a games category',
      definition: { ...validDefinition(), category: 'games.casual' },
      version: { ...validVersion('1.0.0'), releaseNotes: '新'.repeat(201) },
      expect: [
        { field: 'releaseNotes', rule: 'maxLength' },
        { field: 'category', rule: 'categoryUnmapped' },
      ],
    },
    {
      name: 'package artifact on a template-only platform',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'PACKAGE', url: 'https://cdn.sandbox.test/p.zip', sha256: 'b'.repeat(64), sizeBytes: 5 * MB } },
      expect: [
        { field: 'artifact.kind', rule: 'artifactKind' },
        { field: 'artifact.sizeBytes', rule: 'packageSize' },
      ],
    },
    {
      name: 'template over 16 MB with a non-numeric template id',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'TEMPLATE', templateId: 'tpl-7', extJson: {}, sizeBytes: 17 * MB } },
      expect: [
        { field: 'artifact.templateId', rule: 'templateId' },
        { field: 'artifact.sizeBytes', rule: 'packageSize' },
      ],
    },
    {
      name: 'user_version with a space',
      definition: validDefinition(),
      version: validVersion('1.0 beta'),
      expect: [{ field: 'version', rule: 'versionFormat' }],
    },
    {
      name: 'user_version over 64 characters',
      definition: validDefinition(),
      version: validVersion(`1.0.0-${'x'.repeat(60)}`),
      expect: [{ field: 'version', rule: 'maxLength' }],
    },
    {
      name: 'no icon, no description and an unknown category',
      definition: { ...validDefinition(), icon: null, description: ' ', category: 'pets.grooming' },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'icon', rule: 'required' },
        { field: 'description', rule: 'required' },
        { field: 'category', rule: 'categoryUnmapped' },
      ],
    },
  ],
  tokenRequestPath: /^\/(openapi\/v2\/auth\/tp\/token|api\/tpapp\/v2\/auth\/get_auth_token)\/$/,
  pushReplyBody: 'success',
  // Written from shared/hosts/alipay-baidu-bytedance.md C3, not from bytedance.errors.ts.
  nativeErrors: [
    { nativeCode: '40001', operation: 'upload', kind: 'invalid', retryable: false }, // parameter error
    { nativeCode: '40029', operation: 'upload', kind: 'invalid', retryable: false }, // template not found
    { nativeCode: '11301', operation: 'submitForReview', kind: 'rate_limited', retryable: true }, // retry after 10 s
    { nativeCode: '11303', operation: 'submitForReview', kind: 'conflict', retryable: false }, // already under audit
    { nativeCode: '11302', operation: 'submitForReview', kind: 'conflict', retryable: false }, // no test version
    { nativeCode: '11300', operation: 'submitForReview', kind: 'unavailable', retryable: true }, // submit failed
    { nativeCode: '10107', operation: 'submitForReview', kind: 'rejected', retryable: false }, // app banned
    { nativeCode: '10003', operation: 'submitForReview', kind: 'auth', retryable: false }, // no permission
    { nativeCode: '28001018', operation: 'reviewStatus', kind: 'auth', retryable: false }, // capability not granted
    { nativeCode: '11602', operation: 'withdrawReview', kind: 'conflict', retryable: false }, // processing
    { nativeCode: '11600', operation: 'withdrawReview', kind: 'unavailable', retryable: true }, // revoke failed
    { nativeCode: '11402', operation: 'release', kind: 'conflict', retryable: false }, // no audit version
    { nativeCode: '11403', operation: 'release', kind: 'conflict', retryable: false }, // still auditing
    { nativeCode: '10104', operation: 'release', kind: 'rejected', retryable: false }, // subject banned
    { nativeCode: '11400', operation: 'release', kind: 'unavailable', retryable: true }, // release failed
    { nativeCode: '11501', operation: 'rollback', kind: 'rate_limited', retryable: true }, // retry after 10 min
    { nativeCode: '11500', operation: 'rollback', kind: 'unavailable', retryable: true }, // rollback failed
    { nativeCode: '10003', operation: 'rollback', kind: 'conflict', retryable: false }, // record not found
    { nativeCode: '28001018', operation: 'readListing', kind: 'auth', retryable: false }, // capability not granted
  ],
};
