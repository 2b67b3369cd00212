import type { ConformanceHarness } from '../core/conformance/harness.js';
import type { ListingDefinition, VersionSpec } from '../core/index.js';
import { WechatSandbox } from './sandbox/wechat-sandbox.js';
import type { WechatCredentials } from './wechat.credentials.js';
import { wechatAdapterFactory } from './wechat.factory.js';

const validDefinition = (): ListingDefinition => ({
  name: '城市点餐助手',
  description: '附近餐厅在线点餐、排队取号与外卖配送服务',
  category: 'life.food',
  keywords: ['点餐', '外卖', '排队'],
  icon: { url: 'https://cdn.sandbox.test/icons/food.png', sha256: 'a'.repeat(64), width: 144, height: 144, sizeBytes: 48_000 },
  servicePhone: '4001234567',
  serviceEmail: 'support@sandbox.test',
  privacyPolicyUrl: 'https://sandbox.test/privacy',
});

const validVersion = (semver: string): VersionSpec => ({
  version: semver,
  releaseNotes: `版本 ${semver}：修复已知问题`,
  artifact: { kind: 'TEMPLATE', templateId: '17', extJson: { extAppid: 'wx0000000000000000', ext: { shop: 'sandbox' } }, sizeBytes: 1_500_000 },
});

export const wechatConformanceHarness: ConformanceHarness<WechatCredentials> = {
  hostId: 'WECHAT',
  factory: wechatAdapterFactory,
  createSandbox: () => new WechatSandbox({ ticketIntervalMs: 0 }),
  validDefinition,
  validVersion,
  invalidCases: [
    {
      name: 'name too short (CJK counts 2)',
      definition: { ...validDefinition(), name: '点' },
      version: validVersion('1.0.0'),
      expect: [{ field: 'name', rule: 'minLength' }],
    },
    {
      name: 'name contains 小程序',
      definition: { ...validDefinition(), name: '点餐小程序' },
      version: validVersion('1.0.0'),
      expect: [{ field: 'name', rule: 'forbiddenWord' }],
    },
    {
      name: 'description too long and games category',
      definition: { ...validDefinition(), description: '好'.repeat(121), category: 'games.casual' },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'description', rule: 'maxLength' },
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
      name: 'template package over 20 MB with a non-numeric template id',
      definition: validDefinition(),
      version: { ...validVersion('1.0.0'), artifact: { kind: 'TEMPLATE', templateId: 'tpl', extJson: {}, sizeBytes: 25 * 1024 * 1024 } },
      expect: [
        { field: 'artifact.templateId', rule: 'templateId' },
        { field: 'artifact.sizeBytes', rule: 'packageSize' },
      ],
    },
    {
      name: 'user_version over 64 characters',
      definition: validDefinition(),
      version: validVersion(`1.0.0-${'x'.repeat(60)}`),
      expect: [{ field: 'version', rule: 'maxLength' }],
    },
    {
      name: 'no icon and no service contact',
      definition: { ...validDefinition(), icon: null, servicePhone: null, serviceEmail: null },
      version: validVersion('1.0.0'),
      expect: [
        { field: 'icon', rule: 'required' },
        { field: 'servicePhone', rule: 'serviceContact' },
      ],
    },
  ],
  tokenRequestPath: /^\/cgi-bin\/component\/api_(component|authorizer)_token$/,
  // §5: WeChat replaces $APPID$ in the message URL with the authorizer appid; audit pushes carry only the gh_ id.
  pushPath: '/callbacks/wechat/$APPID$',
  pushReplyBody: 'success',
  // Written from shared/hosts/wechat.md §2, §3 and §4, not from wechat.errors.ts.
  nativeErrors: [
    { nativeCode: '85013', operation: 'upload', kind: 'invalid', retryable: false }, // invalid ext_json
    { nativeCode: '85014', operation: 'upload', kind: 'invalid', retryable: false }, // template not exist
    { nativeCode: '9402202', operation: 'upload', kind: 'rate_limited', retryable: true }, // concurrent limit
    { nativeCode: '45009', operation: 'upload', kind: 'quota', retryable: true }, // daily api quota
    { nativeCode: '85009', operation: 'submitForReview', kind: 'conflict', retryable: false }, // already under audit
    { nativeCode: '85085', operation: 'submitForReview', kind: 'quota', retryable: true }, // monthly audit quota
    { nativeCode: '86002', operation: 'submitForReview', kind: 'invalid', retryable: false }, // init incomplete
    { nativeCode: '61007', operation: 'submitForReview', kind: 'auth', retryable: false }, // permission set not granted
    { nativeCode: '85012', operation: 'reviewStatus', kind: 'invalid', retryable: false }, // invalid audit id
    { nativeCode: '-1', operation: 'reviewStatus', kind: 'unavailable', retryable: true }, // system busy
    { nativeCode: '87013', operation: 'withdrawReview', kind: 'quota', retryable: true }, // undo quota 5/day
    { nativeCode: '85019', operation: 'release', kind: 'conflict', retryable: false }, // nothing approved
    { nativeCode: '85020', operation: 'release', kind: 'conflict', retryable: false }, // status not allowed
    { nativeCode: '45011', operation: 'release', kind: 'rate_limited', retryable: true }, // minute quota
    { nativeCode: '87011', operation: 'rollback', kind: 'conflict', retryable: false }, // gray in progress
    { nativeCode: '87012', operation: 'rollback', kind: 'conflict', retryable: false }, // cannot revert
    { nativeCode: '48001', operation: 'readListing', kind: 'auth', retryable: false }, // api unauthorized
  ],
};
