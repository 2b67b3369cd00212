import type { ConformanceHarness } from '../core/conformance/harness.js';
import type { ListingDefinition, VersionSpec } from '../core/index.js';
import type { BaiduCredentials } from './baidu.credentials.js';
import { baiduAdapterFactory } from './baidu.factory.js';
import { BaiduSandbox } from './sandbox/baidu-sandbox.js';

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
  releaseNotes: `版本 ${semver}：修复已知问题`,
  artifact: { kind: 'TEMPLATE', templateId: '23', extJson: { ext: { shop: 'sandbox' } }, sizeBytes: 1_500_000 },
});

export const baiduConformanceHarness: ConformanceHarness<BaiduCredentials> = {
  hostId: 'BAIDU',
  factory: baiduAdapterFactory,
  createSandbox: () => new BaiduSandbox({ ticketIntervalMs: 0 }),
  validDefinition,
  validVersion,
  invalidCases: [
    {
      name: 'name over 10 characters',
      definition: { ...validDefinition(), name: '城市点餐与外卖配送服务助手' },
      version: validVersion('1.0.0'),
      expect: [{ field: 'name', rule: 'maxLength' }],
    },
    {
      name: 'description too short and games category',
      definition: { ...validDefinition(), description: '点餐', category: 'games.casual' },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'description', rule: 'minLength' },
        { field: 'category', rule: 'categoryUnmapped' },
      ],
    },
    {
      name: 'package artifact on a template-only platform',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'PACKAGE', url: 'https://cdn.sandbox.test/p.zip', sha256: 'b'.repeat(64), sizeBytes: 1000 } },
      expect: [{ field: 'artifact.kind', rule: 'artifactKind' }],
    },
    {
      name: 'template over 8 MB with a non-numeric template id',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'TEMPLATE', templateId: 'tpl-a', extJson: {}, sizeBytes: 9 * 1024 * 1024 } },
      expect: [
        { field: 'artifact.templateId', rule: 'templateId' },
        { field: 'artifact.sizeBytes', rule: 'packageSize' },
      ],
    },
    { name: 'user_version not x.y.z', definition: validDefinition(), version: validVersion('v1-beta'), expect: [{ field: 'version', rule: 'versionFormat' }] },
    { name: 'no icon', definition: { ...validDefinition(), icon: null }, version: validVersion('1.0.0'), expect: [{ field: 'icon', rule: 'required' }] },
  ],
  tokenRequestPath: /^\/(public\/2\.0\/smartapp\/auth\/tp\/token|rest\/2\.0\/oauth\/token)$/,
  pushReplyBody: 'success',
  // Written from shared/hosts/alipay-baidu-bytedance.md B3 (and the package-code readings in the
  // profile assumptions), not from baidu.errors.ts.
  nativeErrors: [
    { nativeCode: '40001', operation: 'upload', kind: 'invalid', retryable: false }, // params illegal
    { nativeCode: '50032', operation: 'upload', kind: 'auth', retryable: false }, // no authorization relation
    { nativeCode: '40045', operation: 'submitForReview', kind: 'conflict', retryable: false }, // wrong app state
    { nativeCode: '69013', operation: 'submitForReview', kind: 'quota', retryable: true }, // audit quota (Java SDK SmartAppErrorCode)
    { nativeCode: '30007', operation: 'submitForReview', kind: 'auth', retryable: false }, // no permission
    { nativeCode: '40028', operation: 'submitForReview', kind: 'rejected', retryable: false }, // no subject info
    { nativeCode: '40001', operation: 'reviewStatus', kind: 'invalid', retryable: false },
    { nativeCode: '40045', operation: 'withdrawReview', kind: 'conflict', retryable: false },
    { nativeCode: '40032', operation: 'release', kind: 'conflict', retryable: false }, // no approved package
    { nativeCode: '40032', operation: 'rollback', kind: 'conflict', retryable: false }, // nothing to roll back to
    { nativeCode: '47005', operation: 'readListing', kind: 'quota', retryable: true }, // change limit
    { nativeCode: 'invalid_client', operation: 'readListing', kind: 'auth', retryable: false }, // OAuth error envelope
  ],
};
