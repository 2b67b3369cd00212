import { CANONICAL_CATEGORIES } from '../core/index.js';

/** A Baidu smart-program service category by its first/second class names. */
export interface BaiduCategory {
  first: string;
  second: string;
  /** The category needs a qualification document before review (B3: 50061-50063 otherwise). */
  note?: string;
}

export type BaiduCategoryEntry = BaiduCategory | { unmapped: string };

const broad = (what: string): BaiduCategoryEntry => ({ unmapped: `too broad for Baidu: choose a ${what} subcategory` });
// Baidu mini games are a separate product outside the smart-program TP package APIs (B2 has none for games).
const game: BaiduCategoryEntry = { unmapped: 'games are Baidu mini games, which the smart-program TP APIs do not publish' };

// Canonical code -> Baidu category. shared/hosts lists no Baidu category names (B1 #8 only says
// app/info returns category[]), so every name here is an assumption to check against the host's list.
export const BAIDU_CATEGORY_TABLE: Readonly<Record<string, BaiduCategoryEntry>> = {
  games: game,
  'games.casual': game,
  'games.puzzle': game,
  'games.board': game,
  'games.action': game,
  life: broad('life-services'),
  'life.food': { first: '餐饮服务', second: '点餐' },
  'life.housekeeping': { first: '生活服务', second: '家政' },
  'life.beauty': { first: '生活服务', second: '丽人' },
  'life.delivery': { first: '生活服务', second: '跑腿' },
  'life.rental': { first: '生活服务', second: '租赁' },
  ecommerce: broad('e-commerce'),
  'ecommerce.retail': { first: '电商', second: '商家自营' },
  'ecommerce.marketplace': { first: '电商', second: '电商平台', note: 'platform qualification required' },
  'ecommerce.group_buying': { first: '电商', second: '团购' },
  'ecommerce.fresh': { first: '电商', second: '生鲜', note: 'food business licence required' },
  tools: broad('tools'),
  'tools.utility': { first: '工具', second: '实用工具' },
  'tools.office': { first: '工具', second: '办公' },
  'tools.calculator': { first: '工具', second: '计算器' },
  'tools.weather': { first: '工具', second: '天气' },
  education: broad('education'),
  'education.k12': { first: '教育', second: '中小学教育', note: 'tutoring licence required' },
  'education.languages': { first: '教育', second: '语言培训' },
  'education.vocational': { first: '教育', second: '职业培训' },
  'education.early': { first: '教育', second: '早教' },
  travel: broad('travel'),
  'travel.hotel': { first: '旅游', second: '酒店' },
  'travel.tickets': { first: '旅游', second: '景区门票' },
  'travel.transport': { first: '交通出行', second: '公共交通' },
  'travel.ride_hailing': { first: '交通出行', second: '网约车', note: 'ride-hailing licence required' },
  finance: broad('finance'),
  'finance.banking': { first: '金融', second: '银行', note: 'banking licence required' },
  'finance.insurance': { first: '金融', second: '保险', note: 'insurance licence required' },
  'finance.payments': { first: '金融', second: '支付', note: 'payment licence required' },
  'finance.wealth': { first: '金融', second: '理财', note: 'fund sales licence required' },
  social: broad('social'),
  'social.community': { first: '社交', second: '社区论坛', note: 'user-content filing required' },
  'social.dating': { unmapped: 'Baidu has no smart-program category for dating services' },
  'social.notes': { first: '社交', second: '内容分享', note: 'user-content filing required' },
  'social.qa': { first: '社交', second: '问答', note: 'user-content filing required' },
  media: broad('media'),
  'media.news': { first: '资讯', second: '新闻', note: 'news licence required' },
  'media.video': { first: '视频', second: '短视频', note: 'audio-visual licence required' },
  'media.music': { first: '音频', second: '音乐', note: 'network culture licence required' },
  'media.reading': { first: '阅读', second: '电子书', note: 'publication licence required' },
  health: broad('health'),
  'health.clinic': { first: '医疗', second: '医院', note: 'medical institution licence required' },
  'health.pharmacy': { first: '医疗', second: '药店', note: 'drug trading licence required' },
  'health.fitness': { first: '运动健康', second: '健身' },
  'health.consultation': { first: '医疗', second: '在线问诊', note: 'internet hospital licence required' },
  government: broad('government'),
  'government.services': { first: '政务民生', second: '政务服务', note: 'government subject only' },
  'government.transport': { first: '政务民生', second: '交通管理', note: 'government subject only' },
  'government.social_security': { first: '政务民生', second: '社保', note: 'government subject only' },
};

/** The Baidu category for a canonical code, or why there is none. */
export function baiduCategoryFor(code: string): BaiduCategoryEntry {
  return BAIDU_CATEGORY_TABLE[code] ?? { unmapped: `"${code}" is not a canonical category` };
}

/** Canonical codes the table does not cover (a spec keeps this empty). */
export function uncoveredCanonicalCategories(): string[] {
  return CANONICAL_CATEGORIES.map((c) => c.code).filter((code) => !(code in BAIDU_CATEGORY_TABLE));
}
