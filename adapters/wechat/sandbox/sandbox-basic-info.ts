import { BasicInfoDesk, parseMultipart, scalarText, type SandboxBasicInfo, type SandboxBasicInfoReview } from '../../core/index.js';
import { randomAlnum, randomHex } from './sandbox-crypto.js';
import { SandboxNativeError } from './sandbox-errors.js';

// wechat.md §2.5 and §4: 2 name changes a year, monthly description and avatar quotas (5 in the
// SDK samples of getaccountbasicinfo), category adds per period (getcategory limit, 5 in its sample).
export const WECHAT_SANDBOX_QUOTAS = {
  name: { count: 2, window: 'YEAR' },
  description: { count: 5, window: 'MONTH' },
  icon: { count: 5, window: 'MONTH' },
  category: { count: 5, window: 'MONTH' },
} as const;
const CATEGORY_LIMIT = 20;
const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_TYPES = new Set(['image/bmp', 'image/jpeg', 'image/jpg', 'image/gif', 'image/png']);

/**
 * The sandbox's own slice of WeChat's category tree (getallcategories, §2.5): ids and names as
 * the host lists them. Written here, not taken from the adapter's mapping table.
 */
export const WECHAT_SANDBOX_CATEGORIES: ReadonlyArray<{ id: number; name: string; children: ReadonlyArray<{ id: number; name: string }> }> = [
  {
    id: 304,
    name: '餐饮',
    children: [
      { id: 305, name: '点餐平台' },
      { id: 306, name: '外卖平台' },
    ],
  },
  {
    id: 150,
    name: '生活服务',
    children: [
      { id: 151, name: '家政服务' },
      { id: 152, name: '丽人服务' },
      { id: 153, name: '租赁服务' },
    ],
  },
  {
    id: 8,
    name: '教育',
    children: [
      { id: 39, name: '出国移民' },
      { id: 40, name: '职业培训' },
      { id: 41, name: '早教' },
    ],
  },
  {
    id: 287,
    name: '工具',
    children: [
      { id: 288, name: '效率' },
      { id: 289, name: '办公' },
      { id: 290, name: '天气' },
    ],
  },
];

export interface MediaItem {
  appId: string;
  bytes: Buffer;
  contentType: string;
}

export interface BasicInfoRouteContext {
  desk: BasicInfoDesk;
  media: Map<string, MediaItem>;
  appId: string;
  body: Record<string, unknown>;
  query: Record<string, string>;
  raw: Buffer;
  contentType: string;
  now: Date;
}

export interface BasicInfoRoute {
  method: 'GET' | 'POST';
  /** The body is multipart (media upload), not JSON. */
  multipart?: boolean;
  /** Success carries only the route's fields (media/upload answers without errcode, SDK sample). */
  bare?: boolean;
  handle(ctx: BasicInfoRouteContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}

const secs = (ms: number) => Math.floor(ms / 1000);
const categoryName = (id: string) => {
  for (const top of WECHAT_SANDBOX_CATEGORIES) {
    if (String(top.id) === id) return top.name;
    const sub = top.children.find((c) => String(c.id) === id);
    if (sub) return sub.name;
  }
  return '';
};

/** The initial basic info of a new app in this sandbox. */
export function initialWechatBasicInfo(name: string): SandboxBasicInfo {
  return {
    name,
    slogan: '',
    description: '提供城市生活服务的小程序示例简介',
    icon: { url: `http://wx.qlogo.cn/mmhead/${randomAlnum(40)}/0`, sha256: null, contentType: null },
    categories: [],
    phone: null,
    email: null,
  };
}

/** The XML fields of a name or category review push (§5.2; SDK event samples). */
export function basicInfoPushFields(ghId: string, review: SandboxBasicInfoReview): Record<string, string | number> | null {
  const base = { ToUserName: ghId, FromUserName: `o${randomAlnum(27)}`, CreateTime: secs(review.decidedAt ?? Date.now()), MsgType: 'event' };
  const ret = review.status === 'APPROVED' ? 3 : 2;
  if (review.field === 'name') return { ...base, Event: 'wxa_nickname_audit', ret, nickname: review.value, reason: review.reason };
  if (review.field === 'category') {
    const [first, second] = review.value.split(':');
    return { ...base, Event: 'wxa_category_audit', ret, first: Number(first), second: Number(second), reason: review.reason };
  }
  return null;
}

function categoriesAnswer(c: BasicInfoRouteContext): Record<string, unknown> {
  const info = c.desk.state(c.appId);
  const live = info.categories.map((ids) => ({ ids, status: 3, reason: '' }));
  const reviewed = c.desk
    .reviews(c.appId)
    .filter((r) => r.field === 'category' && r.status !== 'APPROVED')
    .map((r) => ({ ids: r.value.split(':'), status: r.status === 'IN_REVIEW' ? 1 : 2, reason: r.reason }));
  const { used, limit } = c.desk.quotaUse(c.appId, 'category');
  return {
    categories: [...live, ...reviewed].map((x) => ({
      first: Number(x.ids[0]),
      first_name: categoryName(x.ids[0]),
      second: Number(x.ids[1]),
      second_name: categoryName(x.ids[1]),
      audit_status: x.status,
      audit_reason: x.reason,
    })),
    limit: limit ?? 0,
    quota: Math.max(0, (limit ?? 0) - used),
    category_limit: CATEGORY_LIMIT,
  };
}

/** Basic-info APIs of §2.5 (authorizer token): names, descriptions, avatars, categories. */
export const BASIC_INFO_ROUTES: Record<string, BasicInfoRoute> = {
  '/cgi-bin/account/getaccountbasicinfo': {
    method: 'POST',
    handle: (c) => {
      const info = c.desk.state(c.appId);
      const q = (field: 'name' | 'description' | 'icon') => {
        const { used, limit } = c.desk.quotaUse(c.appId, field);
        return { modify_used_count: used, modify_quota: limit ?? 0 };
      };
      return {
        appid: c.appId,
        account_type: 3,
        principal_type: 1,
        principal_name: '沙箱科技有限公司',
        realname_status: 1,
        wx_verify_info: { qualification_verify: true, naming_verify: false, annual_review: false, annual_review_begin_time: 0, annual_review_end_time: 0 },
        signature_info: { signature: info.description, ...q('description') },
        head_image_info: { head_image_url: info.icon.url, ...q('icon') },
        registered_country: 1017,
        nickname_info: { nickname: info.name, ...q('name') },
      };
    },
  },
  '/wxa/setnickname': {
    method: 'POST',
    handle: (c) => {
      const name = scalarText(c.body.nick_name);
      // §2.5: must not contain 小程序; 4-30 characters with a Chinese character counting 2 (taken as the check).
      const width = [...name].reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
      if (name === '' || name.includes('小程序') || width < 4 || width > 30) throw new SandboxNativeError(91004);
      if (c.desk.inReview(c.appId, 'name')) throw new SandboxNativeError(91019);
      if (!c.desk.useQuota(c.appId, 'name')) throw new SandboxNativeError(91003);
      const review = c.desk.submit(c.appId, 'name', name, (s) => (s.name = name), true);
      return { wording: '', audit_id: review?.id ?? 0 };
    },
  },
  '/wxa/api_wxa_querynickname': {
    method: 'POST',
    handle: (c) => {
      const review = c.desk.reviewById(c.appId, Number(c.body.audit_id));
      if (!review || review.field !== 'name') throw new SandboxNativeError(91011);
      return {
        nickname: review.value,
        audit_stat: review.status === 'IN_REVIEW' ? 1 : review.status === 'REJECTED' ? 2 : 3,
        fail_reason: review.reason,
        create_time: secs(review.createdAt),
        audit_time: review.decidedAt ? secs(review.decidedAt) : 0,
      };
    },
  },
  '/cgi-bin/account/modifysignature': {
    method: 'POST',
    handle: (c) => {
      const text = scalarText(c.body.signature);
      const length = [...text].length;
      if (length < 4 || length > 120) throw new SandboxNativeError(53204);
      if (!c.desk.useQuota(c.appId, 'description')) throw new SandboxNativeError(53200);
      c.desk.submit(c.appId, 'description', text, (s) => (s.description = text), false);
      return {};
    },
  },
  '/cgi-bin/media/upload': {
    method: 'POST',
    multipart: true,
    bare: true,
    handle: async (c) => {
      if (c.query.type !== 'image') throw new SandboxNativeError(40004);
      let file;
      try {
        file = (await parseMultipart(c.raw, c.contentType)).files.media;
      } catch {
        throw new SandboxNativeError(41005);
      }
      if (!file || file.bytes.length === 0) throw new SandboxNativeError(41005);
      if (!AVATAR_TYPES.has(file.contentType.toLowerCase())) throw new SandboxNativeError(40004);
      if (file.bytes.length > AVATAR_MAX_BYTES) throw new SandboxNativeError(40009);
      const mediaId = `${randomAlnum(20)}_${randomHex(12)}`;
      c.media.set(mediaId, { appId: c.appId, bytes: file.bytes, contentType: file.contentType });
      return { type: 'image', media_id: mediaId, created_at: secs(c.now.getTime()) };
    },
  },
  '/cgi-bin/account/modifyheadimage': {
    method: 'POST',
    handle: (c) => {
      const media = c.media.get(scalarText(c.body.head_img_media_id));
      // §2.5: the media must have been uploaded with this app's authorizer token (40007 otherwise).
      if (!media || media.appId !== c.appId) throw new SandboxNativeError(40007);
      for (const k of ['x1', 'y1', 'x2', 'y2']) {
        const v = Number(c.body[k]);
        if (!(v >= 0 && v <= 1)) throw new SandboxNativeError(40097);
      }
      if (!c.desk.useQuota(c.appId, 'icon')) throw new SandboxNativeError(53202);
      const { url, sha256 } = BasicInfoDesk.iconUrl('http://wx.qlogo.cn/mmhead/', media.bytes);
      c.desk.submit(c.appId, 'icon', url, (s) => (s.icon = { url: `${url}/0`, sha256, contentType: media.contentType }), false);
      return {};
    },
  },
  '/cgi-bin/wxopen/getcategory': { method: 'GET', handle: categoriesAnswer },
  '/cgi-bin/wxopen/getallcategories': {
    method: 'GET',
    handle: () => ({
      categories_list: {
        categories: [
          { id: 0, name: '', level: 0, father: 0, children: WECHAT_SANDBOX_CATEGORIES.map((t) => t.id), sensitive_type: 0, qualify: { exter_list: [] } },
          ...WECHAT_SANDBOX_CATEGORIES.flatMap((t) => [
            { id: t.id, name: t.name, level: 1, father: 0, children: t.children.map((s) => s.id), sensitive_type: 0, qualify: { exter_list: [] } },
            ...t.children.map((s) => ({ id: s.id, name: s.name, level: 2, father: t.id, children: [], sensitive_type: 0, qualify: { exter_list: [] } })),
          ]),
        ],
      },
    }),
  },
  '/cgi-bin/wxopen/addcategory': {
    method: 'POST',
    handle: (c) => {
      const list = Array.isArray(c.body.categories) ? (c.body.categories as Array<Record<string, unknown>>) : [];
      if (list.length === 0) throw new SandboxNativeError(40097);
      const info = c.desk.state(c.appId);
      for (const item of list) {
        const first = WECHAT_SANDBOX_CATEGORIES.find((t) => t.id === Number(item.first));
        if (!first || !first.children.some((s) => s.id === Number(item.second))) throw new SandboxNativeError(40097);
      }
      // No errcode is documented for a full category list or a used-up getcategory quota: the sandbox
      // answers 40097 (invalid args), and the adapter reads the quota from getcategory before that.
      if (info.categories.length + list.length > CATEGORY_LIMIT) throw new SandboxNativeError(40097);
      for (const item of list) {
        if (!c.desk.useQuota(c.appId, 'category')) throw new SandboxNativeError(40097);
        const ids = [String(item.first), String(item.second)];
        c.desk.submit(
          c.appId,
          'category',
          ids.join(':'),
          (s) => void (s.categories = [...s.categories.filter((x) => x.join(':') !== ids.join(':')), ids]),
          true,
        );
      }
      return {};
    },
  },
};
