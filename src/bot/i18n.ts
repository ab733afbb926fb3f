/**
 * Every sentence the bot says, in English and Chinese. A small typed catalogue rather than the
 * Fluent-based @grammyjs/i18n plugin: Fluent loads `.ftl` files from disk, which a Worker has
 * not, and a TypeScript object makes a missing translation a compile error (`zh` must satisfy the
 * type of `en`).
 */

export type Lang = 'en' | 'zh';

/** zh* → zh, everything else → en (Telegram's `language_code` is an IETF tag such as `zh-hans`). */
export function langOf(languageCode: string | undefined): Lang {
  return languageCode?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const en = {
  welcome: (name: string) =>
    `Hello ${name}! I manage domains at five registrars. Send /help to see what I can do.`,
  help: () =>
    [
      'Commands:',
      '/check <names…> — availability (and prices where known), with the account that answered',
      '/info <domain> [account] — expiry, status, nameservers, lock, auto-renew, registrar',
      '/expiring [days] — domains and services expiring soon (default 30 days)',
      '/services [kind] [account] — hosting, mail and certificates, soonest expiry first',
      '/balance — balance of every registrar account',
      '/price <tld> — renewal prices across registrars, cheapest first',
      '/renew <domain> <years> [account] — renew a domain, after you confirm',
      '/renew <hosting|mail> <id> <years> [account] — renew a service, after you confirm',
      '/renewals — recent renewals and their states',
      '/subscribe, /unsubscribe — expiry reminders and low-balance alerts',
    ].join('\n'),
  refused: () => 'Sorry, this bot is private. Ask the operator to add your Telegram user id.',
  needsOperator: () => 'Only operators can renew domains. Your role is viewer.',
  unknownCommand: (cmd: string) => `I do not know the command ${cmd}. Send /help for the list.`,
  usageCheck: () => 'Tell me which names to check, e.g. /check example.com example.net',
  usageInfo: () => 'Tell me which domain, e.g. /info example.com (add the account name if several hold it)',
  usageRenew: () =>
    'Tell me what to renew and for how many years, e.g. /renew example.com 1 or /renew hosting weipeng1 1 (add the account name if several hold it)',
  usagePrice: () => 'Tell me which TLD, e.g. /price com',
  invalidDomain: (name: string, reason: string) => `"${name}" is not a valid domain name: ${reason}.`,
  invalidYears: (value: string) => `"${value}" is not a number of years between 1 and 10.`,
  invalidDays: (value: string) => `"${value}" is not a number of days between 1 and 3650.`,
  tooManyNames: (max: number) => `Please check at most ${max} names at a time.`,
  working: () => 'Working on it…',
  available: (domain: string, price: string, account: string) =>
    `✅ ${domain} is available${price ? ` (${price})` : ''} — ${account}`,
  premium: () => ' — premium',
  taken: (domain: string, reason: string, account: string) =>
    `❌ ${domain} is not available${reason ? ` (${reason})` : ''} — ${account}`,
  // Unknown is never "not available": a TLD nobody sells, or a check that failed, says so.
  notSold: (domain: string) => `❔ ${domain}: unknown — not sold by any configured registrar`,
  checkFailed: (domain: string, reason: string) =>
    `⚠️ ${domain}: unknown — could not check${reason ? ` (${reason})` : ''}`,
  info: (p: {
    domain: string;
    account: string;
    expires: string;
    status: string;
    nameservers: string;
    locked: string;
    autoRenew: string;
  }) =>
    [
      `${p.domain}`,
      `Registrar account: ${p.account}`,
      `Expires: ${p.expires}`,
      `Status: ${p.status}`,
      `Nameservers: ${p.nameservers}`,
      `Transfer lock: ${p.locked}`,
      `Auto-renew: ${p.autoRenew}`,
    ].join('\n'),
  yes: () => 'on',
  no: () => 'off',
  unknown: () => 'unknown',
  none: () => 'none',
  notHeld: (domain: string) => `None of the configured registrar accounts holds ${domain}.`,
  expiringNone: (days: number) => `No domain or service expires within ${days} days.`,
  expiringHeader: (days: number, domains: number, services: number) =>
    services === 0
      ? `${domains} domain(s) expire within ${days} days:`
      : `${domains} domain(s) and ${services} service(s) expire within ${days} days:`,
  expiringLine: (domain: string, date: string, account: string) => `• ${domain} — ${date} (${account})`,
  listCapped: (shown: number) => `…and more; only the first ${shown} are shown.`,
  servicesNone: () => 'No service in the inventory matches.',
  servicesHeader: (count: number) => `${count} service(s), soonest expiry first:`,
  serviceLine: (p: { label: string; account: string; expires: string; status: string; price: string }) =>
    `• ${p.label} — ${p.expires} (${p.account}) — ${p.status}${p.price ? ` — ${p.price}/year` : ''}`,
  beingIssued: () => 'being issued',
  points: (amount: string) => `${amount} points`,
  servicesBadFilter: (word: string, kinds: string, accounts: string) =>
    `I did not understand "${word}": /services takes a kind (${kinds}) and/or an account (${accounts}).`,
  balanceHeader: () => 'Balances:',
  balanceLine: (account: string, amount: string) => `• ${account}: ${amount}`,
  balanceUnsupported: (account: string) => `• ${account}: not available from this registrar`,
  balanceFailed: (account: string, reason: string) => `• ${account}: could not read (${reason})`,
  noAccounts: () => 'No registrar account is configured.',
  priceHeader: (tld: string) => `Renewal prices for .${tld}, cheapest first:`,
  priceLine: (account: string, amount: string) => `• ${account}: ${amount}`,
  priceNone: (tld: string) => `No registrar gave a renewal price for .${tld}.`,
  renewSummary: (p: {
    domain: string;
    account: string;
    expires: string;
    years: number;
    price: string;
    balance: string;
  }) =>
    [
      `Renew ${p.domain} for ${p.years} year(s)?`,
      `Registrar account: ${p.account}`,
      `Current expiry: ${p.expires}`,
      `Price: ${p.price}`,
      `Balance: ${p.balance}`,
    ].join('\n'),
  renewExtraArgs: (extra: string) =>
    `I did not understand "${extra}": /renew takes a domain, the years and, if several accounts hold it, the account.`,
  renewServiceExtraArgs: (extra: string) =>
    `I did not understand "${extra}": /renew for a service takes its kind, its id, the years and, if needed, the account.`,
  unknownRenewKind: (word: string, kinds: string) =>
    `"${word}" is neither a domain name nor a kind of service I can renew (${kinds}).`,
  invalidServiceId: (id: string, rule: string) => `"${id}" is not a service id: ${rule}.`,
  certificateNeedsCsr: (id: string) =>
    `Renewing certificate ${id} needs a certificate signing request (CSR), which a chat cannot carry: ask for it through the API (POST /v1/services/{account}/certificate/${id}/renew) or the billing webhook (service.renew). Nothing was recorded.`,
  serviceAccountNeeded: (label: string, example: string) =>
    `No account in the inventory holds ${label}. Tell me which account, e.g. ${example}.`,
  serviceNoExpiry: (label: string) =>
    `${label} has no expiry at the registrar yet, so it cannot be renewed now. Nothing was recorded.`,
  balanceNotUsed: () => 'not used (paid in points)',
  renewAgainQuestion: (p: {
    domain: string;
    years: number;
    renewedAt: string;
    renewalId: string;
    expires: string;
  }) =>
    [
      `${p.domain} was already renewed on ${p.renewedAt} (id ${p.renewalId}); it now expires on ${p.expires}.`,
      `Nothing was charged. Renew it again for ${p.years} more year(s)?`,
    ].join('\n'),
  renewAgain: () => 'Renew again',
  whichAccount: (domain: string, accounts: string) =>
    `${domain} is held by several accounts (${accounts}). Which one?`,
  choiceNotYours: () => 'Only the person who asked can choose.',
  choiceExpired: () => 'This question has expired. Send the command again.',
  choiceUsed: () => 'This choice was already made.',
  confirm: () => 'Confirm',
  cancel: () => 'Cancel',
  cancelled: (domain: string) => `Renewal of ${domain} cancelled. Nothing was charged.`,
  confirmNotYours: () => 'Only the person who asked can confirm this renewal.',
  confirmExpired: () => 'This confirmation has expired. Send /renew again.',
  confirmUsed: () => 'This confirmation was already used.',
  renewSubmitted: (domain: string, id: string) =>
    `Renewal of ${domain} submitted (id ${id}). I will update this message.`,
  renewState: (domain: string, state: string, detail: string) =>
    `Renewal of ${domain}: ${state}${detail ? `\n${detail}` : ''}`,
  newExpiry: (date: string) => `New expiry: ${date}`,
  renewalsNone: () => 'No renewals yet.',
  renewalsHeader: () => 'Recent renewals:',
  renewalLine: (domain: string, years: number, state: string, date: string) =>
    `• ${domain} +${years}y — ${state} (${date})`,
  subscribed: () => 'Subscribed: you will get expiry reminders and low-balance alerts here.',
  unsubscribed: () => 'Unsubscribed: no more reminders or alerts here.',
  reminder: (domain: string, days: number, date: string) =>
    `⏰ ${domain} expires in ${days} day(s), on ${date}.`,
  lowBalance: (account: string, amount: string, threshold: string) =>
    `💰 Balance of ${account} is low: ${amount} (threshold ${threshold}).`,
  registrarError: (reason: string) => `The registrar could not do that: ${reason}`,
  internalError: () => 'Something went wrong on our side. Please try again in a minute.',
  errorKind: (kind: string, detail: string) =>
    ({
      invalid_request: `That request is not valid: ${detail}`,
      authentication: 'The registrar refused our credentials. The operator must check the account settings.',
      permission: `The registrar does not allow that: ${detail}`,
      not_found: `Not found: ${detail}`,
      conflict: `That conflicts with the current state: ${detail}`,
      insufficient_funds: 'The registrar account does not have enough funds for this.',
      rate_limited: 'The registrar asks us to slow down. Please try again in a minute.',
      unsupported: `This registrar does not offer that: ${detail}`,
      upstream_unavailable: 'The registrar is unavailable right now. Please try again later.',
      transport: 'I could not reach the registrar. Please try again later.',
      protocol: 'The registrar answered something I could not read. Please try again later.',
      outcome_unknown: 'The registrar did not answer in time; I am checking what happened.',
    })[kind] ?? `Something went wrong: ${detail}`,
  domainProblem: (problem: string) =>
    ({
      empty: 'it is empty',
      empty_label: 'it has an empty label (two dots in a row)',
      label_too_long: 'a label is longer than 63 characters',
      name_too_long: 'it is longer than 253 characters',
      bad_characters: 'it contains characters not allowed in a domain name',
      hyphen_position: 'a label starts or ends with a hyphen',
      missing_tld: 'it has no top-level domain',
      numeric_tld: 'the top-level domain is all digits',
    })[problem] ?? problem,
} as const;

type Catalogue = { [K in keyof typeof en]: (typeof en)[K] };

const zh: Catalogue = {
  welcome: (name) => `${name}，你好！我管理五家注册商的域名。发送 /help 查看我能做什么。`,
  help: () =>
    [
      '命令：',
      '/check <域名…> — 查询是否可注册（能查到时附价格），并注明回答的账户',
      '/info <域名> [账户] — 到期日、状态、DNS、锁定、自动续费、注册商',
      '/expiring [天数] — 即将到期的域名和服务（默认 30 天）',
      '/services [类型] [账户] — 主机、邮局和证书，按到期日排序',
      '/balance — 各注册商账户余额',
      '/price <后缀> — 各注册商续费价格，从低到高',
      '/renew <域名> <年数> [账户] — 续费域名（需确认）',
      '/renew <hosting|mail> <编号> <年数> [账户] — 续费服务（需确认）',
      '/renewals — 最近的续费及状态',
      '/subscribe、/unsubscribe — 到期提醒和余额不足提醒',
    ].join('\n'),
  refused: () => '抱歉，这是私有机器人。请联系管理员添加你的 Telegram 用户 ID。',
  needsOperator: () => '只有操作员可以续费域名。你的角色是查看者。',
  unknownCommand: (cmd) => `我不认识命令 ${cmd}。发送 /help 查看命令列表。`,
  usageCheck: () => '请告诉我要查询的域名，例如 /check example.com example.net',
  usageInfo: () => '请告诉我域名，例如 /info example.com（多个账户持有时可加账户名）',
  usageRenew: () =>
    '请告诉我续费什么和年数，例如 /renew example.com 1 或 /renew hosting weipeng1 1（多个账户持有时可加账户名）',
  usagePrice: () => '请告诉我域名后缀，例如 /price com',
  invalidDomain: (name, reason) => `“${name}”不是有效的域名：${reason}。`,
  invalidYears: (value) => `“${value}”不是 1 到 10 之间的年数。`,
  invalidDays: (value) => `“${value}”不是 1 到 3650 之间的天数。`,
  tooManyNames: (max) => `每次最多查询 ${max} 个域名。`,
  working: () => '处理中…',
  available: (domain, price, account) => `✅ ${domain} 可以注册${price ? `（${price}）` : ''} — ${account}`,
  premium: () => ' — 溢价域名',
  taken: (domain, reason, account) => `❌ ${domain} 不可注册${reason ? `（${reason}）` : ''} — ${account}`,
  notSold: (domain) => `❔ ${domain}：未知——没有已配置的注册商销售这个后缀`,
  checkFailed: (domain, reason) => `⚠️ ${domain}：未知——查询失败${reason ? `（${reason}）` : ''}`,
  info: (p) =>
    [
      `${p.domain}`,
      `注册商账户：${p.account}`,
      `到期日：${p.expires}`,
      `状态：${p.status}`,
      `DNS 服务器：${p.nameservers}`,
      `转移锁：${p.locked}`,
      `自动续费：${p.autoRenew}`,
    ].join('\n'),
  yes: () => '开',
  no: () => '关',
  unknown: () => '未知',
  none: () => '无',
  notHeld: (domain) => `已配置的注册商账户中没有 ${domain}。`,
  expiringNone: (days) => `${days} 天内没有到期的域名或服务。`,
  expiringHeader: (days, domains, services) =>
    services === 0
      ? `${days} 天内有 ${domains} 个域名到期：`
      : `${days} 天内有 ${domains} 个域名和 ${services} 个服务到期：`,
  expiringLine: (domain, date, account) => `• ${domain} — ${date}（${account}）`,
  listCapped: (shown) => `……还有更多，只显示前 ${shown} 个。`,
  servicesNone: () => '清单中没有符合条件的服务。',
  servicesHeader: (count) => `${count} 个服务，按到期日排序：`,
  serviceLine: (p) =>
    `• ${p.label} — ${p.expires}（${p.account}）— ${p.status}${p.price ? ` — ${p.price}/年` : ''}`,
  beingIssued: () => '签发中',
  points: (amount) => `${amount} 积分`,
  servicesBadFilter: (word, kinds, accounts) =>
    `无法理解“${word}”：/services 可以带服务类型（${kinds}）和/或账户（${accounts}）。`,
  balanceHeader: () => '余额：',
  balanceLine: (account, amount) => `• ${account}：${amount}`,
  balanceUnsupported: (account) => `• ${account}：该注册商不提供余额查询`,
  balanceFailed: (account, reason) => `• ${account}：读取失败（${reason}）`,
  noAccounts: () => '尚未配置任何注册商账户。',
  priceHeader: (tld) => `.${tld} 续费价格（从低到高）：`,
  priceLine: (account, amount) => `• ${account}：${amount}`,
  priceNone: (tld) => `没有注册商提供 .${tld} 的续费价格。`,
  renewSummary: (p) =>
    [
      `确认为 ${p.domain} 续费 ${p.years} 年？`,
      `注册商账户：${p.account}`,
      `当前到期日：${p.expires}`,
      `价格：${p.price}`,
      `余额：${p.balance}`,
    ].join('\n'),
  renewExtraArgs: (extra) => `无法理解“${extra}”：/renew 需要域名、年数，以及（多个账户持有时）账户名。`,
  renewServiceExtraArgs: (extra) =>
    `无法理解“${extra}”：续费服务需要类型、编号、年数，以及（需要时）账户名。`,
  unknownRenewKind: (word, kinds) => `“${word}”既不是域名，也不是可续费的服务类型（${kinds}）。`,
  invalidServiceId: (id, rule) => `“${id}”不是有效的服务编号：${rule}。`,
  certificateNeedsCsr: (id) =>
    `续费证书 ${id} 需要证书签名请求（CSR），聊天里无法提供：请通过 API（POST /v1/services/{account}/certificate/${id}/renew）或计费 webhook（service.renew）发起。未记录任何操作。`,
  serviceAccountNeeded: (label, example) => `清单中没有账户持有 ${label}。请告诉我账户，例如 ${example}。`,
  serviceNoExpiry: (label) => `${label} 在注册商处还没有到期日，现在无法续费。未记录任何操作。`,
  balanceNotUsed: () => '不使用（以积分支付）',
  renewAgainQuestion: (p) =>
    [
      `${p.domain} 已于 ${p.renewedAt} 续费（编号 ${p.renewalId}），现在的到期日是 ${p.expires}。`,
      `尚未扣费。要再续费 ${p.years} 年吗？`,
    ].join('\n'),
  renewAgain: () => '再次续费',
  whichAccount: (domain, accounts) => `${domain} 由多个账户持有（${accounts}）。请选择账户：`,
  choiceNotYours: () => '只有发起人可以选择。',
  choiceExpired: () => '此问题已过期，请重新发送命令。',
  choiceUsed: () => '已经选择过了。',
  confirm: () => '确认',
  cancel: () => '取消',
  cancelled: (domain) => `已取消 ${domain} 的续费，未产生费用。`,
  confirmNotYours: () => '只有发起人可以确认此次续费。',
  confirmExpired: () => '确认已过期，请重新发送 /renew。',
  confirmUsed: () => '此确认已使用过。',
  renewSubmitted: (domain, id) => `已提交 ${domain} 的续费（编号 ${id}），我会更新这条消息。`,
  renewState: (domain, state, detail) => `${domain} 续费：${state}${detail ? `\n${detail}` : ''}`,
  newExpiry: (date) => `新到期日：${date}`,
  renewalsNone: () => '还没有续费记录。',
  renewalsHeader: () => '最近的续费：',
  renewalLine: (domain, years, state, date) => `• ${domain} +${years} 年 — ${state}（${date}）`,
  subscribed: () => '已订阅：到期提醒和余额不足提醒会发到这里。',
  unsubscribed: () => '已退订：这里不再接收提醒。',
  reminder: (domain, days, date) => `⏰ ${domain} 将在 ${days} 天后（${date}）到期。`,
  lowBalance: (account, amount, threshold) => `💰 ${account} 余额不足：${amount}（阈值 ${threshold}）。`,
  registrarError: (reason) => `注册商无法完成操作：${reason}`,
  internalError: () => '我们这边出了点问题，请稍后再试。',
  errorKind: (kind, detail) =>
    ({
      invalid_request: `请求无效：${detail}`,
      authentication: '注册商拒绝了我们的凭据，请管理员检查账户设置。',
      permission: `注册商不允许此操作：${detail}`,
      not_found: `未找到：${detail}`,
      conflict: `与当前状态冲突：${detail}`,
      insufficient_funds: '注册商账户余额不足。',
      rate_limited: '注册商要求降低请求频率，请一分钟后再试。',
      unsupported: `该注册商不支持此操作：${detail}`,
      upstream_unavailable: '注册商暂时不可用，请稍后再试。',
      transport: '无法连接注册商，请稍后再试。',
      protocol: '注册商返回了无法识别的内容，请稍后再试。',
      outcome_unknown: '注册商没有及时回复，我正在核对结果。',
    })[kind] ?? `出错了：${detail}`,
  domainProblem: (problem) =>
    ({
      empty: '为空',
      empty_label: '含有空标签（连续两个点）',
      label_too_long: '某个标签超过 63 个字符',
      name_too_long: '超过 253 个字符',
      bad_characters: '含有域名中不允许的字符',
      hyphen_position: '某个标签以连字符开头或结尾',
      missing_tld: '缺少顶级域名',
      numeric_tld: '顶级域名全是数字',
    })[problem] ?? problem,
};

/** A service's normalized status (core/model.ts ServiceStatus) as words, per language. */
export const SERVICE_STATUS_WORDS: Record<Lang, Record<string, string>> = {
  en: {
    active: 'active',
    expired: 'expired',
    renewing: 'renewing',
    pending: 'pending',
    suspended: 'suspended',
    cancelled: 'cancelled',
    unknown: 'status unknown',
  },
  zh: {
    active: '正常',
    expired: '已过期',
    renewing: '续费中',
    pending: '处理中',
    suspended: '已暂停',
    cancelled: '已取消',
    unknown: '状态未知',
  },
};

/** Renewal states as words, per language. */
export const STATE_WORDS: Record<Lang, Record<string, string>> = {
  en: {
    requested: 'requested',
    submitting: 'submitting',
    confirmed: 'confirmed ✅',
    failed: 'failed ❌',
    outcome_unknown: 'outcome unknown, checking with the registrar',
    reconciling: 'checking with the registrar',
    needs_attention: 'needs attention ⚠️',
  },
  zh: {
    requested: '已提交',
    submitting: '提交中',
    confirmed: '已确认 ✅',
    failed: '失败 ❌',
    outcome_unknown: '结果未知，正在与注册商核对',
    reconciling: '正在与注册商核对',
    needs_attention: '需要人工处理 ⚠️',
  },
};

export const messages: Record<Lang, Catalogue> = { en, zh };

export type Messages = Catalogue;
