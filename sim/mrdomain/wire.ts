/**
 * What the MrDomain simulator shares about the wire: the 106 documented actions, the error texts
 * of the code table, the envelope writer (PHP `json_encode` style) and the form-body reader.
 * Built from MrDomain's API User Manual 1.0.20, not from our client.
 */
import type { SimRequest, SimResponse } from '../shared/http-sim';

export const API_VERSION = '1.0.20';

/** Every action the document lists (User Manual §3 to §9, one module each). */
export const DOCUMENTED_ACTIONS: ReadonlySet<string> = new Set([
  ...['hello', 'idnconverter', 'domainsuggests', 'gettable', 'dig', 'zonecheck'].map((a) => `tool/${a}`),
  ...['info', 'promos', 'zones'].map((a) => `account/${a}`),
  ...[
    'check',
    'checkfortransfer',
    'create',
    'transfer',
    'transferrestart',
    'update',
    'updatenameservers',
    'updatecontacts',
    'gluerecordcreate',
    'gluerecordupdate',
    'gluerecorddelete',
    'list',
    'getinfo',
    'getauthcode',
    'getnameservers',
    'getgluerecords',
    'getdnssec',
    'dnsseccreate',
    'dnssecdelete',
    'renew',
    'whois',
    'resendverificationmail',
    'gethistory',
    'listdeleted',
  ].map((a) => `domain/${a}`),
  ...['create', 'list', 'getinfo', 'resendverificationmail'].map((a) => `contact/${a}`),
  ...[
    'list',
    'getinfo',
    'create',
    'renew',
    'upgrade',
    'update',
    'parkinggetinfo',
    'parkingupdate',
    'webconstructorlogin',
    ...['ftp', 'ddbb', 'subdomain', 'redirect', 'mail', 'mailalias'].flatMap((e) =>
      ['list', 'getinfo', 'create', 'update', 'delete'].map((op) => `${e}${op}`),
    ),
    'dnslist',
    'dnsgetinfo',
    'dnscreate',
    'dnsupdate',
    'dnsdelete',
    'dnsrestore',
    'dnssetzone',
    'dnsdeleteall',
  ].map((a) => `service/${a}`),
  ...[
    'csrdecode',
    'csrcreate',
    'productlist',
    'productgetinfo',
    'list',
    'getinfo',
    'create',
    'renew',
    'reissue',
    'multidomainaddsan',
    'getvalidationemails',
    'changevalidationmethod',
    'resendvalidationmail',
  ].map((a) => `ssl/${a}`),
  ...[
    'create',
    'list',
    'getinfo',
    'updatestatus',
    'updatepassword',
    'adddomain',
    'updatedomain',
    'deletedomain',
    'delete',
  ].map((a) => `user/${a}`),
]);

/** `errorCodeMsg` texts: the code table (User Manual §10.1.1), except 102 as the example of §2.1 shows it. */
export const ERROR_TEXT: Readonly<Record<number, string>> = {
  1: 'Undefined error',
  100: 'Syntax error',
  101: 'Syntax error: parameter fault',
  102: 'Object action invalid',
  103: 'Not allowed object/action',
  104: 'Not implemented object/action',
  105: 'Syntax error: invalid parameter',
  200: 'Login required',
  201: 'Login invalid',
  300: 'Action not allowed',
  1000: 'Account blocked',
  1001: 'Account deleted',
  1002: 'Account inactive',
  1007: 'Account filtered',
  1010: 'Account blocked',
  1011: 'Account blocked',
  1030: 'Account banned',
  1100: 'Insufficient balance',
  2001: 'Invalid domain name',
  2002: 'TLD not supported',
  2003: 'TLD in maintenance',
  2004: 'Domain check error',
  2008: 'Domain not found',
  2100: 'Domain renew error',
  2101: 'Domain renew not allowed',
  2102: 'Domain renew blocked',
  2200: 'Domain update error',
  2201: 'Domain update not allowed',
  2202: 'Domain update blocked',
  3001: 'Contact not exists',
  4001: 'Service not found',
  4009: 'Failure to renew the service',
  5000: 'SSL Error',
  5001: 'SSL Not Found',
};

/** An API-level refusal: becomes the error envelope. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly messages: string[] = [],
  ) {
    super(ERROR_TEXT[code] ?? `error ${code}`);
  }
}

export interface Outcome {
  errorCode: number;
  messages?: string[];
  responseData: unknown;
}

/** PHP `json_encode` defaults: `/` → `\/`, non-ASCII → `\uXXXX` (User Manual §2.1; §3.2 IDN Converter). */
function phpJson(value: unknown, pretty: boolean): string {
  const text = JSON.stringify(value, null, pretty ? 4 : undefined);
  return text
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/'/g, '&apos;')
    .replace(/"/g, '&quot;');
}

/** Best-effort XML (User Manual §2.3 shows scalars only): arrays as repeated `<item>`, true → 1. */
function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('item', v)).join('')}</${name}>`;
  if (value !== null && typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  const text =
    value === true ? '1' : value === false ? '0' : value === null || value === undefined ? '' : String(value);
  return `<${name}>${xmlEscape(text)}</${name}>`;
}

export function envelope(
  action: string,
  outcome: Outcome,
  format: { xml: boolean; pretty: boolean },
): SimResponse {
  const body: Record<string, unknown> = {
    success: outcome.errorCode === 0,
    errorCode: outcome.errorCode,
    errorCodeMsg: outcome.errorCode === 0 ? '' : (ERROR_TEXT[outcome.errorCode] ?? 'Undefined error'),
    action,
    version: API_VERSION,
  };
  if (outcome.messages && outcome.messages.length > 0) body.messages = outcome.messages;
  body.responseData = outcome.errorCode === 0 ? outcome.responseData : [];
  if (format.xml) {
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n${toXml('data', body)}`,
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: phpJson(body, format.pretty),
  };
}

/**
 * The POST fields. Query-string parameters are ignored (User Manual §2 Simple-POST Interface); so is
 * any body whose content
 * type is neither urlencoded nor multipart (as PHP's `$_POST` would be empty). A multipart body
 * that cannot be parsed is 100 "Syntax error".
 */
export async function readParams(req: SimRequest): Promise<Map<string, string>> {
  const params = new Map<string, string>();
  if (req.method !== 'POST') return params;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body)) if (!params.has(k)) params.set(k, v);
    return params;
  }
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new Request('http://sim.local/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']) },
        body: new Uint8Array(req.rawBody),
      }).formData();
    } catch {
      throw new ApiError(100, ['the multipart body could not be parsed']);
    }
    for (const [k, v] of form) {
      if (params.has(k)) continue;
      params.set(k, typeof v === 'string' ? v : await v.text());
    }
  }
  return params;
}

/**
 * A "(bool)" parameter as a PHP server most likely reads a form field: by truthiness, so `""` and
 * `"0"` are false and every other string, `"false"` included, is true. The document gives no wire
 * form; the vendor's own PHP SDK posts `1` and `""` (docs/decisions.md, MrDomain: boolean wire form),
 * which is what a server written that way expects. A client that sends `false` to unlock is told
 * the update succeeded while the domain stays locked.
 */
export function parseBool(value: string): boolean {
  return value !== '' && value !== '0';
}

export function parsePositiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new ApiError(105, [`${name} must be a positive integer`]);
  return Number(value);
}

/** A required parameter: absent or empty is 101 "Syntax error: parameter fault", naming it. */
export function requireParam(p: Map<string, string>, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw new ApiError(101, [`${name} is required`]);
  return v;
}

/** One page of a list and its `queryInfo` (`page`, `pageLength` as User Manual §5.12 List pages). */
export function page<T>(items: T[], p: Map<string, string>, defaultLength: number) {
  const pageNo = parsePositiveInt(p.get('page'), 'page', 1);
  const pageLength = parsePositiveInt(p.get('pageLength'), 'pageLength', defaultLength);
  const slice = items.slice((pageNo - 1) * pageLength, pageNo * pageLength);
  return {
    queryInfo: { page: pageNo, pageLength, results: slice.length, total: items.length },
    items: slice,
  };
}
