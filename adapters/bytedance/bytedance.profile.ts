import { basicInfoSyncOf, type HostCapabilities, type HostProfile } from '../core/index.js';
import { BYTEDANCE_BASIC_INFO } from './bytedance.basic-info.js';
import { BYTEDANCE_ANSWER_FIXTURES } from './fixtures/bytedance.answers.js';
import { BYTEDANCE_AUDIT_STATUS, BYTEDANCE_LIMITS, BYTEDANCE_SLOT_MAPPING, INT64_MAX } from './bytedance.rules.js';

/** Documented production API origin (Part C header); tests always use the sandbox's base URL. */
export const BYTEDANCE_PRODUCTION_BASE_URL = 'https://open.douyin.com';

export const BYTEDANCE_CAPABILITIES: HostCapabilities = {
  grayRelease: null, // Part D: host_gray_scale is visible in versions V2, a gray API is UNCONFIRMED
  rollback: true,
  withdrawReview: true,
  speedUpReview: false,
  analytics: false,
  reviewPushes: true,
  basicInfoSync: basicInfoSyncOf(BYTEDANCE_BASIC_INFO),
  basicInfo: BYTEDANCE_BASIC_INFO,
  artifactKinds: ['TEMPLATE'],
};

const src = (section: string) => `shared/hosts/alipay-baidu-bytedance.md ${section}`;
const L = BYTEDANCE_LIMITS;
const MB = 1024 * 1024;

export const BYTEDANCE_PROFILE: HostProfile = {
  displayName: 'Douyin (ByteDance third-party mini-app platform)',
  limits: [
    { rule: 'name length', value: `${L.nameMin}-${L.nameMax} characters (assumed)`, source: 'not in shared/hosts (assumption)' },
    { rule: 'description length', value: `<= ${L.descriptionMax} characters (assumed)`, source: 'not in shared/hosts (assumption)' },
    { rule: 'audit note (release notes)', value: `<= ${L.auditNoteMax} characters`, source: src('C2 audit, C5') },
    { rule: 'user_version', value: `free-form, no spaces, <= ${L.userVersionMax} characters (cap assumed)`, source: src('C5 (UNCONFIRMED format)') },
    {
      rule: 'package size',
      value: `all packages <= ${L.packageTotalMax / MB} MB; main <= ${L.mainPackageMax / MB} MB; each subpackage <= 2 MB`,
      source: src('C5 (DY-subpkg)'),
    },
    {
      rule: 'artifact',
      value: `code template with an int64 template_id (at most ${INT64_MAX}); ext_json sent as a JSON string`,
      source: src('C2 upload; fixture upload.request'),
    },
    { rule: 'icon', value: 'required, square (assumed)', source: 'not in shared/hosts (assumption)' },
    { rule: 'audit submit rate', value: '>= 10 s between submits (11301)', source: src('C3, C5') },
    {
      rule: 'rollback',
      value: 'not for the first online version, once per release, >= 10 min apart (11501); applies in 3-5 min',
      source: src('C2 rollback, C3'),
    },
    { rule: 'tokens', value: 'component and authorizer tokens 2 h (refreshed 5 min early); refresh token 30 days, single use', source: src('C1') },
  ],
  statusMapping: [
    ...Object.entries(BYTEDANCE_AUDIT_STATUS).map(([native, m]) => ({ native: `audit.status ${native} (${m.meaning})`, normalized: m.status })),
    ...BYTEDANCE_SLOT_MAPPING,
    { native: 'PACKAGE_AUDIT AuditResults[].status 1 / 2', normalized: 'REVIEW_APPROVED / REVIEW_REJECTED', note: 'one event per host app, ids.hostName' },
  ],
  quirks: [
    'V2 only: header access-token, envelope {err_no, err_msg, log_id, data}; log_id becomes the request id (Part C header).',
    'The V2 component token answers success flat, {component_access_token, expires_in} with no err_no, and failures as {errno, message} (fixtures token.component.*; DY-doc component-access-token).',
    'template_id is an int64 (SDK sample 9133504853504535288 > 2^53): kept as a string end to end and written into the JSON body digit for digit (lossless-json); the validator refuses what is not a positive int64.',
    'The versions answer keys reason_detail (reasons), attach_info (screenshot URLs) and gray.host_gray_scale (percentage strings) by host; all are read (fixtures versions.success, versions.gray).',
    'Push plaintext starts with 32 random bytes (DY-skit; confirmed by the official 2019 ByteDance PHP and Go demos, shared/hosts "Confirmed later").',
    'An answer in neither envelope (not JSON, HTML, no err_no, no data where data is due) is unexpected_answer, not retried, with the text kept.',
    'The authorizer refresh token is single use: every new one is stored in the token store and preferred to the configured one; on 40021 the configured one is tried once (after a re-authorization) (C1).',
    'Tokens are refreshed 5 min before expiry and on 28001008 / 40020 / 40009 with the call retried once; a refused authorizer token renews the component token first; one refresh per token at a time (C1).',
    'ext_json is sent as a JSON string (C2 upload).',
    'submitForReview reads get_audit_hosts and submits to every host listed (hosts not submitted do not show the app, C2).',
    'One test / audit / online slot per app: reviewStatus and readListing read package_version/versions (C2).',
    'Pushes: JSON envelope {Nonce, TimeStamp, Encrypt, MsgSignature}, sha1 signature over the four sorted values, AES-256-CBC with IV = key[0:16] and 32-byte PKCS#7; the trailing app id and TpAppId must be ours; reply exactly success (C4).',
    '10003 means no permission on audit but "record not found" on rollback; it maps to auth and conflict respectively (C3).',
  ],
  assumptions: [
    'PACKAGE_AUDIT AuditResults[].status is read like versions audit.status (1 passed, 2 rejected; 0 and 3 become OTHER) (C4 UNCONFIRMED): auditEvents in bytedance.callbacks.ts.',
    'Audit is submitted to /api/apps/v2/package_version/audit/ (doc) rather than the v1 path DY-skit uses (C2 CONFLICT): BYTEDANCE_PATHS.audit in bytedance.adapter.ts.',
    'Upload is synchronous: the version is UPLOADED once package_version/upload answers (Part D UNCONFIRMED): BytedanceAdapter.upload.',
    'Release returns RELEASING and rollback no restored version; readListing confirms both (timing not documented).',
    'No gray release: capability off until a gray API is confirmed (Part D); a console gray shows in readListing with the largest host_gray_scale share over the hosts: grayPercentageOf in bytedance.versions.ts.',
    'An attach_info value holding several URLs separates them with commas, as DY-skit reads latest.screenshot (not documented for attach_info): screenshotsOf in bytedance.versions.ts.',
    'The error answer of the V2 calls carries err_no, err_msg and log_id without data (the doc pages list data as optional; no error sample was found): fixture audit.error, BytedanceClient.send.',
    'Void calls (upload, audit, revoke_audit, release, rollback) answer like audit-code-v2 (the doc sample found) with no data: fixtures *.success.',
    'The component token failure {errno, message} is assembled from the doc error table (columns 错误码 and message) and the V1 envelope: fixture token.component.failure; BytedanceClient.send reads errno or err_no there.',
    `user_version capped at ${L.userVersionMax} characters without spaces (C5: free-form): BYTEDANCE_LIMITS.userVersionMax.`,
    'Name 2-30, description <= 120, square icon: not in shared/hosts; BYTEDANCE_LIMITS in bytedance.rules.ts.',
    'Douyin category names in BYTEDANCE_CATEGORY_TABLE (bytedance.categories.ts) are not in shared/hosts; games and dating map to nothing.',
    'Event times ("yyyy-MM-dd HH:mm:ss") are China time (UTC+8): parseEventTime in bytedance.callbacks.ts.',
    'Unknown err_no values map to invalid, not retryable: UNKNOWN in bytedance.errors.ts.',
  ],
  answerFixtures: BYTEDANCE_ANSWER_FIXTURES,
  unconfirmed: [
    {
      fact: 'get_info new_*_audit_state values',
      decision: 'assumption',
      reading: '1 in review, 2 approved, 3 rejected (the SDK sample shows 2 and 4); any other value means no change pending.',
      code: { file: 'bytedance.basic-info.ts', symbol: 'DOUYIN_AUDIT_STATE' },
    },
    {
      fact: 'C2 audit path (CONFLICT: doc v2 / DY-skit v1)',
      decision: 'assumption',
      reading: 'The doc path /api/apps/v2/package_version/audit/ (the sandbox accepts both).',
      code: { file: 'bytedance.adapter.ts', symbol: 'BYTEDANCE_PATHS' },
    },
    {
      fact: 'C3 audit codes after 11305',
      decision: 'assumption',
      reading: 'An err_no not in the table is invalid, not retried.',
      code: { file: 'bytedance.errors.ts', symbol: 'UNKNOWN' },
    },
    {
      fact: 'C4 push plaintext prefix (32 random bytes, official demo not seen)',
      decision: 'confirmed',
      reading: '32 random bytes, then the length, the message and the app id.',
      source: 'the official 2019 ByteDance PHP and Go demos (shared/hosts "Confirmed later")',
    },
    {
      fact: 'C4 meaning of AuditResults[].status',
      decision: 'assumption',
      reading: 'Read like versions audit.status: 1 passed, 2 rejected; 0 and 3 become OTHER.',
      code: { file: 'bytedance.callbacks.ts', symbol: 'function auditEvents' },
    },
    {
      fact: 'C4 exact event strings of MODIFY_* and other events',
      decision: 'assumption',
      reading:
        'Only PACKAGE_AUDIT, Ticket and authorization events are read; any other event is reported as OTHER with its native type. MODIFY_APP_NAME / _ICON / _INTRO pushes are not parsed (no payload is documented): listing sync follows Douyin basic-info reviews by polling get_info.',
      code: { file: 'bytedance.callbacks.ts', symbol: "type: 'OTHER'" },
    },
    {
      fact: 'C5 user_version format',
      decision: 'assumption',
      reading: 'Free-form, no spaces, at most 64 characters.',
      code: { file: 'bytedance.rules.ts', symbol: 'userVersionMax' },
    },
    {
      fact: 'Part D whether upload is synchronous',
      decision: 'assumption',
      reading: 'Synchronous: the version is UPLOADED once package_version/upload answers; reviewStatus reads the test slot.',
      code: { file: 'bytedance.adapter.ts', symbol: 'async upload' },
    },
    {
      fact: 'Part D gray release API',
      decision: 'assumption',
      reading: 'None: the capability is off; a console gray shows in readListing from host_gray_scale.',
      code: { file: 'bytedance.versions.ts', symbol: 'grayPercentageOf' },
    },
  ],
};
