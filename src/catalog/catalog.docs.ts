import { hostRulesDoc } from '../hosts/host-rule-docs.js';

// Descriptions shared by the definition, its per-host overrides and their inputs, so one field
// reads the same wherever it appears. The gateway's own limits are checked on input
// (BAD_USER_INPUT); the hosts' rules, quoted from the adapters' profiles, by validateMiniProgram.

const OVERRIDE_HINT = ' A per-host override can meet a stricter host.';

export const LISTING_DOCS = {
  name: `Display name users see in the host's listing and search; 1-60 characters.${OVERRIDE_HINT}${hostRulesDoc('name')}`,
  shortName: 'Shorter name for places with little room; at most 30 characters. Null when not set.',
  slogan: `One-line tagline; at most 60 characters. Null when not set.${hostRulesDoc('slogan')}`,
  description: `What the mini-program offers, as its listing shows it; 1-1000 characters.${OVERRIDE_HINT}${hostRulesDoc('description')}`,
  category:
    'Category code from the gateway taxonomy (query `categories`), e.g. `life.food`; each host adapter maps it to its own category. ' +
    'An unknown code fails with BAD_USER_INPUT (rule isCanonicalCategory). validateMiniProgram reports categoryUnmapped where a host has no match: ' +
    'a top-level code is too broad for ALIPAY and BAIDU, and games have no category on WECHAT, BAIDU or BYTEDANCE.',
  keywords: `Search keywords: at most 10, no duplicates, each 1-20 characters.${hostRulesDoc('keywords')}\n- WECHAT, audit tags: no spaces in a keyword`,
  icon:
    'The icon image. Null when not set; WECHAT, BAIDU and BYTEDANCE refuse a review without one (validateMiniProgram rule `required`).' + hostRulesDoc('icon'),
  servicePhone:
    'Customer service phone: digits, spaces or dashes, optionally after a leading +; 4-29 characters after the +. Null when not set. ' +
    'WECHAT and ALIPAY need a service phone or a service email (validateMiniProgram rule `serviceContact`).' +
    hostRulesDoc('servicePhone'),
  serviceEmail: 'Customer service email address; at most 254 characters. Null when not set. WECHAT and ALIPAY need a service phone or a service email.',
  privacyPolicyUrl: 'HTTP or HTTPS URL of the privacy policy; at most 2048 characters. Null when not set.',
} as const;

export const ICON_DOCS = {
  url: 'HTTP or HTTPS URL of the image; at most 2048 characters. validateMiniProgram reads the image format from its extension (for example .png).',
  sha256: 'SHA-256 of the image bytes: 64 lowercase hex characters.',
  width: 'Width in pixels, 16-4096. ALIPAY, BAIDU and BYTEDANCE want a square icon (width = height).',
  height: 'Height in pixels, 16-4096.',
} as const;

export const VERSION_DOCS = {
  version:
    'Semantic version (https://semver.org), e.g. `1.4.0`; at most 64 characters, unique per mini-program. A duplicate fails with CONFLICT.' +
    hostRulesDoc('version'),
  releaseNotes: `What changed in this version, sent to the hosts with the review request; 1-2000 characters.${hostRulesDoc('releaseNotes')}`,
  templateId:
    "The ISV code template id used on every host that has no entry of its own in hostTemplateIds; 1-64 characters. Each host reads it in its own format (ALIPAY: the template mini-program's 16-digit app id)." +
    hostRulesDoc('artifact'),
  extJson: 'The ext JSON handed to the template (per-merchant settings such as a theme or the merchant app id); each host receives it in the form it wants.',
  hostTemplateIds: 'Template ids that replace templateId on one host each: at most 4, one per host.',
  packageSha256: 'SHA-256 of the package bytes: 64 lowercase hex characters.',
  packageSizeBytes: `Package size in bytes, 1 to 104857600 (100 MB).${hostRulesDoc('packageSize')}`,
  packageUrl: 'HTTP or HTTPS URL the hosts can fetch the code package from; at most 2048 characters.',
} as const;

export const NOTE_NO_HOST_TAKES_PACKAGES =
  'No host adapter accepts a PACKAGE artifact today (each host uploads from an ISV code template): validateMiniProgram reports `artifactKind` for it.';
