import {
  HostError,
  NOT_OFFERED,
  UnsupportedCapabilityError,
  imageExtension,
  type BasicInfoApplyResult,
  type BasicInfoCapabilities,
  type BasicInfoChange,
  type BasicInfoFieldCapability,
  type BasicInfoReviewRef,
  type BasicInfoReviewState,
  type BasicInfoSnapshot,
} from '../core/index.js';
import { alipayCategoryFor } from './alipay.categories.js';
import type { AlipayClient } from './alipay.client.js';
import type { AlipayCredentials } from './alipay.credentials.js';

const MODIFY = 'alipay.open.mini.baseinfo.modify';
const QUERY = 'alipay.open.mini.baseinfo.query';

// baseinfo.modify (A2, JAVA-q) is one upload-type request for every field; nothing documents a
// review of its own or a change quota. Base info is reviewed with the next version (audit.apply
// refuses while a base-info change is in review: MINI_APP_INFO_AUDIT_CONTAINS, A3).
const modifiable = (what: string): BasicInfoFieldCapability => ({
  changeable: true,
  needsReview: false,
  quota: null,
  readable: true,
  note: `baseinfo.modify ${what}; shown by baseinfo.query at once, reviewed with the next version's audit (no own review or quota documented).`,
});

// A2.2: logo jpeg/png/jpg (no bmp/gif), at most 2 MB.
const LOGO_TYPES = new Set(['png', 'jpg']);
const LOGO_MAX_BYTES = 2 * 1024 * 1024;

/** Basic-info fields on Alipay (A2 baseinfo.modify / baseinfo.query). */
export const ALIPAY_BASIC_INFO: BasicInfoCapabilities = {
  name: modifiable('app_name (3-20, a Chinese character counts 2)'),
  shortName: NOT_OFFERED('Alipay has no short name (app_english_name is an English name, not set by the gateway).'),
  slogan: modifiable('app_slogan (10-32 characters)'),
  description: modifiable('app_desc (20-400 characters)'),
  icon: {
    ...modifiable('with the file app_logo (multipart upload request; jpg/jpeg/png up to 2 MB, square)'),
    image: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: LOGO_MAX_BYTES },
  },
  category: modifiable('mini_category_ids (new XS… category ids of the mapping table)'),
  serviceContact: modifiable('service_phone and service_email'),
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const invalid = (message: string, operation: string) =>
  new HostError({ host: 'ALIPAY', kind: 'invalid', retryable: false, nativeCode: null, nativeMessage: message, operation });

/** baseinfo.query and baseinfo.modify on the adapter's client. */
export class AlipayBasicInfo {
  constructor(private readonly client: AlipayClient) {}

  async read(creds: AlipayCredentials): Promise<BasicInfoSnapshot> {
    const res = await this.client.call(creds, 'readBasicInfo', { method: QUERY });
    const logo = str(res.app_logo);
    // category_names: "first_second;first_second" (A2 baseinfo.query); the answer has no ids.
    const categories = (str(res.category_names) ?? '')
      .split(';')
      .filter((c) => c !== '')
      .map((c) => ({ ids: [], names: c.split('_'), reviewStatus: null, reason: null }));
    return {
      name: str(res.app_name),
      shortName: null,
      slogan: str(res.app_slogan),
      description: str(res.app_desc),
      icon: logo ? { url: logo, fingerprint: logo } : null,
      categories,
      serviceContact: { phone: str(res.service_phone), email: str(res.service_email) },
      pendingReviews: [],
      quotas: [],
      response: res,
    };
  }

  async apply(creds: AlipayCredentials, change: BasicInfoChange): Promise<BasicInfoApplyResult> {
    const op = 'applyBasicInfo';
    const cap = ALIPAY_BASIC_INFO[change.field];
    if (!cap.changeable) throw new UnsupportedCapabilityError('ALIPAY', `basic info: ${change.field}`, cap.note);
    const text: Record<string, string> = {};
    let files: Record<string, { filename: string; contentType: string; bytes: Buffer }> | undefined;
    switch (change.field) {
      case 'name':
        text.app_name = change.name;
        break;
      case 'slogan':
        text.app_slogan = change.slogan;
        break;
      case 'description':
        text.app_desc = change.description;
        break;
      case 'serviceContact':
        if (change.phone === null && change.email === null) throw invalid('Alipay needs a service phone or a service email', op);
        if (change.phone !== null) text.service_phone = change.phone;
        if (change.email !== null) text.service_email = change.email;
        break;
      case 'category': {
        const mapped = alipayCategoryFor(change.category);
        if ('unmapped' in mapped) throw invalid(`category ${change.category}: ${mapped.unmapped}`, op);
        text.mini_category_ids = mapped.miniCategoryIds;
        break;
      }
      case 'icon': {
        const ext = imageExtension(change.icon.contentType);
        if (!ext || !LOGO_TYPES.has(ext)) throw invalid(`Alipay takes a JPEG or PNG logo, not ${change.icon.contentType}`, op);
        if (change.icon.bytes.length > LOGO_MAX_BYTES) throw invalid(`Alipay takes a logo of at most 2 MB, got ${change.icon.bytes.length} bytes`, op);
        files = { app_logo: { filename: `logo.${ext}`, contentType: change.icon.contentType, bytes: change.icon.bytes } };
        break;
      }
      default:
        throw new UnsupportedCapabilityError('ALIPAY', `basic info: ${change.field}`);
    }
    // An upload-type request: text fields as top-level params (signed), the logo as a file part (not signed).
    const res = await this.client.call(creds, op, { method: MODIFY, textParams: text, files });
    return { field: change.field, status: 'APPLIED', reviewId: null, response: res };
  }

  reviewStatus(review: BasicInfoReviewRef): BasicInfoReviewState {
    // No change is reviewed on its own (see ALIPAY_BASIC_INFO): what the host took is its record.
    return { field: review.field, status: 'APPROVED', reason: null, nativeStatus: null, response: null };
  }
}
