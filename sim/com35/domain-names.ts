/**
 * Domain names as the simulated 35.com stores and expects them, read from the manual (the 35.com
 * API user manual, "API 用户使用手册" 2.7.4) independently of the gateway's codec:
 * - the `domaintype` of each TLD: the table of §7.2.2.1 支持域名类型表, one type for English
 *   second-level labels and, where the table has one, another for Chinese ones;
 * - the script: IDNs go as punycode except under CN, 中国, 网络 and 公司, which go in native script
 *   (§6.5 注意事项 item 2, §8.6.3).
 * Conversions use Node's WHATWG URL domain functions (UTS #46), not the gateway's punycode library.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

/** §7.2.2.1 as printed: TLD, type for English labels, type for Chinese labels (if the table lists one). */
const TYPE_TABLE: ReadonlyArray<readonly [tld: string, english: string, chinese?: string]> = [
  ['com', '0', '0'], // "支持多语种域名"
  ['net', '0', '0'],
  ['中国', '200', '200'], // the only type for .中国
  ['cn', '220', '220'], // the only type for .cn
  ['biz', '800', '800'], // "支持多语种域名"
  ['info', '805'],
  ['mobi', '903'],
  ['asia', '905'],
  ['name', '804'],
  ['cc', '660', '661'],
  ['club', '740'],
  ['在线', '720', '721'],
  ['中文网', '730', '731'],
  ['wang', '750', '751'],
  ['top', '770', '771'],
  ['网址', '211', '212'],
];

const NATIVE_SCRIPT_TLDS = new Set(['cn', '中国', '网络', '公司']);

function unicodeOf(name: string): string {
  return domainToUnicode(name) || name.toLowerCase();
}

/** The A-label spelling of any name (for the simulator's own bookkeeping and prices). */
export function asciiName(name: string): string {
  return domainToASCII(name) || name.toLowerCase();
}

/** The name as 35.com wants it on the wire: native script under CN/中国/网络/公司, punycode elsewhere. */
export function wireName(anySpelling: string): string {
  const unicode = unicodeOf(anySpelling);
  const tld = unicode.slice(unicode.lastIndexOf('.') + 1);
  return NATIVE_SCRIPT_TLDS.has(tld) ? unicode : asciiName(anySpelling);
}

/** The `domaintype` §7.2.2.1 gives this name, or undefined when it has none. */
export function domainTypeOf(name: string): string | undefined {
  const labels = unicodeOf(name).split('.');
  const tld = labels.pop()!;
  const row = TYPE_TABLE.find(([t]) => t === tld);
  if (!row) return undefined;
  const chineseLabel = labels.some((label) => [...label].some((c) => c.codePointAt(0)! > 0x7f));
  return chineseLabel ? row[2] : row[1];
}
