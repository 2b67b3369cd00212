import { WECHAT_ANSWER_FIXTURES } from './fixtures/wechat.answers.js';
import { basicInfoSyncOf, type HostCapabilities, type HostProfile } from '../core/index.js';
import { WECHAT_BASIC_INFO } from './wechat.basic-info.js';
import { WECHAT_AUDIT_STATUS, WECHAT_LIMITS } from './wechat.rules.js';

/** Documented production API host (wechat.md header); tests always use the sandbox's base URL. */
export const WECHAT_PRODUCTION_BASE_URL = 'https://api.weixin.qq.com';

export const WECHAT_CAPABILITIES: HostCapabilities = {
  // §2 grayrelease: whole percentage 1-100 (0 only with the debugger/experiencer flags), must increase (85082).
  grayRelease: { allowedPercentages: null, min: 1, max: 100, mustIncrease: true, cancellable: true },
  rollback: true,
  withdrawReview: true,
  speedUpReview: true,
  analytics: true,
  reviewPushes: true,
  basicInfoSync: basicInfoSyncOf(WECHAT_BASIC_INFO),
  basicInfo: WECHAT_BASIC_INFO,
  artifactKinds: ['TEMPLATE'],
};

const src = (section: string) => `shared/hosts/wechat.md ${section}`;
const L = WECHAT_LIMITS;

export const WECHAT_PROFILE: HostProfile = {
  displayName: 'WeChat (third-party platform)',
  limits: [
    { rule: 'name length', value: `${L.nameMin}-${L.nameMax} (a Chinese character counts 2)`, source: src('§4 Name (UNCONFIRMED)') },
    { rule: 'name words', value: 'must not contain "小程序"', source: src('§2.5 setnickname') },
    { rule: 'description length', value: `${L.descriptionMin}-${L.descriptionMax} characters`, source: src('§4 Description') },
    { rule: 'user_version length', value: `<= ${L.userVersionMax} characters`, source: src('§4 user_version') },
    { rule: 'artifact', value: 'code template with a numeric template_id; ext_json sent as a string', source: src('§2 commit') },
    { rule: 'package size', value: '<= 2 MB per package, <= 20 MB in total for third-party platforms', source: src('§4 Code package') },
    { rule: 'icon', value: 'BMP/JPEG/JPG/GIF/PNG, <= 2 MB', source: src('§4 Avatar') },
    { rule: 'audit tags', value: `<= ${L.keywordsMax} tags, each <= ${L.keywordMax} characters`, source: src('§4 item_list') },
    { rule: 'release notes', value: `<= ${L.releaseNotesMax} characters (assumed)`, source: src('§2.1 85051') },
    { rule: 'submit_audit quota', value: 'monthly, per platform, shared by all its mini programs (85085)', source: src('§4') },
    { rule: 'undocodeaudit', value: '5 per day, 10 per month (87013)', source: src('§4') },
    { rule: 'gray percentage', value: 'whole number 1-100, must increase (85081/85082)', source: src('§2 grayrelease') },
    { rule: 'rollback', value: 'previous release; not while a gray release runs (87011)', source: src('§2 revertcoderelease') },
    { rule: 'tokens', value: 'component and authorizer access tokens 7200 s, refreshed 5 min early', source: src('§1.3') },
  ],
  statusMapping: Object.entries(WECHAT_AUDIT_STATUS).map(([native, m]) => ({
    native: `audit status ${native} (${m.meaning})`,
    normalized: m.status,
    note: m.delayed ? 'delayed: still in review, reported with delayed = true' : undefined,
  })),
  quirks: [
    'Every answer is HTTP 200; failures are {errcode, errmsg} with a "rid:" request id in errmsg (§0).',
    'An answer with neither errcode nor its own field (token answers: the token; datacube: list), or not JSON, is unexpected_answer, not retried, with the text kept.',
    'POSTs without parameters send the literal body {} (44002 otherwise) (§0).',
    'ext_json is sent as a JSON string, not an object (§2.3).',
    'Tokens are refreshed 5 min before expiry, and on 40001/42001/40014 (component token first, then the authorizer token) with the call retried once; one refresh per token at a time.',
    'The refresh token the host returns is stored and preferred; on 61023 the configured one is tried again (§1.3).',
    'Pushes are verified with msg_signature (never the plain signature), decrypted (AES-256-CBC, IV = key[0:16], PKCS#7 to 32 bytes) and the trailing appid must be the component appid (§6).',
    'Audit pushes carry only the gh_ id (ToUserName), reported as hostAppId with ids.ghId (§5.2).',
    'get_latest_auditstatus may spell ScreenShot; both casings are read (§2.2).',
    'Categories named in the WeChat table mark licence and ugc_declare needs; games map to nothing (mini games, 87006).',
  ],
  assumptions: [
    'Name length 4-30 with CJK counted 2 (§4 UNCONFIRMED): WECHAT_LIMITS.nameMin/nameMax in wechat.rules.ts.',
    'Release notes at most 500 characters (only 85051 "too large" is documented): WECHAT_LIMITS.releaseNotesMax.',
    'Description 4-120 characters without the "at least 4 Chinese characters" note enforced (§4 reads ambiguously).',
    "The WeChat category names in WECHAT_CATEGORY_TABLE (wechat.categories.ts) come from WeChat's category list, not from wechat.md; check them with getallcategories.",
    'While a gray release runs, getversioninfo release_info still names the pre-gray version and the gray version is the last approved audit (not documented): WechatAdapter.readListing.',
    'submit_audit is sent without item_list (described as optional, §2.1).',
    'Unknown errcodes map to invalid, not retryable: UNKNOWN in wechat.errors.ts.',
    '87013 is both the daily (5) and the monthly (10) undocodeaudit cap with no API to tell them apart: the gateway counts its own undos per China day and month in the token store; 10 this month, or a refusal already on an earlier day of the month, means the monthly cap (retry on the 1st), else the daily one: UndoAuditLedger in wechat.undo-quota.ts.',
    'Daily quotas reset at 00:00 China time, monthly ones on the 1st: msUntil in wechat.errors.ts.',
    'Pushes: whether WeChat retries third-party pushes is UNCONFIRMED (§5); dedupe keys come from the decrypted fields either way.',
  ],
  answerFixtures: WECHAT_ANSWER_FIXTURES,
  unconfirmed: [
    {
      fact: '§2.5 avatar change quota ("5 changes per year" doc note; 53202 monthly quota)',
      decision: 'assumption',
      reading:
        'Monthly, 5 (the SDK samples of head_image_info.modify_quota); listing sync also reads the used count and quota getaccountbasicinfo reports and refuses when either says none is left.',
      code: { file: 'wechat.basic-info.ts', symbol: 'WECHAT_BASIC_INFO' },
    },
    {
      fact: '§2.5 description (modifysignature) and avatar changes are not reviewed',
      decision: 'assumption',
      reading: 'No review is documented for them: a change the host took is live at once (basicInfoReviewStatus answers APPROVED).',
      code: { file: 'wechat.basic-info.ts', symbol: 'needsReview: false' },
    },
    {
      fact: '§1.3 pre_auth_code lifetime (CONFLICT 600 s / 1800 s)',
      decision: 'assumption',
      reading: 'Not used: the merchant authorizes outside the gateway, which is configured with the authorizer refresh token.',
      code: { file: 'wechat.credentials.ts', symbol: 'authorizerRefreshToken' },
    },
    {
      fact: '§1.3 the old refresh token stays valid ~5 min after a new one',
      decision: 'assumption',
      reading: 'Never relied on: the refresh token the host returns is stored and preferred at once; on 61023 the configured one is tried once.',
      code: { file: 'wechat.client.ts', symbol: "'61023'" },
    },
    {
      fact: '§2.2 live casing of screenshot / ScreenShot in get_latest_auditstatus',
      decision: 'assumption',
      reading: 'Both casings are read; the sandbox answers each call in its doc spelling (fixtures getAuditStatus.success, getLatestAuditStatus.*).',
      code: { file: 'wechat.adapter.ts', symbol: 'res.screenshot ?? res.ScreenShot' },
    },
    {
      fact: '§3 61014 (component-only API called with another token)',
      decision: 'assumption',
      reading: 'auth, not retried: the gateway sends each token to the APIs it belongs to, so 61014 means a configuration fault.',
      code: { file: 'wechat.errors.ts', symbol: "'61014'" },
    },
    {
      fact: '§4 normal audit duration ("within 7 working days")',
      decision: 'assumption',
      reading: 'No deadline is put on a review: its end comes by push or by polling reviewStatus.',
      code: { file: 'wechat.adapter.ts', symbol: 'async reviewStatus' },
    },
    {
      fact: '§4 name length 4-30, a Chinese character counting 2',
      decision: 'assumption',
      reading: 'Taken as stated (a book excerpt is the only source).',
      code: { file: 'wechat.rules.ts', symbol: 'nameMin' },
    },
    {
      fact: '§4 category changes (3 per month)',
      decision: 'assumption',
      reading: 'No number is assumed: addcategory (listing sync) is refused by the plan only when getcategory reports no quota left.',
      code: { file: 'wechat.categories.ts', symbol: 'WECHAT_CATEGORY_TABLE' },
    },
    {
      fact: '§4 daily limits of the wxa/* APIs',
      decision: 'assumption',
      reading: 'No numbers are assumed: 45009 is a quota refusal retried the next China day, 45011 a rate limit retried after 60 s.',
      code: { file: 'wechat.errors.ts', symbol: "'45009'" },
    },
    {
      fact: '§5 retries of third-party pushes',
      decision: 'assumption',
      reading: 'Retries may come or not: dedupe keys are built from the decrypted fields either way.',
      code: { file: 'wechat.callbacks.ts', symbol: 'dedupeKeyOf' },
    },
    {
      fact: '§7 errcode of "data not ready" from datacube',
      decision: 'assumption',
      reading: 'Only days up to yesterday are asked (40097 otherwise); an errcode not in the table is invalid, not retried.',
      code: { file: 'wechat.errors.ts', symbol: 'UNKNOWN' },
    },
    {
      fact: '§8 whether a new token invalidates the previous one',
      decision: 'assumption',
      reading: 'Either way works: a refused token (40001/42001/40014) is renewed once per burst and the call retried once.',
      code: { file: 'wechat.client.ts', symbol: 'One retry per cause' },
    },
  ],
};
