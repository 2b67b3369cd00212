import { basicInfoSyncOf, type HostCapabilities, type HostProfile } from '../core/index.js';
import { ALIPAY_BASIC_INFO } from './alipay.basic-info.js';
import { ALIPAY_BUILD_STATUS, ALIPAY_LIMITS, ALIPAY_VERSION_STATUS } from './alipay.rules.js';
import { ALIPAY_ANSWER_FIXTURES } from './fixtures/alipay.answers.js';

/** Documented production gateway (A1.1); tests always use the sandbox's base URL. */
export const ALIPAY_PRODUCTION_BASE_URL = 'https://openapi.alipay.com/gateway.do';
/** The client a version targets (A2: defaults to the Alipay wallet). */
export const ALIPAY_BUNDLE_ID = 'com.alipay.alipaywallet';
/** audit.apply `region_type` we send (A2.2; required if never set). Assumption: nationwide service. */
export const ALIPAY_REGION_TYPE = 'CHINA';

export const ALIPAY_CAPABILITIES: HostCapabilities = {
  // A2 gray.online: only p10/p30/p50. Nothing says a new strategy must exceed the running one,
  // and gray.online accepts an approved version only, so a gray version cannot be re-grayed anyway.
  grayRelease: { allowedPercentages: [10, 30, 50], min: 10, max: 50, mustIncrease: false, cancellable: true },
  rollback: true,
  withdrawReview: true,
  // audit.apply takes a speed_up flag at submit time; there is no call to speed up a running review.
  speedUpReview: false,
  // No visit-statistics API appears in shared/hosts Part A.
  analytics: false,
  reviewPushes: true,
  basicInfoSync: basicInfoSyncOf(ALIPAY_BASIC_INFO),
  basicInfo: ALIPAY_BASIC_INFO,
  artifactKinds: ['TEMPLATE'],
};

const src = (section: string) => `shared/hosts/alipay-baidu-bytedance.md ${section}`;
const L = ALIPAY_LIMITS;

export const ALIPAY_PROFILE: HostProfile = {
  displayName: 'Alipay (open platform, ISV on behalf of merchants)',
  limits: [
    { rule: 'version', value: `x.y.z digits only, each part <= ${L.versionPartMax}, strictly increasing`, source: src('A6, A2.4') },
    { rule: 'name length', value: `${L.nameMin}-${L.nameMax} (a Chinese character counts 2); Chinese, letters, digits, _ + -`, source: src('A2.2 (CONFLICT)') },
    { rule: 'slogan length', value: `${L.sloganMin}-${L.sloganMax} characters`, source: src('A2.2') },
    { rule: 'description length', value: `${L.descriptionMin}-${L.descriptionMax} characters`, source: src('A2.2') },
    { rule: 'release notes (version_desc)', value: `${L.releaseNotesMin}-${L.releaseNotesMax} (a Chinese character counts 2)`, source: src('A2.2') },
    { rule: 'service phone', value: `${L.phoneMin}-${L.phoneMax} digits and -; phone or email required`, source: src('A2.2') },
    { rule: 'logo', value: 'jpg/jpeg/png, square, <= 2 MB (180x180 suggested, RGB)', source: src('A2.2, A6') },
    { rule: 'package size', value: 'main or any subpackage <= 2 MB, all packages <= 8 MB', source: src('A6') },
    { rule: 'artifact', value: 'code template; template_id = the template mini-program app id (16 digits)', source: src('A2 upload') },
    { rule: 'categories', value: '1-4, new XS… ids in mini_category_ids', source: src('A2.2, A6') },
    { rule: 'gray strategies', value: 'p10, p30, p50', source: src('A2, A6') },
    { rule: 'one version in flight', value: 'one version in audit/approved/rejected/gray at a time', source: src('A2.4') },
    { rule: 'development versions kept', value: '<= 20', source: src('A2.4') },
    { rule: 'template audit quota', value: '5 merchant apps per template per day (normal edition)', source: src('A2.2, A6') },
  ],
  statusMapping: [
    ...Object.entries(ALIPAY_VERSION_STATUS).map(([native, row]) => ({
      native: `status ${native} (${row.meaning})`,
      normalized: row.submission,
      note: row.note,
    })),
    ...Object.entries(ALIPAY_BUILD_STATUS).map(([native, row]) => ({ native: `build_status ${native} (${row.meaning})`, normalized: row.review })),
  ],
  quirks: [
    'Every call is signed (RSA2 over all params sent, URL and body, empty values dropped, raw values, ASCII order); there is no bearer token (A1.3).',
    'System params travel in the query string, biz_content (or the text fields of audit.apply) in a form body (A1.1, A2).',
    'Responses are verified over the exact raw text of the <method>_response node, retried with \\/ unescaped (A1.4); unsigned error_response answers are taken as errors only.',
    'Errors are code + sub_code; nativeCode is "<code>/<sub_code>"; the sign string quoted by isv.invalid-signature is redacted (A3).',
    'Every sub_code mapped has its source (FAQ page or error code page) beside it: ALIPAY_MAPPED_SUB_CODES in fixtures/alipay.answers.ts, each read by the client spec in the failure node of the fixtures.',
    'upload builds asynchronously: reviewStatus polls detail.query and build.query until build_status 2 (A2.1).',
    'Pushes are form posts verified with the Alipay public key, first without sign_type then with it, empty values kept (A4.2); tokens in their biz_content are redacted from evidence.',
    'rollback takes the current online version; the previous online version comes back without audit (A2.4).',
    'version.list.query is sent with an explicit version_status list (RELEASE, GRAY, AUDITING, WAIT_RELEASE, BASE_AUDIT_PASS, AUDIT_REJECT, INIT, OFFLINE): the field is "可选；不填默认不返回", nothing comes back without it (JAVA-m AlipayOpenMiniVersionListQueryModel): LISTED_VERSION_STATUSES in alipay.adapter.ts.',
    'An answer in neither node, a method node without sign or without code, and unknown statuses are unexpected_answer, not retried, with the text kept; a signature that does not verify stays auth.',
    'timestamp is Beijing time, yyyy-MM-dd HH:mm:ss: the official Java SDK formats it with AlipayConstants.DATE_TIMEZONE = "GMT+8" (alipay/alipay-sdk-java-all AlipayConstants.java, AbstractAlipayClient): beijingTimestamp in alipay.client.ts.',
    'Answers in certificate mode carry alipay_cert_sn beside sign (AlipayConstants.ALIPAY_CERT_SN; alipay-sdk-nodejs-all test/alipay.exec.test.ts): the adapter uses public-key mode and ignores the field.',
    'baseinfo.modify answers code and msg only (AlipayOpenMiniBaseinfoModifyResponse declares no field) and baseinfo/category have v3 paths too (alipay-sdk-java-all v3/docs AlipayOpenMiniBaseinfoApi.md, AlipayOpenMiniCategoryApi.md); the adapter calls gateway 2.0 throughout.',
  ],
  assumptions: [
    'App name length: the 2024 doc reading (3-40, Chinese counts 2) of a CONFLICT (3-30 / 3-40 / 3-20): ALIPAY_LIMITS.nameMin/nameMax in alipay.rules.ts.',
    "The gateway's tolerance for clock skew in timestamp is not documented (A1.2): the host clock is trusted (AlipayClientOptions.now).",
    'audit.cancel puts the version back to INIT (A2.4 UNCONFIRMED); INIT on a ref we submitted reads as WITHDRAWN: ALIPAY_VERSION_STATUS / AlipayAdapter.reviewStatus.',
    'The XS… category ids in ALIPAY_CATEGORY_TABLE (alipay.categories.ts) are not in shared/hosts: check them with alipay.open.mini.category.query.',
    'audit.apply is sent with text fields only (no logo or screenshot files): the logo must already be set (baseinfo.modify or console); region_type is ALIPAY_REGION_TYPE (CHINA).',
    'The English name is not in the canonical definition and is not sent; it must already be set (ENGLISH_NAME_IS_BLANK otherwise).',
    'Which errors come under error_response is UNCONFIRMED (A1.4): both nodes are read; the sandbox uses error_response for an unknown or missing method.',
    'The top-level code of most mini-program sub_codes is presumed 40004 (A3 UNCONFIRMED); mapping is by sub_code first, then code: ALIPAY_SUB_CODE_RULES in alipay.errors.ts.',
    'APP_VERSION_IS_BLANK and MINI_APP_PACKAGE_INFO_NOT_EXIST are treated as "not built yet" (retryable after 5 s).',
    'Gray strategies need not increase (no rule found): ALIPAY_CAPABILITIES.grayRelease.mustIncrease = false.',
    'msgapi pushes are answered "success" (A4.1 UNCONFIRMED for msgapi) and retried with the same notify_id, used as the dedupe key.',
    'app_auth_token is long-lived (A5: expires_in obsolete): no token refresh; a 20001 is an auth error for the operator (re-authorisation).',
  ],
  answerFixtures: ALIPAY_ANSWER_FIXTURES,
  unconfirmed: [
    {
      fact: 'A2 baseinfo.modify review and change quota (none listed)',
      decision: 'assumption',
      reading:
        'No review of its own and no quota: a change shows in baseinfo.query at once and is reviewed with the next version (listing sync plans no review or quota cost for Alipay).',
      code: { file: 'alipay.basic-info.ts', symbol: 'const modifiable' },
    },
    {
      fact: 'A1.2 timestamp: time zone and skew tolerance',
      decision: 'confirmed',
      reading: 'Beijing time (GMT+8), yyyy-MM-dd HH:mm:ss. The skew the gateway tolerates stays undocumented; the host clock is trusted.',
      source: 'alipay/alipay-sdk-java-all v2 AlipayConstants.java (DATE_TIMEZONE = "GMT+8", DATE_TIME_FORMAT) as AbstractAlipayClient formats timestamp',
    },
    {
      fact: 'A1.4 which failures come under error_response',
      decision: 'assumption',
      reading:
        'Either node is read, whichever comes; an unsigned error_response is taken as a failure only. Evidence: the Java SDK calls error_response the old-version failure node (AlipayConstants.ERROR_RESPONSE), the Node SDK sample has isv.code-invalid there unsigned, isv.invalid-signature and 20001 come under the method node, signed (fixtures gateway.*).',
      code: { file: 'alipay.client.ts', symbol: 'readAnswer' },
    },
    {
      fact: 'A1.4 certificate-mode field beside sign',
      decision: 'confirmed',
      reading: 'alipay_cert_sn; public-key mode is used and the field is ignored.',
      source:
        'alipay/alipay-sdk-java-all AlipayConstants.java (ALIPAY_CERT_SN); alipay/alipay-sdk-nodejs-all test/alipay.exec.test.ts (certificate-mode answer)',
    },
    {
      fact: 'A1.5 category.query / baseinfo.* in OpenAPI v3',
      decision: 'confirmed',
      reading: 'Both have v3 paths; the adapter calls gateway 2.0 throughout.',
      source: 'alipay/alipay-sdk-java-all v3/docs/AlipayOpenMiniBaseinfoApi.md and AlipayOpenMiniCategoryApi.md',
    },
    {
      fact: 'A2 baseinfo.modify answer',
      decision: 'confirmed',
      reading: 'code and msg only; the call is allowed only before the first listing. The adapter does not call it.',
      source: 'alipay/alipay-sdk-java-all v2 AlipayOpenMiniBaseinfoModifyResponse.java (no field); v3/docs/AlipayOpenMiniBaseinfoApi.md',
    },
    {
      fact: 'A2.2 app_name length (CONFLICT 3-30 / 3-40 / 3-20)',
      decision: 'assumption',
      reading: '3-40 with a Chinese character counting 2, the newest official doc (PHP request class, 2024).',
      code: { file: 'alipay.rules.ts', symbol: 'nameMax: 40' },
    },
    {
      fact: 'A2.3 PROMOTE_AUDIT_REJECT as a version status',
      decision: 'assumption',
      reading:
        'A list.query version_status (the AppVersionInfo.can_release doc names it) that only audit_rule BASE_PROMOTE produces, which the adapter never sends; read as APPROVED with can_release deciding.',
      code: { file: 'alipay.rules.ts', symbol: 'PROMOTE_AUDIT_REJECT' },
    },
    {
      fact: 'A2.4 audit.cancel puts the version back to INIT',
      decision: 'assumption',
      reading: 'INIT after audit.cancel; INIT on a ref we submitted reads as WITHDRAWN.',
      code: { file: 'alipay.adapter.ts', symbol: 'SUBMITTED' },
    },
    {
      fact: 'A3 40003 sub_codes',
      decision: 'assumption',
      reading:
        '40003 "Insufficient Conditions" (msg seen in a real answer, alipay-sdk-nodejs-all test/alipay.exec.test.ts) is read as auth, a configuration problem for the operator.',
      code: { file: 'alipay.errors.ts', symbol: "'40003': auth" },
    },
    {
      fact: 'A3 top-level code of the mini-program sub_codes',
      decision: 'assumption',
      reading: '40004 Business Failed presumed (fixtures *.exists, *.blocked, *.notBuilt); mapping goes by sub_code first, then code.',
      code: { file: 'alipay.errors.ts', symbol: 'ALIPAY_SUB_CODE_RULES' },
    },
    {
      fact: 'A4.1 msg_method of the "approved but not marketable" message',
      decision: 'assumption',
      reading: 'Not found; any other msg_method is reported as OTHER with its native type.',
      code: { file: 'alipay.callbacks.ts', symbol: "type: 'OTHER'" },
    },
    {
      fact: 'A4.1 audit.passed biz_content beyond mini_app_id, mini_app_version',
      decision: 'assumption',
      reading: 'Only those two are read (bundle_id too when present) (fixture push.auditPassed).',
      code: { file: 'alipay.callbacks.ts', symbol: 'mini_app_version' },
    },
    {
      fact: 'A4.1 audit.rejected extra fields (base/promote audit records)',
      decision: 'assumption',
      reading:
        'audit_reason is read, then base_audit_reason / promote_audit_reason and audit_images when present (fixture push.auditRejected has audit_reason only).',
      code: { file: 'alipay.callbacks.ts', symbol: 'base_audit_record' },
    },
    {
      fact: 'A4.1 reply to a msgapi push',
      decision: 'assumption',
      reading: 'Plain success, as for every Alipay notify.',
      code: { file: 'alipay.callbacks.ts', symbol: 'REPLY' },
    },
    {
      fact: 'A4.1 msgapi retries keep notify_id',
      decision: 'assumption',
      reading: 'notify_id is the dedupe key (a hash of the body when absent).',
      code: { file: 'alipay.callbacks.ts', symbol: 'dedupeKey' },
    },
    {
      fact: 'A5 authorize page URL',
      decision: 'assumption',
      reading: 'Not used: the merchant authorizes outside the gateway, which is configured with the resulting app_auth_token.',
      code: { file: 'alipay.credentials.ts', symbol: 'appAuthToken' },
    },
    {
      fact: 'A6 gateway upload size (isv.invalid-file-size, 50 MB)',
      decision: 'assumption',
      reading: 'Not used: audit.apply is sent with text fields only, no files.',
      code: { file: 'alipay.adapter.ts', symbol: 'textParams' },
    },
  ],
};
