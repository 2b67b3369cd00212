import { CANONICAL_CATEGORIES } from '../core/index.js';

export type AlipayCategoryEntry = { miniCategoryIds: string; names: string } | { unmapped: string };

const broad = (what: string): AlipayCategoryEntry => ({ unmapped: `too broad for Alipay: choose a ${what} subcategory (mini_category_ids needs a leaf)` });
const c = (miniCategoryIds: string, names: string): AlipayCategoryEntry => ({ miniCategoryIds, names });

// Canonical code -> Alipay `mini_category_ids` (new XS… front categories, up to 3 levels joined
// with `_`, A2.2). shared/hosts gives only the id shape (e.g. `XS1007_XS2059_XS3062`), not the
// tree, so every id here is an assumption to check against alipay.open.mini.category.query
// (mini_category_list) before production; the profile lists it.
export const ALIPAY_CATEGORY_TABLE: Readonly<Record<string, AlipayCategoryEntry>> = {
  games: broad('games'),
  'games.casual': c('XS1015_XS2101', '休闲娱乐_休闲游戏'),
  'games.puzzle': c('XS1015_XS2102', '休闲娱乐_益智游戏'),
  'games.board': c('XS1015_XS2103', '休闲娱乐_棋牌桌游'),
  // Action games need a game licence Alipay mini-programs cannot show in this category set.
  'games.action': { unmapped: 'no Alipay mini-program category for action games (licensed game categories are not in the table)' },
  life: broad('life-services'),
  'life.food': c('XS1001_XS2001_XS3002', '餐饮_餐饮服务_点餐'),
  'life.housekeeping': c('XS1002_XS2008_XS3024', '生活服务_家政服务_保洁'),
  'life.beauty': c('XS1002_XS2009_XS3026', '生活服务_丽人_美容美发'),
  'life.delivery': c('XS1002_XS2010_XS3030', '生活服务_跑腿代办_同城配送'),
  'life.rental': c('XS1002_XS2011_XS3033', '生活服务_租赁_物品租赁'),
  ecommerce: broad('e-commerce'),
  'ecommerce.retail': c('XS1003_XS2015_XS3041', '零售_商家自营_百货'),
  'ecommerce.marketplace': c('XS1003_XS2016', '零售_电商平台'),
  'ecommerce.group_buying': c('XS1003_XS2017', '零售_团购'),
  'ecommerce.fresh': c('XS1003_XS2015_XS3043', '零售_商家自营_生鲜果蔬'),
  tools: broad('tools'),
  'tools.utility': c('XS1011_XS2089', '工具_效率工具'),
  'tools.office': c('XS1011_XS2090', '工具_办公'),
  'tools.calculator': c('XS1011_XS2091', '工具_计算器'),
  'tools.weather': c('XS1011_XS2092', '工具_天气'),
  education: broad('education'),
  'education.k12': c('XS1007_XS2059_XS3062', '教育_培训机构_学科辅导'),
  'education.languages': c('XS1007_XS2059_XS3063', '教育_培训机构_语言培训'),
  'education.vocational': c('XS1007_XS2059_XS3064', '教育_培训机构_职业培训'),
  'education.early': c('XS1007_XS2060', '教育_早教'),
  travel: broad('travel'),
  'travel.hotel': c('XS1005_XS2031', '旅游出行_酒店住宿'),
  'travel.tickets': c('XS1005_XS2032', '旅游出行_景区门票'),
  'travel.transport': c('XS1005_XS2033', '旅游出行_公共交通'),
  'travel.ride_hailing': c('XS1005_XS2034', '旅游出行_网约车'),
  finance: broad('finance'),
  'finance.banking': c('XS1006_XS2041', '金融_银行'),
  'finance.insurance': c('XS1006_XS2042', '金融_保险'),
  // Payment services are Alipay's own business; third-party payment institutions are not listed.
  'finance.payments': { unmapped: 'Alipay does not list third-party payment services as a mini-program category' },
  'finance.wealth': c('XS1006_XS2043', '金融_基金理财'),
  social: broad('social'),
  'social.community': c('XS1009_XS2071', '社交_社区论坛'),
  'social.dating': { unmapped: 'Alipay mini-programs do not offer a dating category' },
  'social.notes': c('XS1009_XS2072', '社交_笔记分享'),
  'social.qa': c('XS1009_XS2073', '社交_问答'),
  media: broad('media'),
  'media.news': c('XS1010_XS2081', '文娱_资讯'),
  'media.video': c('XS1010_XS2082', '文娱_视频'),
  'media.music': c('XS1010_XS2083', '文娱_音乐'),
  'media.reading': c('XS1010_XS2084', '文娱_阅读'),
  health: broad('health'),
  'health.clinic': c('XS1008_XS2065', '医疗健康_医疗机构'),
  'health.pharmacy': c('XS1008_XS2066', '医疗健康_药店'),
  'health.fitness': c('XS1008_XS2067', '医疗健康_运动健身'),
  'health.consultation': c('XS1008_XS2068', '医疗健康_在线问诊'),
  government: broad('government'),
  'government.services': c('XS1012_XS2095', '政务民生_政务服务'),
  'government.transport': c('XS1012_XS2096', '政务民生_交通管理'),
  'government.social_security': c('XS1012_XS2097', '政务民生_社保'),
};

/** The Alipay categories for a canonical code, or why there are none. */
export function alipayCategoryFor(code: string): AlipayCategoryEntry {
  return ALIPAY_CATEGORY_TABLE[code] ?? { unmapped: `"${code}" is not a canonical gateway category` };
}

/** Canonical codes with no row in the table (a spec keeps this empty). */
export function categoriesWithoutRow(): string[] {
  return CANONICAL_CATEGORIES.map((cat) => cat.code).filter((code) => !(code in ALIPAY_CATEGORY_TABLE));
}
