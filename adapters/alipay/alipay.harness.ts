import type { ConformanceHarness } from '../core/conformance/harness.js';
import type { ListingDefinition, VersionSpec } from '../core/index.js';
import type { AlipayCredentials } from './alipay.credentials.js';
import { alipayAdapterFactory } from './alipay.factory.js';
import { AlipaySandbox } from './sandbox/alipay-sandbox.js';

// The template mini-program's app id (A2 upload: template_id = template APPID, 16 digits).
const TEMPLATE_APP_ID = '2021004100000017';

const validDefinition = (): ListingDefinition => ({
  name: '城市点餐助手',
  slogan: '附近好店在线点餐更方便',
  description: '附近餐厅在线点餐、排队取号与外卖配送服务，支持到店自取',
  category: 'life.food',
  keywords: ['点餐', '外卖'],
  icon: { url: 'https://cdn.sandbox.test/icons/food.png', sha256: 'a'.repeat(64), width: 180, height: 180, sizeBytes: 48_000 },
  servicePhone: '400-123-4567',
  serviceEmail: 'support@sandbox.test',
  privacyPolicyUrl: 'https://sandbox.test/privacy',
});

const validVersion = (semver: string): VersionSpec => ({
  version: semver,
  // 30-500 with a Chinese character counting 2 (A2.2): this is well over 30.
  releaseNotes: `版本 ${semver}：修复已知问题，优化点餐流程与支付体验`,
  artifact: { kind: 'TEMPLATE', templateId: TEMPLATE_APP_ID, extJson: { shop: 'sandbox', theme: 'red' }, sizeBytes: 1_500_000 },
});

export const alipayConformanceHarness: ConformanceHarness<AlipayCredentials> = {
  hostId: 'ALIPAY',
  factory: alipayAdapterFactory,
  // Builds finish at once here: the suite's secrets case submits right after upload without
  // waiting for UPLOADED. The async build (build_status 1 -> 2) is covered by alipay.lifecycle.spec.ts.
  createSandbox: () => new AlipaySandbox({ buildDelayMs: 0 }),
  validDefinition,
  validVersion,
  invalidCases: [
    {
      name: 'version with a letter',
      definition: validDefinition(),
      version: validVersion('1.0.0-beta'),
      expect: [{ field: 'version', rule: 'versionFormat' }],
    },
    {
      name: 'version part over 2147483647',
      definition: validDefinition(),
      version: validVersion('1.2147483648.0'),
      expect: [{ field: 'version', rule: 'versionPartMax' }],
    },
    {
      name: 'name too long (Chinese counts 2) with an illegal character',
      definition: { ...validDefinition(), name: `${'点'.repeat(20)}!` },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'name', rule: 'maxLength' },
        { field: 'name', rule: 'nameChars' },
      ],
    },
    {
      name: 'slogan and description too short',
      definition: { ...validDefinition(), slogan: '点餐', description: '点餐服务' },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'slogan', rule: 'minLength' },
        { field: 'description', rule: 'minLength' },
      ],
    },
    {
      name: 'release notes under 30 units',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), releaseNotes: '修复问题' },
      expect: [{ field: 'releaseNotes', rule: 'minLength' }],
    },
    {
      name: 'no service contact',
      definition: { ...validDefinition(), servicePhone: null, serviceEmail: null },
      version: validVersion('1.0.0'),
      expect: [{ field: 'servicePhone', rule: 'serviceContact' }],
    },
    {
      name: 'phone with letters, gif logo that is not square',
      definition: {
        ...validDefinition(),
        servicePhone: '400-CALL',
        icon: { url: 'https://cdn.sandbox.test/i.gif', sha256: 'a'.repeat(64), width: 180, height: 120, sizeBytes: 3 * 1024 * 1024 },
      },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'servicePhone', rule: 'phoneFormat' },
        { field: 'icon.url', rule: 'iconFormat' },
        { field: 'icon.width', rule: 'iconSquare' },
        { field: 'icon.sizeBytes', rule: 'iconSize' },
      ],
    },
    {
      name: 'template id not a 16-digit app id, package over 8 MB',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'TEMPLATE', templateId: 'tpl-1', extJson: {}, sizeBytes: 9 * 1024 * 1024 } },
      expect: [
        { field: 'artifact.templateId', rule: 'templateId' },
        { field: 'artifact.sizeBytes', rule: 'packageSize' },
      ],
    },
    {
      name: 'package artifact',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'PACKAGE', url: 'https://cdn.sandbox.test/p.zip', sha256: 'b'.repeat(64), sizeBytes: 1000 } },
      expect: [{ field: 'artifact.kind', rule: 'artifactKind' }],
    },
    {
      name: 'top-level category only',
      definition: { ...validDefinition(), category: 'life' },
      version: validVersion('1.0.0'),
      expect: [{ field: 'category', rule: 'categoryUnmapped' }],
    },
  ],
  // Alipay signs every call and the app_auth_token is long-lived (A5): there is no token endpoint.
  tokenRequestPath: null,
  // Written from shared/hosts A3 (codes and the FAQ sub_codes), not from alipay.errors.ts.
  nativeErrors: [
    { nativeCode: '40004/VERSION_HAS_EXISTED', operation: 'upload', kind: 'conflict', retryable: false },
    { nativeCode: '40004/INVALID_EXT_JSON', operation: 'upload', kind: 'invalid', retryable: false },
    { nativeCode: '40004/TEMPLATE_MINIAPP_NOT_ALLOWED', operation: 'upload', kind: 'auth', retryable: false },
    { nativeCode: '20000/isp.unknow-error', operation: 'upload', kind: 'unavailable', retryable: true },
    { nativeCode: '40004/CAN_NOT_SUBMIT_WITH_AUDIT_GRAY', operation: 'submitForReview', kind: 'conflict', retryable: false },
    { nativeCode: '40004/VERSION_DESC_IS_BLANK', operation: 'submitForReview', kind: 'invalid', retryable: false },
    { nativeCode: '40004/MINI_APP_NAME_SENSITIVE', operation: 'submitForReview', kind: 'rejected', retryable: false },
    { nativeCode: '40002/isv.invalid-signature', operation: 'submitForReview', kind: 'invalid', retryable: false },
    { nativeCode: '20000/aop.unknow-error', operation: 'reviewStatus', kind: 'unavailable', retryable: true },
    { nativeCode: '20001/aop.invalid-app-auth-token', operation: 'reviewStatus', kind: 'auth', retryable: false },
    { nativeCode: '40004/APP_VERSION_IS_BLANK', operation: 'withdrawReview', kind: 'conflict', retryable: true },
    { nativeCode: '40004/GRAY_STRATEGY_IS_INVALID', operation: 'release', kind: 'invalid', retryable: false },
    { nativeCode: '40004/MINI_APP_PACKAGE_INFO_NOT_EXIST', operation: 'release', kind: 'conflict', retryable: true },
    { nativeCode: '40006/isv.insufficient-isv-permissions', operation: 'rollback', kind: 'auth', retryable: false },
    { nativeCode: '20001/aop.invalid-app-auth-token-no-api', operation: 'readListing', kind: 'auth', retryable: false },
    { nativeCode: '40001/isv.missing-signature', operation: 'readListing', kind: 'invalid', retryable: false },
  ],
  pushPath: '/callbacks/alipay',
  pushReplyBody: 'success',
};
