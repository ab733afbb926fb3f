/**
 * Every string the dashboard shows, in English and Chinese: one catalogue, so a page cannot show
 * a string only one language has (the `zh` table must have every key of `en`, checked by the type).
 */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The switch's cookie (Path=/app): the browser's Accept-Language decides until it is set. */
export const LANGUAGE_COOKIE = 'rgw_lang';

const en = {
  appName: 'Registrar gateway',
  skipToContent: 'Skip to content',
  mainNav: 'Main',
  navPortfolio: 'Portfolio',
  language: 'Language',
  languageName: 'English',
  switchTo: '中文',
  switchLanguage: 'Switch language',
  signIn: 'Sign in',
  signInTitle: 'Sign in to the dashboard',
  signInHelp: 'Use an API key of this gateway. It is checked once and exchanged for a session cookie.',
  apiKey: 'API key',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  scopes: 'Scopes',
  badKey: 'This API key is unknown or revoked.',
  noReadScope: 'This API key has no scope the dashboard can use.',
  sessionEnded: 'Your session ended (it expired, or its API key was revoked). Sign in again.',
  notConfigured:
    'The dashboard cannot sign anyone in: set DASHBOARD_SESSION_SECRET or ADMIN_API_KEY (docs/dashboard.md).',
  portfolio: 'Portfolio',
  filters: 'Filters',
  nameContains: 'Name contains',
  account: 'Account',
  anyAccount: 'Any account',
  tld: 'TLD',
  tldHint: 'e.g. com or co.uk',
  expiringWithin: 'Expiring within (days)',
  status: 'Status',
  anyStatus: 'Any status',
  sortBy: 'Sort by',
  sortName: 'Name',
  sortExpiry: 'Expiry (soonest first)',
  apply: 'Apply',
  reset: 'Clear filters',
  domains: 'Domains',
  domain: 'Domain',
  registrar: 'Registrar',
  expiry: 'Expiry',
  daysLeft: 'Days left',
  autoRenew: 'Auto-renew',
  lock: 'Lock',
  lastSync: 'Last sync',
  yes: 'Yes',
  no: 'No',
  unknown: 'Unknown',
  noDomains: 'No domain matches these filters.',
  nextPage: 'Next page',
  firstPage: 'First page',
  pageOf: 'Showing',
  downloadCsv: 'Download CSV',
  exports: 'Exports',
  calendarFeed: 'Expiry calendar (iCal)',
  calendarHelp:
    'Subscribe to this address in a calendar app. It is secret: anyone with it sees your expiry dates; revoking the API key ends it.',
  copy: 'Copy',
  copied: 'Copied',
  errorTitle: 'Something went wrong',
  badRequest: 'The request was not valid',
  forbidden: 'This API key may not do that.',
  notFound: 'No such page.',
  csrfRefused: 'The form expired or did not come from this dashboard. Reload the page and try again.',
  backToPortfolio: 'Back to the portfolio',
} as const;

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  appName: '域名注册商网关',
  skipToContent: '跳到正文',
  mainNav: '主导航',
  navPortfolio: '域名总览',
  language: '语言',
  languageName: '中文',
  switchTo: 'English',
  switchLanguage: '切换语言',
  signIn: '登录',
  signInTitle: '登录控制台',
  signInHelp: '使用本网关的 API 密钥登录。密钥只校验一次，然后换成会话 Cookie。',
  apiKey: 'API 密钥',
  signOut: '退出登录',
  signedInAs: '当前身份',
  scopes: '权限范围',
  badKey: '此 API 密钥不存在或已被吊销。',
  noReadScope: '此 API 密钥没有控制台可用的权限。',
  sessionEnded: '会话已结束（已过期，或其 API 密钥已被吊销）。请重新登录。',
  notConfigured: '控制台无法登录：请设置 DASHBOARD_SESSION_SECRET 或 ADMIN_API_KEY（见 docs/dashboard.md）。',
  portfolio: '域名总览',
  filters: '筛选',
  nameContains: '名称包含',
  account: '账户',
  anyAccount: '全部账户',
  tld: '顶级域',
  tldHint: '例如 com 或 co.uk',
  expiringWithin: '到期天数以内',
  status: '状态',
  anyStatus: '全部状态',
  sortBy: '排序',
  sortName: '名称',
  sortExpiry: '到期日（最近在前）',
  apply: '应用',
  reset: '清除筛选',
  domains: '域名',
  domain: '域名',
  registrar: '注册商',
  expiry: '到期日',
  daysLeft: '剩余天数',
  autoRenew: '自动续费',
  lock: '锁定',
  lastSync: '最近同步',
  yes: '是',
  no: '否',
  unknown: '未知',
  noDomains: '没有符合筛选条件的域名。',
  nextPage: '下一页',
  firstPage: '第一页',
  pageOf: '显示',
  downloadCsv: '下载 CSV',
  exports: '导出',
  calendarFeed: '到期日历（iCal）',
  calendarHelp:
    '在日历应用中订阅此地址。此地址是机密：任何人拿到它都能看到到期日期；吊销 API 密钥后它即失效。',
  copy: '复制',
  copied: '已复制',
  errorTitle: '出错了',
  badRequest: '请求无效',
  forbidden: '此 API 密钥无权执行该操作。',
  notFound: '页面不存在。',
  csrfRefused: '表单已过期或并非来自本控制台。请刷新页面后重试。',
  backToPortfolio: '返回域名总览',
};

const CATALOGUE: Record<Language, Record<MessageKey, string>> = { en, zh };

export type Translate = (key: MessageKey) => string;

export function translator(language: Language): Translate {
  return (key) => CATALOGUE[language][key];
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** `zh-CN`, `zh-Hans-TW` → `zh`; `en-GB` → `en` (the language detector's normalization). */
export function baseLanguage(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** The `lang` attribute of a page in this language. */
export const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-Hans' };
