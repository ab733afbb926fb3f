/**
 * 35.com wire codec, the gateway's side: request documents it sends, response documents it reads,
 * cltrids and md5 checksums. Pure (no I/O, no Node APIs): the worker and the Node bridge use it.
 * The simulator has its own reading of the manual and does not use this module, so each side's
 * tests can check the other's.
 *
 * Notes about this registrar's API (the 35.com API user manual, "API 用户使用手册" 2.7.4; § = its
 * section numbers):
 * - One XML document per message over raw TCP, `<request>` / `<response>`, no length prefix or
 *   terminator (§7.1.2 建立 TCP 连接, §8.5 报文格式): framing is by the root end tag.
 * - Request checksum = md5(clid + md5(password) + cltrid + LITERAL + fields…) where LITERAL and
 *   the fields are per command and NOT simply the action name (`deldomain`, §7.2.2.6.1); name
 *   servers, add/rem statuses and `mltype` are not covered (§7.2.2.4.1, §7.2.2.7.1, §7.2.2.8.1,
 *   §7.2.2.9.1; checked against checksums computed from the examples).
 * - Response checksum = md5(clid + md5(password) + cltrid + svtrid + code + msg + value)
 *   (§7.1.3.1, §8.5) over `msg`/`value` exactly as sent: the server's `msg` for code 1000 is
 *   spelled differently per command ("completed", "complateted", "completeted"), so never
 *   normalise it.
 * - `resData` may be absent, empty or hold repeated `<data name>` (dns ×2, status ×n) (InfoDomain
 *   example, §7.2.2.3.6).
 * - Some examples use `<checksum>` for `<chksum>`, and pad element text with spaces (§7.2.2.2.6,
 *   §7.2.4.3.6): both are accepted; we always send `<chksum>` and no padding.
 * - Success is decided by `code` (1000-1999), never by `msg` (§8.4 错误代码).
 * - IDNs go as punycode, except .CN/.中国/.网络/.公司, which go in native script (§6.5 注意事项
 *   item 2, §8.6.3 中文域名).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import punycode from 'punycode/punycode.js';
import { UNSUPPORTED_TLD } from '../../core/availability-unknown';
import { GatewayError, protocolError } from '../../core/errors';
import { md5Hex } from './md5';

/** Parameters as the worker sends them to the bridge: repeated names are arrays, in XML order. */
export type Com35Params = Record<string, string | string[]>;

export interface Com35Command {
  category: string;
  action: string;
  params?: Com35Params;
}

export interface Com35Credentials {
  clid: string;
  /** md5(password), lowercase hex: what every checksum uses; the password itself is not needed. */
  passwordMd5: string;
}

export interface DataItem {
  name: string;
  value: string;
}

export interface Com35Response {
  category: string;
  action: string;
  code: number;
  /** Exactly as received (it is inside the checksum). */
  msg: string;
  /** Exactly as received (it is inside the checksum). */
  value: string;
  /** `resData` in document order, repeated names kept. */
  data: DataItem[];
  /** `resData` by name; repeated names give several values in order. */
  dataMap: Record<string, string[]>;
  cltrid?: string;
  svtrid?: string;
  chksum?: string;
}

/** How a command's request checksum is formed: a literal, then fields (`name`, `name[i]`, `name?`). */
export interface ChecksumFormula {
  literal: string;
  fields: readonly string[];
}

/**
 * Every domain, hosting, mail, account and client command's checksum, with the literal exactly as the manual
 * prints it (the command's "命令格式" section in comments). Keyed by `category/action`.
 */
export const CHECKSUM_FORMULAS: Readonly<Record<string, ChecksumFormula>> = {
  'client/Login': { literal: 'login', fields: [] }, // §7.1.3.1
  'client/Logout': { literal: 'logout', fields: [] }, // §7.1.6.1
  'domain/CheckDomain': { literal: 'checkdomain', fields: ['domaintype', 'domain'] }, // §7.2.2.2.1
  'domain/InfoDomain': { literal: 'infodomain', fields: ['domaintype', 'domain'] }, // §7.2.2.3.1
  // §7.2.2.4.1 (checked against the example's checksum): the two `dns` params in order; `mltype` is
  // not covered.
  'domain/CreateDomain': {
    literal: 'createdomain',
    fields: ['domaintype', 'domain', 'period', 'dns[0]', 'dns[1]', 'template_id', 'password'],
  },
  'domain/RenewDomain': { literal: 'renewdomain', fields: ['domaintype', 'domain', 'period'] }, // §7.2.2.5.1
  'domain/DeleteDomain': { literal: 'deldomain', fields: ['domaintype', 'domain'] }, // §7.2.2.6.1
  'domain/UpdateDomainStatus': { literal: 'updatedomainstatus', fields: ['domaintype', 'domain'] }, // §7.2.2.7.1
  'domain/UpdateDomainExtra': { literal: 'updatedomainextra', fields: ['domaintype', 'domain'] }, // §7.2.2.8.1
  'domain/UpdateDomainDns': { literal: 'updatedomaindns', fields: ['domaintype', 'domain'] }, // §7.2.2.9.1
  'domain/UpdateDomainPwd': { literal: 'updatedomainpwd', fields: ['domaintype', 'domain', 'password'] }, // §7.2.2.10.1
  'domain/InfoDomainExtra': { literal: 'infodomainextra', fields: ['domaintype', 'domain'] }, // §7.2.2.11.1
  'domain/RequestModifyRegistrantEmail': {
    literal: 'requestmodifyregistrantemail',
    fields: ['domaintype', 'domain', 'new_email'],
  }, // §7.2.3.2.1
  'domain/VerifyModifyRegistrantEmail': {
    literal: 'verifymodifyregistrantemail',
    fields: ['domaintype', 'domain', 'verification_code'],
  }, // §7.2.3.3.1
  'domain/CheckHost': { literal: 'checkhost', fields: ['domaintype', 'hostname'] }, // §7.2.4.2.1
  'domain/InfoHost': { literal: 'infohost', fields: ['domaintype', 'hostname'] }, // §7.2.4.3.1
  'domain/CreateHost': { literal: 'createhost', fields: ['domaintype', 'hostname', 'addr?'] }, // §7.2.4.4.1
  'domain/UpdateHost': {
    literal: 'updatehost',
    fields: ['domaintype', 'hostname', 'addaddr?', 'remaddr?'],
  }, // §7.2.4.5.1
  'domain/DeleteHost': { literal: 'deletehost', fields: ['domaintype', 'hostname'] }, // §7.2.4.6.1
  // §7.2.5.2.1 and §7.2.5.3.1 print the literal with a trailing space; we send it without (decision: the
  // sibling OnlineNIC API has none); the simulator accepts both.
  'domain/QueryCustTransfer': { literal: 'querycusttransfer', fields: ['domaintype', 'domain', 'op'] },
  'domain/RequestCustTransfer': {
    literal: 'requestcusttransfer',
    fields: ['domaintype', 'domain', 'password', 'curID'],
  },
  'domain/CustTransferSetPwd': {
    literal: 'custtransfersetpwd',
    fields: ['domaintype', 'domain', 'password'],
  }, // §7.2.5.4.1
  'domain/QueryRegTransfer': { literal: 'queryregtransfer', fields: ['domaintype', 'domain'] }, // §7.2.6.2.1
  'domain/RequestRegTransfer': {
    literal: 'requestregtransfer',
    fields: ['domaintype', 'domain', 'contact_id', 'authcode'],
  }, // §7.2.6.3.1
  // Hosting and mail print their literal in mixed case, the action's own spelling (decision: the
  // test account of §7.1.1 reproduces none of these examples' checksums, so the print is all we have).
  'vhost/GetInfo': { literal: 'GetInfo', fields: ['flag', 'vhostname'] }, // §7.3.2.15.1, op=GetVhostInfo
  'vhost/RenewVhost': { literal: 'RenewVhost', fields: ['flag', 'vhostname'] }, // §7.3.2.5.1
  'mail/GetInfo': { literal: 'GetInfo', fields: ['flag', 'domain'] }, // §7.4.2.16.1, §7.4.3.14.1, op=GetMailInfo
  'mail/RenewMail': { literal: 'RenewMail', fields: ['flag', 'domain'] }, // §7.4.2.5.1, §7.4.3.5.1
  'account/GetAccountBalance': { literal: 'getaccountbalance', fields: [] }, // §7.6.1.1
  'account/GetCustomerInfo': { literal: 'getcustomerinfo', fields: [] }, // §7.6.2.1
};

export function formulaFor(category: string, action: string): ChecksumFormula | undefined {
  return CHECKSUM_FORMULAS[`${category}/${action}`];
}

/** Values of a param by name (a repeated param is an array, in order). */
function valuesOf(params: Com35Params | undefined, name: string): string[] {
  const v = params?.[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * The concatenated checksum fields of a command, or the name of the first missing required field.
 * Optional fields (`addr?`) are simply left out when absent (§7.2.4.4.1 "如果有").
 */
export function checksumFields(
  formula: ChecksumFormula,
  params: Com35Params | undefined,
): { ok: true; text: string } | { ok: false; missing: string } {
  let text = '';
  for (const spec of formula.fields) {
    const optional = spec.endsWith('?');
    const m = /^([^[?]+)(?:\[(\d+)\])?\??$/.exec(spec)!;
    const name = m[1]!;
    const index = m[2] === undefined ? 0 : Number(m[2]);
    const value = valuesOf(params, name)[index];
    if (value === undefined) {
      if (optional) continue;
      return { ok: false, missing: name };
    }
    text += value;
  }
  return { ok: true, text };
}

/** md5(clid + md5(password) + cltrid + LITERAL + fields) for one command. */
export function requestChecksum(command: Com35Command, creds: Com35Credentials, cltrid: string): string {
  const formula = formulaFor(command.category, command.action);
  if (!formula) {
    throw new GatewayError('unsupported', {
      message: `35.com command ${command.category}/${command.action} has no known checksum formula`,
      provider: 'com35',
    });
  }
  const fields = checksumFields(formula, command.params);
  if (!fields.ok) {
    throw new GatewayError('invalid_request', {
      message: `35.com ${command.action}: missing parameter ${fields.missing}`,
      fields: [{ field: fields.missing, reason: 'required by the command' }],
      provider: 'com35',
    });
  }
  return md5Hex(creds.clid + creds.passwordMd5 + cltrid + formula.literal + fields.text);
}

/** md5(clid + md5(password) + cltrid + svtrid + code + msg + value), msg/value byte-exact. */
export function responseChecksum(
  creds: Com35Credentials,
  r: { cltrid: string; svtrid: string; code: number | string; msg: string; value: string },
): string {
  return md5Hex(creds.clid + creds.passwordMd5 + r.cltrid + r.svtrid + String(r.code) + r.msg + r.value);
}

/** True when the response carries a checksum and it verifies for these credentials. */
export function verifyResponseChecksum(response: Com35Response, creds: Com35Credentials): boolean {
  if (!response.chksum || response.cltrid === undefined || response.svtrid === undefined) return false;
  const expected = responseChecksum(creds, {
    cltrid: response.cltrid,
    svtrid: response.svtrid,
    code: response.code,
    msg: response.msg,
    value: response.value,
  });
  return expected === response.chksum.trim().toLowerCase();
}

/**
 * Unique cltrids in the manual's own shape `{clid}A{unixSeconds}B{n}` (§7.1.3.1), with a per-generator
 * counter and a random instance tag so two processes (or two sessions) in the same second never
 * collide: the manual only says "unique, never reused".
 */
export function createCltridGenerator(
  clid: string,
  opts: { now?: () => number; random?: () => number } = {},
): () => string {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const instance = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  let counter = 0;
  return () => {
    counter = (counter + 1) % 1_000_000;
    return `${clid}A${Math.floor(now() / 1000)}B${instance}${counter.toString().padStart(6, '0')}`;
  };
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A request document: one line, nothing after `</request>` (the most conservative framing). */
export function buildRequest(command: Com35Command, creds: Com35Credentials, cltrid: string): string {
  const chksum = requestChecksum(command, creds, cltrid);
  const params = Object.entries(command.params ?? {}).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map(
      (value) => `<param name="${escapeXml(name)}">${escapeXml(String(value))}</param>`,
    ),
  );
  // Account commands carry no <params> element at all (GetAccountBalance example, §7.6.1.6).
  const paramsXml = params.length > 0 ? `<params>${params.join('')}</params>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><request><category>${escapeXml(command.category)}</category>` +
    `<action>${escapeXml(command.action)}</action>${paramsXml}<cltrid>${escapeXml(cltrid)}</cltrid>` +
    `<chksum>${chksum}</chksum></request>`
  );
}

// --- parsing ---------------------------------------------------------------------------------

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  trimValues: false,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function childrenOf(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node);
  const value = tag ? node[tag] : undefined;
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

/** Concatenated text of an element, untouched (no trimming). */
function textOf(node: OrderedNode): string {
  return childrenOf(node)
    .map((c) => (typeof c['#text'] === 'string' ? (c['#text'] as string) : ''))
    .join('');
}

/** The children of a `<response>` document's root, or a protocol error saying what is wrong. */
function responseChildren(text: string): OrderedNode[] {
  const trimmed = text.replace(/^[\uFEFF\s]+/, '');
  if (trimmed === '') throw protocolError(`35.com sent an empty message`, { provider: 'com35' });
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw protocolError(
      `35.com sent a message that is not XML (${valid.err.code} at line ${valid.err.line})`,
      {
        provider: 'com35',
      },
    );
  }
  let doc: OrderedNode[];
  try {
    doc = parser.parse(trimmed) as OrderedNode[];
  } catch (error) {
    throw protocolError('35.com sent XML we could not parse', { provider: 'com35', cause: error });
  }
  const top = doc.find((n) => tagOf(n) === 'response');
  if (!top) throw protocolError('35.com sent a document whose root is not <response>', { provider: 'com35' });
  return childrenOf(top).filter((c) => tagOf(c) !== '#text');
}

/** The `<data name>` items of `resData`, names and values trimmed (examples pad them). */
function dataItems(container: OrderedNode | undefined): DataItem[] {
  if (!container) return [];
  return childrenOf(container)
    .filter((c) => tagOf(c) === 'data')
    .map((c) => ({ name: (c[':@']?.name ?? '').trim(), value: textOf(c).trim() }));
}

function toMap(items: DataItem[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const { name, value } of items) {
    const list = map[name] ?? [];
    list.push(value);
    map[name] = list;
  }
  return map;
}

/**
 * Parse a `<response>` document. Structural fields are trimmed (examples pad them); `msg` and
 * `value` are kept exactly as sent because the checksum covers them.
 */
export function parseResponse(text: string): Com35Response {
  const children = responseChildren(text);
  const el = (name: string) => children.find((c) => tagOf(c) === name);
  const req = (name: string) => {
    const node = el(name);
    if (!node) throw protocolError(`35.com response has no <${name}>`, { provider: 'com35' });
    return textOf(node);
  };
  const codeText = req('code').trim();
  if (!/^\d{4}$/.test(codeText)) {
    throw protocolError(`35.com response code is not a number: ${JSON.stringify(codeText.slice(0, 20))}`, {
      provider: 'com35',
    });
  }
  const data = dataItems(el('resData'));
  const optional = (name: string) => {
    const node = el(name);
    return node ? textOf(node).trim() : undefined;
  };
  return {
    category: req('category').trim(),
    action: req('action').trim(),
    code: Number(codeText),
    msg: req('msg'),
    value: el('value') ? textOf(el('value')!) : '',
    data,
    dataMap: toMap(data),
    cltrid: optional('cltrid'),
    svtrid: optional('svtrid'),
    chksum: optional('chksum') ?? optional('checksum'),
  };
}

/** The first value of a `resData` item, or undefined. */
export function dataValue(response: Pick<Com35Response, 'dataMap'>, name: string): string | undefined {
  return response.dataMap[name]?.[0];
}

/** Codes 1000-1999 are successes (§8.4); everything from 2000 is a failure. */
export function isSuccess(code: number): boolean {
  return code >= 1000 && code < 2000;
}

// --- domain names and type IDs ---------------------------------------------------------------

/** TLDs whose names 35.com wants in native script, not punycode (§6.5 注意事项, item 2). */
const NATIVE_SCRIPT_TLDS = new Set(['cn', 'xn--fiqs8s', 'xn--io0a7i', 'xn--55qx5d']);

/**
 * `domaintype` by TLD (the table of §7.2.2.1 支持域名类型表). Where the table has an ASCII and a
 * Chinese type for the same TLD, the second-level label decides. `.网络`, `.公司` and `.in` are sold
 * (§6.3 支持产品类型) but have no type ID anywhere in the document, so they are not supported here.
 */
const TYPE_BY_TLD: Record<string, { ascii: string; chinese?: string }> = {
  com: { ascii: '0', chinese: '0' },
  net: { ascii: '0', chinese: '0' },
  'xn--fiqs8s': { ascii: '200', chinese: '200' }, // .中国
  cn: { ascii: '220', chinese: '220' },
  biz: { ascii: '800', chinese: '800' },
  info: { ascii: '805' },
  mobi: { ascii: '903' },
  asia: { ascii: '905' },
  name: { ascii: '804' },
  cc: { ascii: '660', chinese: '661' },
  club: { ascii: '740' },
  'xn--3ds443g': { ascii: '720', chinese: '721' }, // .在线
  'xn--fiq228c5hs': { ascii: '730', chinese: '731' }, // .中文网
  wang: { ascii: '750', chinese: '751' },
  top: { ascii: '770', chinese: '771' },
  'xn--ses554g': { ascii: '211', chinese: '212' }, // .网址
};

export interface WireDomain {
  /** The `domain` param: punycode, or native script for .cn/.中国/.网络/.公司. */
  domain: string;
  domaintype: string;
}

/**
 * Map a normalized (A-label) domain name to 35.com's `domain` and `domaintype` params.
 * Throws `unsupported` for a TLD 35.com's API has no type ID for.
 */
export function toWireDomain(asciiName: string): WireDomain {
  const labels = asciiName.split('.');
  const tld = labels[labels.length - 1]!;
  const entry = TYPE_BY_TLD[tld];
  if (!entry) {
    throw new GatewayError('unsupported', {
      message: `35.com has no domain type for .${safeUnicode(tld)} names`,
      provider: 'com35',
      // A TLD it does not sell: availability says `unsupported_tld`, never "taken".
      code: UNSUPPORTED_TLD,
    });
  }
  const idnLabel = labels.slice(0, -1).some((l) => l.startsWith('xn--'));
  const domaintype = idnLabel ? entry.chinese : entry.ascii;
  if (domaintype === undefined) {
    throw new GatewayError('unsupported', {
      message: `35.com does not accept internationalized names under .${tld}`,
      provider: 'com35',
    });
  }
  const domain = NATIVE_SCRIPT_TLDS.has(tld)
    ? labels.map((l) => (l.startsWith('xn--') ? safeUnicode(l) : l)).join('.')
    : asciiName;
  return { domain, domaintype };
}

/** The inverse of `toWireDomain`'s script choice: any name 35.com returns, as an A-label name. */
export function fromWireDomain(name: string): string {
  return punycode.toASCII(name.trim().toLowerCase());
}

function safeUnicode(label: string): string {
  if (!label.startsWith('xn--')) return label;
  try {
    return punycode.toUnicode(label);
  } catch {
    return label;
  }
}
