// Canonical category (adapters/core/taxonomy.ts) -> Douyin mini-app service category (first / second level).
// The Douyin names are not in shared/hosts (UNCONFIRMED): they follow the console's category list and
// must be checked against it; `null` means the host takes no such mini-app (an explicit refusal).
export interface BytedanceCategory {
  first: string;
  second: string;
}

const c = (first: string, second: string): BytedanceCategory => ({ first, second });

export const BYTEDANCE_CATEGORY_TABLE: Readonly<Record<string, BytedanceCategory | null>> = {
  // Douyin mini games are a separate product with their own onboarding, not a mini-app category.
  games: null,
  'games.casual': null,
  'games.puzzle': null,
  'games.board': null,
  'games.action': null,
  life: c('生活服务', '生活服务其他'),
  'life.food': c('餐饮服务', '餐饮平台'),
  'life.housekeeping': c('生活服务', '家政服务'),
  'life.beauty': c('生活服务', '丽人服务'),
  'life.delivery': c('生活服务', '跑腿服务'),
  'life.rental': c('生活服务', '租赁服务'),
  ecommerce: c('电商', '电商平台'),
  'ecommerce.retail': c('电商', '自营电商'),
  'ecommerce.marketplace': c('电商', '电商平台'),
  'ecommerce.group_buying': c('电商', '团购'),
  'ecommerce.fresh': c('电商', '生鲜'),
  tools: c('工具', '信息查询'),
  'tools.utility': c('工具', '效率工具'),
  'tools.office': c('工具', '办公'),
  'tools.calculator': c('工具', '计算类'),
  'tools.weather': c('工具', '天气'),
  education: c('教育', '教育信息服务'),
  'education.k12': c('教育', '中小学教育'),
  'education.languages': c('教育', '语言培训'),
  'education.vocational': c('教育', '职业培训'),
  'education.early': c('教育', '早教'),
  travel: c('旅游', '旅游服务'),
  'travel.hotel': c('旅游', '酒店服务'),
  'travel.tickets': c('旅游', '景区服务'),
  'travel.transport': c('交通服务', '交通票务'),
  'travel.ride_hailing': c('交通服务', '网约车'),
  finance: c('金融业', '金融信息服务'),
  'finance.banking': c('金融业', '银行'),
  'finance.insurance': c('金融业', '保险'),
  'finance.payments': c('金融业', '非银行支付'),
  'finance.wealth': c('金融业', '基金'),
  social: c('社交', '社区/论坛'),
  'social.community': c('社交', '社区/论坛'),
  // Dating services are not open to third-party mini-apps on Douyin (assumed, as for the other hosts).
  'social.dating': null,
  'social.notes': c('社交', '笔记'),
  'social.qa': c('社交', '问答'),
  media: c('文娱', '资讯'),
  'media.news': c('文娱', '资讯'),
  'media.video': c('文娱', '视频'),
  'media.music': c('文娱', '音乐'),
  'media.reading': c('文娱', '阅读'),
  health: c('医疗健康', '健康咨询'),
  'health.clinic': c('医疗健康', '医院'),
  'health.pharmacy': c('医疗健康', '药店'),
  'health.fitness': c('体育', '健身'),
  'health.consultation': c('医疗健康', '在线问诊'),
  government: c('政务民生', '政务服务'),
  'government.services': c('政务民生', '政务服务'),
  'government.transport': c('政务民生', '交通管理'),
  'government.social_security': c('政务民生', '社保'),
};

/** The Douyin category for a canonical code, or null when there is none (unknown code or refused). */
export function bytedanceCategoryFor(code: string): BytedanceCategory | null {
  return Object.hasOwn(BYTEDANCE_CATEGORY_TABLE, code) ? BYTEDANCE_CATEGORY_TABLE[code] : null;
}
