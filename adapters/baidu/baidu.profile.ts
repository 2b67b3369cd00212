import { basicInfoSyncOf, type HostCapabilities, type HostProfile } from '../core/index.js';
import { BAIDU_BASIC_INFO } from './baidu.basic-info.js';
import { BAIDU_PACKAGE_CODES } from './baidu.errors.js';
import { BAIDU_ANSWER_FIXTURES } from './fixtures/baidu.answers.js';
import { BAIDU_LIMITS, BAIDU_PACKAGE_STATUS, BAIDU_UPLOAD_STATUS } from './baidu.rules.js';

/** Documented production API host (alipay-baidu-bytedance.md Part B); tests always use the sandbox's base URL. */
export const BAIDU_PRODUCTION_BASE_URL = 'https://openapi.baidu.com';

export const BAIDU_CAPABILITIES: HostCapabilities = {
  grayRelease: null, // B2: console-only, no TP API
  rollback: true,
  withdrawReview: true,
  speedUpReview: false,
  analytics: true, // /rest/2.0/smartapp/data/getanalysis* (official Go client openapi/tp/analysis)
  reviewPushes: true,
  basicInfoSync: basicInfoSyncOf(BAIDU_BASIC_INFO),
  basicInfo: BAIDU_BASIC_INFO,
  artifactKinds: ['TEMPLATE'],
};

const src = (section: string) => `shared/hosts/alipay-baidu-bytedance.md ${section}`;
const L = BAIDU_LIMITS;
const C = BAIDU_PACKAGE_CODES;

export const BAIDU_PROFILE: HostProfile = {
  displayName: 'Baidu (smart-program third-party platform)',
  limits: [
    { rule: 'name length', value: `${L.nameMin}-${L.nameMax} characters (assumed)`, source: src('B3 Name (community)') },
    { rule: 'description length', value: `${L.descriptionMin}-${L.descriptionMax} characters (assumed)`, source: 'not in shared/hosts' },
    {
      rule: 'user_version',
      value: `three or four dotted numbers (e.g. 10.30.0.3), <= ${L.userVersionMax} characters`,
      source: src('B2 upload; "Confirmed later" (four-part example)'),
    },
    {
      rule: 'artifact',
      value: 'code template with a numeric template_id; ext_json sent as a string with extEnable and extAppid',
      source: src('B2 upload, ext_json keys'),
    },
    { rule: 'package size', value: 'whole app <= 8 MB; main package or one subpackage <= 2 MB (only the total is checked)', source: src('B3 Package size') },
    { rule: 'icon', value: 'required, square PNG/JPG (assumed formats)', source: src('B3 47008') },
    {
      rule: 'release notes',
      value: `required (submitaudit content, sent with the required remark), <= ${L.releaseNotesMax} characters (assumed)`,
      source: src('B2 submitaudit; "Confirmed later" (remark)'),
    },
    { rule: 'audit', value: 'one package under audit at a time; periodic audit quota (package/auditquota)', source: src('B2 auditquota') },
    { rule: 'release', value: 'only an audit-passed package; needs subject certification', source: src('B2 release') },
    { rule: 'rollback', value: 'the online package back to its rollback_version; applies after a delay (status 8)', source: src('B2 rollback, status codes') },
    {
      rule: 'tokens',
      value: 'TP token 30 d (client_id + ticket), app token 1 h, single-use refresh token valid 10 y; renewed 5 min early',
      source: src('B1 #2, #5, #6'),
    },
  ],
  statusMapping: [
    ...Object.entries(BAIDU_UPLOAD_STATUS).map(([n, m]) => ({ native: `upload_status ${n} (${m.meaning})`, normalized: m.status })),
    ...Object.entries(BAIDU_PACKAGE_STATUS).map(([n, m]) => ({
      native: `status ${n} (${m.meaning})`,
      normalized: m.status,
      note:
        n === '3'
          ? 'WITHDRAWN when the version had been submitted (B2 has no withdrawn status)'
          : m.status === 'RELEASED'
            ? 'reviewStatus reports APPROVED'
            : undefined,
    })),
  ],
  quirks: [
    'Business answers are {errno, msg, data}; /rest/2.0/oauth/token answers bare JSON or {error, error_description} (Part B intro).',
    'The OpenAPI gateway envelope {error_code, error_msg} is checked before errno, as the official Go client does; access-token errors 110/111 arrive there and renew the token; it never reads as a success (fixture openapi.error).',
    'submitaudit sends package_id, content and the required remark (fixture package.submitaudit.request).',
    'Analytics: one day of getanalysisusertrend (gran day) gives opens, users, new users and the stay per user; the trend has no page views (fixture data.usertrend.success).',
    'package/get lists a package still uploading without package_id and status, an uploaded one without upload_status (fixture package.get.success): the id is learnt once the build is done.',
    'Package error codes from the official Java SDK enum SmartAppErrorCode: 69001-69013 (69013 audit quota), 50029, 50031.',
    'An answer in no envelope (not JSON, HTML, no errno, no error_code, no error) is unexpected_answer, not retried, with the text kept.',
    'Parameters go in the query for GET and as a form body for POST; access_token is always in the query (B2).',
    'The refresh token is single use: every refresh stores the new one in the token store before the access token, and the stored one is preferred (B1 #6).',
    'A refused app token (errno 110/111) is renewed once per burst and the call retried once; the TP token is renewed first (it is suspect too, and this keeps it to one TP and one oauth request), and an expired_token answer at oauth/token renews it again.',
    'Upload is asynchronous and answers no id: package ids with the same user_version are noted before the upload, the new package is found in package/get after it, waiting up to 4 s for the build (B2).',
    'Pushes are JSON envelopes {Nonce, TimeStamp, Encrypt, MsgSignature}; sha1 over the four sorted strings, AES-256-CBC with 16 random bytes and the TP app id around the message (B4).',
    'Gray release and expedited review have no TP API: refused before any call (B2).',
    'ext_json gets extEnable = true and extAppid = the merchant app id unless the artifact sets them (B2 ext_json keys).',
  ],
  assumptions: [
    `The official SDK names no "wrong state" code for the package APIs: wrong state ${C.wrongState} and no approved/previous package ${C.noApprovedPackage} are readings of B3's info.md codes (the audit quota, ${C.auditQuotaExhausted}, is the SDK's): BAIDU_PACKAGE_CODES in baidu.errors.ts.`,
    'Codes 1/2/4/6/17/18 keep their Baidu open-API meanings (not in shared/hosts): BAIDU_ERRNO_TABLE.',
    'A refused TP token at /rest/2.0/oauth/token answers {error: "expired_token"}, a spent refresh token {error: "invalid_grant"}: OAUTH_TOKEN_INVALID in baidu.errors.ts.',
    'An uploaded package has no upload_status (fixture package.get.success); anything other than 1 (uploading) and 3 (failed) also means done: BAIDU_UPLOAD_STATUS.',
    'A failed upload keeps its package_id and upload error in package/get (assembled from the Go struct, fixture package.get.uploadFailed) and in getdetail (our reading): BaiduAdapter.reviewStatus.',
    'submitaudit remark is "<name> <version>" (the field means 备注, free text): submitRemark in baidu.adapter.ts.',
    'user_version takes three or four groups of 1-4 digits; letters (a Java test shows d0.0.0.2) are not taken: USER_VERSION in baidu.rules.ts.',
    'The gateway codes 1, 2, 3, 4, 6, 17, 18, 100, 110, 111 come as {error_code, error_msg} (the Go client names only the envelope; 110/111 are confirmed): GATEWAY_CODES in the sandbox, BAIDU_ERRNO_TABLE for their kinds.',
    'package/rollback takes the online package id and restores its rollback_version (B2 gives only "package_id"): BaiduAdapter.rollback.',
    'package/getdetail with type=1 answers data null when nothing is online.',
    'The trailing app id of a push ciphertext is the TP app id (B4 "app id"), and payload tpAppId must match it too.',
    `Name ${L.nameMin}-${L.nameMax} characters from the community hint, description ${L.descriptionMin}-${L.descriptionMax}: BAIDU_LIMITS in baidu.rules.ts.`,
    'Category names in BAIDU_CATEGORY_TABLE (baidu.categories.ts) are not in shared/hosts; check them against the host category list. Games map to nothing.',
    'Unknown errno values map to invalid, not retryable; quota errors are retryable with no known reset time.',
  ],
  answerFixtures: BAIDU_ANSWER_FIXTURES,
  unconfirmed: [
    {
      fact: 'B2 basic-info change limits (47004-47006 named, no numbers)',
      decision: 'assumption',
      reading: 'No count is assumed: the limit and use are what app/info modify_count reports, and listing sync refuses when it reports none left.',
      code: { file: 'baidu.basic-info.ts', symbol: "window: 'HOST_REPORTED'" },
    },
    {
      fact: 'B2 gray release has no third-party API',
      decision: 'assumption',
      reading: 'None found in the official SDKs either: the capability is off and a gray release is refused before any call.',
      code: { file: 'baidu.profile.ts', symbol: 'grayRelease: null' },
    },
    {
      fact: 'B2 upload_status value of an uploaded package',
      decision: 'confirmed',
      reading: 'An uploaded package carries no upload_status; 1 uploading and 3 failed are the values sent, anything else also reads as done.',
      source:
        'fudiwei/DotNetCore.SKIT.FlurlHttpClient.Baidu ModelSamples/ThirdParty/Rest/Package/RestPackageGetResponse.json and baidu/smartapp-openapi-java PackageManagementServiceImplTest (fixture package.get.success)',
    },
    {
      fact: 'B3 error codes of the package APIs',
      decision: 'confirmed',
      reading: '69001-69013 (69013 audit quota), 50029, 50031; the "wrong state" and "nothing approved" codes stay readings (assumptions above).',
      source: 'baidu/smartapp-openapi-java src/main/java/com/baidu/mapp/common/enums/SmartAppErrorCode.java',
    },
    {
      fact: 'B4 how often an unanswered push is retried',
      decision: 'assumption',
      reading: 'Not relied on: every push is deduplicated on a hash of its decrypted message.',
      code: { file: 'baidu.callbacks.ts', symbol: 'dedupeKey' },
    },
  ],
};
