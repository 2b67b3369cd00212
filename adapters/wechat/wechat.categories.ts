import { CANONICAL_CATEGORIES } from '../core/index.js';

/** A WeChat service category by its first/second class names (as `get_category` lists them). */
export interface WechatCategory {
  first: string;
  second: string;
  /** The category needs a qualification document or an extra declaration before review. */
  note?: string;
}

// Canonical code -> WeChat category. The names follow WeChat's service category list; they are
// not in shared/hosts/wechat.md, so the table is an assumption to check against getallcategories
// (CAT-*). `null` means WeChat has no mini-program category for it; the reason is the message.
export const WECHAT_CATEGORY_TABLE: Readonly<Record<string, WechatCategory | { unmapped: string }>> = {
  games: { unmapped: 'games are mini games on WeChat, which a third-party platform cannot submit (87006)' },
  'games.casual': { unmapped: 'games are mini games on WeChat, which a third-party platform cannot submit (87006)' },
  'games.puzzle': { unmapped: 'games are mini games on WeChat, which a third-party platform cannot submit (87006)' },
  'games.board': { unmapped: 'games are mini games on WeChat, which a third-party platform cannot submit (87006)' },
  'games.action': { unmapped: 'games are mini games on WeChat, which a third-party platform cannot submit (87006)' },
  life: { unmapped: 'too broad for WeChat: choose a life-services subcategory' },
  'life.food': { first: '餐饮', second: '点餐平台' },
  'life.housekeeping': { first: '生活服务', second: '家政服务' },
  'life.beauty': { first: '生活服务', second: '丽人服务' },
  'life.delivery': { first: '快递业与邮政', second: '快递、物流' },
  'life.rental': { first: '生活服务', second: '租赁服务' },
  ecommerce: { unmapped: 'too broad for WeChat: choose an e-commerce subcategory' },
  'ecommerce.retail': { first: '商家自营', second: '百货' },
  'ecommerce.marketplace': { first: '电商平台', second: '电商平台', note: 'platform qualification required' },
  'ecommerce.group_buying': { first: '商家自营', second: '团购' },
  'ecommerce.fresh': { first: '商家自营', second: '生鲜果蔬' },
  tools: { unmapped: 'too broad for WeChat: choose a tools subcategory' },
  'tools.utility': { first: '工具', second: '效率' },
  'tools.office': { first: '工具', second: '办公' },
  'tools.calculator': { first: '工具', second: '计算类' },
  'tools.weather': { first: '工具', second: '天气' },
  education: { unmapped: 'too broad for WeChat: choose an education subcategory' },
  'education.k12': { first: '教育', second: '培训机构', note: 'school-age tutoring needs a licence' },
  'education.languages': { first: '教育', second: '教育信息服务' },
  'education.vocational': { first: '教育', second: '职业培训' },
  'education.early': { first: '教育', second: '早教' },
  travel: { unmapped: 'too broad for WeChat: choose a travel subcategory' },
  'travel.hotel': { first: '旅游', second: '酒店服务' },
  'travel.tickets': { first: '旅游', second: '景区服务' },
  'travel.transport': { first: '交通服务', second: '公交' },
  'travel.ride_hailing': { first: '交通服务', second: '网约车', note: 'ride-hailing licence required' },
  finance: { unmapped: 'too broad for WeChat: choose a finance subcategory' },
  'finance.banking': { first: '金融业', second: '银行', note: 'financial licence required' },
  'finance.insurance': { first: '金融业', second: '保险', note: 'financial licence required' },
  'finance.payments': { first: '金融业', second: '非银行支付机构', note: 'payment licence required' },
  'finance.wealth': { first: '金融业', second: '基金', note: 'financial licence required' },
  social: { unmapped: 'too broad for WeChat: choose a social subcategory' },
  // wechat.md §2.1: these three need a ugc_declare on the first submit (85094 otherwise).
  'social.community': { first: '社交', second: '社区/论坛', note: 'ugc_declare required on first submit' },
  'social.dating': { first: '社交', second: '婚恋/交友' },
  'social.notes': { first: '社交', second: '笔记', note: 'ugc_declare required on first submit' },
  'social.qa': { first: '社交', second: '问答', note: 'ugc_declare required on first submit' },
  media: { unmapped: 'too broad for WeChat: choose a media subcategory' },
  'media.news': { first: '文娱', second: '资讯', note: 'news licence required' },
  'media.video': { first: '文娱', second: '视频' },
  'media.music': { first: '文娱', second: '音乐' },
  'media.reading': { first: '文娱', second: '小说' },
  health: { unmapped: 'too broad for WeChat: choose a health subcategory' },
  'health.clinic': { first: '医疗服务', second: '公立医疗机构', note: 'medical licence required' },
  'health.pharmacy': { first: '医疗服务', second: '药店', note: 'pharmacy licence required' },
  'health.fitness': { first: '体育', second: '体育场馆服务' },
  'health.consultation': { first: '医疗服务', second: '互联网医院', note: 'medical licence required' },
  government: { unmapped: 'too broad for WeChat: choose a government subcategory' },
  'government.services': { first: '政务民生', second: '政务服务' },
  'government.transport': { first: '政务民生', second: '交通管理' },
  'government.social_security': { first: '政务民生', second: '社保' },
};

/** The WeChat category for a canonical code, or the reason there is none. */
export function wechatCategoryFor(code: string): WechatCategory | { unmapped: string } {
  return WECHAT_CATEGORY_TABLE[code] ?? { unmapped: `"${code}" is not a gateway category` };
}

/** Canonical codes the table misses (kept empty by the spec). */
export function unlistedCanonicalCategories(): string[] {
  return CANONICAL_CATEGORIES.map((c) => c.code).filter((code) => !(code in WECHAT_CATEGORY_TABLE));
}
