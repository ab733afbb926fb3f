/**
 * LogicBoxes (ResellerClub) HTTP API wire format: parameter encoding and JSON decoding. Pure: no
 * I/O, no Node-only APIs. Every decoder throws only `GatewayError`s (`protocol` for a reply that
 * does not have the promised shape).
 *
 * Notes about this registrar's API (LogicBoxes' `domains/renew` API page, Chinese edition — "the renew
 * document", cited by its sections; it is the only call the document covers):
 * - Every call carries `auth-userid` (reseller id, integer) and `api-key` as ordinary parameters
 *   (renew document, Parameters); no signature, no headers.
 * - Parameters travel in the query string in every example of the renew document, even for POST
 *   (its example URL sections); we put them in a form body for POST so the API key stays out of
 *   URLs (our choice: secrets stay out of URLs and logs).
 * - Repeated parameters are repeated keys without brackets: `ns=a&ns=b`, `tlds=com&tlds=net`
 *   (as the clients whose recorded replies we test against send them: hiqdev/hiapi-directi,
 *   Pitchero/ResellerClub, TI-Sin-Problemas/resellerclub-python); never `ns[0]=`.
 * - `exp-date` and every date in replies are epoch SECONDS (renew document, Parameters, example
 *   `1279012036`).
 * - Replies are JSON objects whose scalars are mostly strings (`"endtime":"1572096892"`), with
 *   real JSON booleans mixed in (customers_details.json), or bare scalars: `orderid.json` answers
 *   a bare integer, several calls a bare `true`, token calls a quoted string.
 * - Errors: `{"status":"ERROR","message":…}` (renew document, Note), also `status: error` with key `error`,
 *   `status: Failed`, or `actionstatus: Failed`; a non-allow-listed IP gets a text/HTML page.
 * - `invoice-option` is one of four values (renew document, Parameters); `NoInvoice` replies omit
 *   `invoiceid`, `sellingcurrencysymbol`, `sellingamount`, `unutilisedsellingamount`, `customerid` (renew
 *   document, Note). `privacydetails` only when `purchase-privacy=true` was sent (renew document, Note).
 * - The privacy add-on is not offered for the TLDs listed under `purchase-privacy` (renew document,
 *   Parameters).
 * - Premium names are renewed with `attr-name1=premium&attr-value1=true` (renew document, premium example).
 */
import { z } from 'zod';
import { unknownAvailability } from '../../core/availability-unknown';
import { fromEpochSeconds } from '../../core/dates';
import { protocolError } from '../../core/errors';
import type {
  Availability,
  DomainStatus,
  DomainSummary,
  Money,
  Price,
  PriceOperation,
} from '../../core/model';
import { money, multiplyAmount, normalizeCurrency, toDecimalString } from '../../core/money';

// ───────────────────────────── requests ─────────────────────────────

export const INVOICE_OPTIONS = ['NoInvoice', 'PayInvoice', 'KeepInvoice', 'OnlyAdd'] as const;
export type InvoiceOption = (typeof INVOICE_OPTIONS)[number];

/**
 * Suffixes whose domains cannot have the privacy add-on (renew document, Parameters; 17 entries, 20
 * suffixes).
 */
export const PRIVACY_UNSUPPORTED_SUFFIXES = [
  'asia',
  'au',
  'ca',
  'cn',
  'org.co',
  'mil.co',
  'gov.co',
  'edu.co',
  'de',
  'es',
  'eu',
  'in',
  'nl',
  'nz',
  'pro',
  'ru',
  'sx',
  'tel',
  'uk',
  'us',
] as const;

/**
 * Label-boundary suffix match (docs/decisions.md, LogicBoxes: privacy TLD matching): `co.uk` and
 * `com.au` fall under `.UK` / `.AU`, while `example.co` is supported because the renew document lists only
 * four second-level `.co` zones.
 */
export function privacySupported(domain: string): boolean {
  const name = domain.toLowerCase();
  return !PRIVACY_UNSUPPORTED_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`));
}

export type ParamValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** `application/x-www-form-urlencoded`, arrays as repeated keys (`ns=a&ns=b`), undefined left out. */
export function encodeParams(params: Readonly<Record<string, ParamValue>>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else out.append(key, String(value));
  }
  return out.toString();
}

/** The `exp-date` guard: epoch seconds of an ISO timestamp (whole seconds, as LogicBoxes stores them). */
export function toEpochSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw protocolError(`not a date: ${JSON.stringify(iso)}`);
  return Math.floor(ms / 1000);
}

/**
 * LogicBoxes product keys per TLD (not in the document; seen in real replies: `domcno` for .com, `dotnet` for .net,
 * `dotname` for .name, `thirdleveldotuk` for a third-level .uk name). The rest follow `dot<tld>`.
 */
const PRODUCT_KEY_EXCEPTIONS: Readonly<Record<string, string>> = {
  com: 'domcno',
  org: 'domorg',
  info: 'dominfo',
};

export function productKeyOf(tld: string): string {
  const t = tld.toLowerCase().replace(/^\./, '');
  const exception = PRODUCT_KEY_EXCEPTIONS[t];
  if (exception) return exception;
  const labels = t.split('.');
  if (labels.length === 2) return `thirdleveldot${labels[1]}`;
  return `dot${t.replace(/\./g, '')}`;
}

/** The TLD of a product key, where it is unambiguous (`thirdleveldotuk` could be co.uk or org.uk). */
export function tldOfProductKey(key: string): string | undefined {
  for (const [tld, k] of Object.entries(PRODUCT_KEY_EXCEPTIONS)) if (k === key) return tld;
  if (/^dot[a-z0-9]+$/.test(key)) return key.slice(3);
  return undefined;
}

// ───────────────────────────── replies ─────────────────────────────

export type ParsedBody =
  | { kind: 'json'; value: unknown }
  /** Not JSON: an HTML or plain-text page (IP block page, proxy error). */
  | { kind: 'page'; text: string; html: boolean };

/** JSON when it is JSON (objects, bare numbers, `true`/`false`, quoted strings); a page otherwise. */
export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed !== '') {
    try {
      return { kind: 'json', value: JSON.parse(trimmed) };
    } catch {
      // fall through: not JSON
    }
  }
  return { kind: 'page', text: trimmed, html: /^<(!doctype|html|head|body)/i.test(trimmed) };
}

export interface LbFailure {
  /** The status word as sent (`ERROR`, `error`, `Failed`, or `actionstatus:Failed`, or `false`). */
  status: string;
  message: string;
}

const FAILED_STATUS = /^(error|failed|failure)$/i;

/**
 * The error envelope, in all shapes seen: `status: ERROR|error|Failed` with `message` (or `error`,
 * or `actionstatusdesc`), `actionstatus: Failed`, or a bare `false`.
 */
export function failureOf(value: unknown, opts: { actionReply?: boolean } = {}): LbFailure | undefined {
  if (value === false) return { status: 'false', message: 'the call answered false' };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);
  if (typeof v.status === 'string' && FAILED_STATUS.test(v.status.trim())) {
    return {
      status: v.status,
      message: text(v.message) ?? text(v.error) ?? text(v.actionstatusdesc) ?? 'no message given',
    };
  }
  // Only in the reply to an action (renew, modify-ns…): an order's details may show a past failed action.
  if (opts.actionReply && typeof v.actionstatus === 'string' && FAILED_STATUS.test(v.actionstatus.trim())) {
    return {
      status: `actionstatus:${v.actionstatus}`,
      message: text(v.actionstatusdesc) ?? text(v.message) ?? 'the action failed',
    };
  }
  return undefined;
}

/** A wire scalar as a string: LogicBoxes mixes `"123"`, `123` and `true`. */
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const idString = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform((v) => String(v));

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw protocolError(
    `LogicBoxes ${what} reply has an unexpected shape${where}: ${issue?.message ?? 'invalid'}`,
  );
}

const isTrue = (v: string | undefined) => v !== undefined && /^(true|t|yes|1)$/i.test(v);

// orderid.json — a bare integer body.
export function decodeOrderId(value: unknown): string {
  return parseWith(idString, value, 'domains/orderid');
}

// available.json — {"name.tld": {"classkey": "...", "status":
// "available|regthroughus|regthroughothers|unknown"}}
const availabilityEntry = z.looseObject({ status: z.string(), classkey: z.string().optional() });
const availabilityReply = z.record(z.string(), availabilityEntry);

const AVAILABILITY_REASON: Readonly<Record<string, string>> = {
  regthroughus: 'registered, in this reseller account',
  regthroughothers: 'registered elsewhere',
};

/**
 * One result per requested (normalized) name, in request order. `unknown` (the registry did not
 * answer), any status not documented and a name missing from the reply are "could not say",
 * never "taken".
 */
export function decodeAvailability(value: unknown, requested: readonly string[]): Availability[] {
  const reply = parseWith(availabilityReply, value, 'domains/available');
  const byName = new Map(Object.entries(reply).map(([k, v]) => [k.toLowerCase(), v]));
  return requested.map((domain) => {
    const entry = byName.get(domain);
    if (!entry) return unknownAvailability(domain, 'check_failed', 'LogicBoxes did not report this name');
    const status = entry.status.toLowerCase();
    if (status === 'available') return { domain, available: true, premium: false };
    const taken = AVAILABILITY_REASON[status];
    if (taken) return { domain, available: false, premium: false, reason: taken };
    return unknownAvailability(
      domain,
      'check_failed',
      status === 'unknown'
        ? 'the registry did not answer (status unknown)'
        : `LogicBoxes gave an unknown status ${JSON.stringify(entry.status)}`,
    );
  });
}

// details.json / details-by-name.json
const detailsReply = z.looseObject({
  orderid: idString,
  domainname: z.string().optional(),
  description: z.string().optional(),
  endtime: scalar,
  creationtime: scalar.optional(),
  currentstatus: z.string().optional(),
  orderstatus: z.array(z.string()).optional(),
  domainstatus: z.array(z.string()).optional(),
  customerid: scalar.optional(),
  productkey: z.string().optional(),
  isprivacyprotected: scalar.optional(),
  privacyprotectedallowed: scalar.optional(),
  recurring: scalar.optional(),
  ispremium: scalar.optional(),
  actiontype: z.string().optional(),
  actionstatus: z.string().optional(),
  actionstatusdesc: z.string().optional(),
});

export interface DecodedDetails {
  orderId: string;
  domain: string;
  /** `endtime` verbatim (epoch seconds): what `exp-date` must repeat. */
  endtimeSeconds: number;
  expiresAt: string;
  createdAt?: string;
  status: DomainStatus[];
  rawStatus: string[];
  locked: boolean;
  autoRenew?: boolean;
  nameservers: string[];
  customerId?: string;
  productKey?: string;
  privacyProtected: boolean;
  privacyAllowed: boolean;
  premium: boolean;
  /** The order's current action, where one is in progress (e.g. an incoming transfer). */
  action?: { type: string; status: string; description?: string };
}

const CURRENT_STATUS: Readonly<Record<string, DomainStatus>> = {
  active: 'active',
  inactive: 'pending',
  suspended: 'suspended',
  'pending delete restorable': 'redemption',
  deleted: 'deleted',
  archived: 'deleted',
};

export function decodeDetails(value: unknown, nowMs: number): DecodedDetails {
  const d = parseWith(detailsReply, value, 'domains/details');
  const domain = (d.domainname ?? d.description)?.toLowerCase();
  if (!domain)
    throw protocolError('LogicBoxes domains/details reply names no domain (domainname/description)');
  const endtime = Number(d.endtime);
  if (!/^\d+$/.test(d.endtime)) throw protocolError(`LogicBoxes endtime is not epoch seconds: ${d.endtime}`);
  const orderstatus = d.orderstatus ?? [];
  const domainstatus = d.domainstatus ?? [];
  const locked = orderstatus.some((s) => s.toLowerCase() === 'transferlock');
  const current = d.currentstatus?.trim();
  const status: DomainStatus[] = [];
  const mapped = current ? (CURRENT_STATUS[current.toLowerCase()] ?? 'unknown') : 'unknown';
  const action =
    d.actiontype && d.actionstatus
      ? { type: d.actiontype, status: d.actionstatus, description: d.actionstatusdesc }
      : undefined;
  const transferring =
    action !== undefined && /transfer/i.test(action.type) && !/^(success|failed)$/i.test(action.status);
  status.push(
    mapped === 'active' && endtime * 1000 < nowMs
      ? 'expired'
      : transferring && mapped === 'pending'
        ? 'transfer_pending'
        : mapped,
  );
  if (locked) status.push('locked');
  if (orderstatus.some((s) => /hold/i.test(s)) || domainstatus.some((s) => /hold/i.test(s)))
    status.push('hold');
  const nameservers = Object.keys(d)
    .filter((k) => /^ns\d+$/.test(k))
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
    .map((k) => String((d as Record<string, unknown>)[k]).toLowerCase())
    .filter((ns) => ns !== '');

  return {
    orderId: d.orderid,
    domain,
    endtimeSeconds: endtime,
    expiresAt: fromEpochSeconds(endtime),
    createdAt: d.creationtime && /^\d+$/.test(d.creationtime) ? fromEpochSeconds(d.creationtime) : undefined,
    status,
    rawStatus: [...(current ? [current] : []), ...orderstatus, ...domainstatus],
    locked,
    autoRenew: d.recurring === undefined ? undefined : isTrue(d.recurring),
    nameservers,
    customerId: d.customerid,
    productKey: d.productkey,
    privacyProtected: isTrue(d.isprivacyprotected),
    // Absent means the registrar did not say no: the renew document's TLD list still applies.
    privacyAllowed: d.privacyprotectedallowed === undefined ? true : isTrue(d.privacyprotectedallowed),
    premium: isTrue(d.ispremium),
    action,
  };
}

// search.json — {"recsonpage":"2","recsindb":"7","1":{"orders.orderid":…},"2":{…}}
export interface SearchPage {
  total: number;
  onPage: number;
  rows: DomainSummary[];
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * Epoch seconds → `YYYY-MM-DDTHH:MM:SS.000Z`, the same string `Date#toISOString` gives for years
 * 1970–9999, without allocating a Date (days → civil date after H. Hinnant's `civil_from_days`).
 * A 10,000-row page spends most of its decode time here otherwise.
 */
export function isoFromEpochSeconds(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const secs = seconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y > 9999) return new Date(seconds * 1000).toISOString();
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs % 3600) / 60);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(secs % 60)}.000Z`;
}

const ROW_STATUS: Readonly<Record<string, DomainStatus>> = {
  Active: 'active',
  InActive: 'pending',
  Suspended: 'suspended',
  Deleted: 'deleted',
  Archived: 'deleted',
};

/**
 * Hand-written rather than zod: a page holds up to 500 rows and inventory sync reads thousands of
 * pages, so this decoder is the hot path the benchmark measures (bench/logicboxes-list.bench.ts).
 * It checks the same things a schema would and names the row that is wrong.
 */
export function decodeSearchPage(value: unknown, nowMs: number): SearchPage {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw protocolError('LogicBoxes domains/search reply is not an object');
  }
  const v = value as Record<string, unknown>;
  const total = Number(str(v.recsindb));
  const onPage = Number(str(v.recsonpage));
  if (!Number.isInteger(total) || !Number.isInteger(onPage)) {
    throw protocolError('LogicBoxes domains/search reply lacks recsindb/recsonpage counts');
  }
  // Found by the codec fuzzer: `recsonpage: -1` sized the row array and threw RangeError. A large
  // count needs no bound here: the rows it announces must be there, or row N is reported missing.
  if (total < 0 || onPage < 0 || !Number.isSafeInteger(total) || !Number.isSafeInteger(onPage)) {
    throw protocolError(
      `LogicBoxes domains/search counts are impossible: ${total} in all, ${onPage} on the page`,
    );
  }
  const nowSeconds = nowMs / 1000;
  const rows: DomainSummary[] = [];
  for (let i = 1; i <= onPage; i++) {
    const row = v[i];
    if (!row || typeof row !== 'object') throw protocolError(`LogicBoxes domains/search row ${i} is missing`);
    const r = row as Record<string, unknown>;
    const domain = str(r['entity.description']) ?? str(r['domain.name']);
    const orderId = str(r['orders.orderid']) ?? str(r['entity.entityid']);
    if (!domain || !orderId)
      throw protocolError(`LogicBoxes domains/search row ${i} has no domain or order id`);
    const endtime = str(r['orders.endtime']);
    let endSeconds = -1;
    if (endtime !== undefined) {
      if (!isDigits(endtime))
        throw protocolError(`LogicBoxes domains/search row ${i}: orders.endtime is not epoch seconds`);
      endSeconds = Number(endtime);
    }
    const current = str(r['entity.currentstatus']);
    let status: DomainStatus = current
      ? (ROW_STATUS[current] ?? CURRENT_STATUS[current.toLowerCase()] ?? 'unknown')
      : 'unknown';
    if (status === 'active' && endSeconds >= 0 && endSeconds < nowSeconds) status = 'expired';
    const autoRenew = str(r['orders.autorenew']);
    const summary: DomainSummary = {
      domain: domain.toLowerCase(),
      status: [status],
      ref: { id: orderId, orderId },
    };
    if (endSeconds >= 0) summary.expiresAt = isoFromEpochSeconds(endSeconds);
    if (autoRenew !== undefined) summary.autoRenew = autoRenew === 'true' || isTrue(autoRenew);
    rows.push(summary);
  }
  return { total, onPage, rows };
}

// renew.json
const privacyDetails = z.looseObject({
  status: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  actionstatus: z.string().optional(),
  actionstatusdesc: z.string().optional(),
  eaqid: scalar.optional(),
  invoiceid: scalar.optional(),
});

const renewReply = z.looseObject({
  entityid: idString,
  eaqid: scalar,
  actionstatus: z.string(),
  actionstatusdesc: z.string().optional(),
  actiontype: z.string().optional(),
  description: z.string().optional(),
  invoiceid: scalar.optional(),
  customerid: scalar.optional(),
  sellingamount: scalar.optional(),
  sellingcurrencysymbol: z.string().optional(),
  privacydetails: privacyDetails.optional(),
});

export interface RenewReply {
  orderId: string;
  eaqid: string;
  actionStatus: string;
  actionStatusDesc?: string;
  /** `Success` executed the renewal; anything else (e.g. an `OnlyAdd` invoice) left it pending. */
  executed: boolean;
  invoiceId?: string;
  customerId?: string;
  /** What was charged, as a positive amount (the wire sends a debit as a negative number). */
  charged?: Money;
  privacy?: { ok: boolean; message?: string; eaqid?: string };
}

export function decodeRenew(value: unknown): RenewReply {
  const r = parseWith(renewReply, value, 'domains/renew');
  let charged: Money | undefined;
  if (r.sellingamount !== undefined && r.sellingcurrencysymbol) {
    const amount = toDecimalString(r.sellingamount, 'sellingamount');
    charged = {
      amount: amount.startsWith('-') ? amount.slice(1) : amount,
      currency: normalizeCurrency(r.sellingcurrencysymbol),
    };
  }
  let privacy: RenewReply['privacy'];
  if (r.privacydetails) {
    const p = r.privacydetails;
    const failed =
      (p.status !== undefined && FAILED_STATUS.test(p.status)) ||
      (p.actionstatus !== undefined && FAILED_STATUS.test(p.actionstatus));
    privacy = failed
      ? { ok: false, message: p.error ?? p.message ?? p.actionstatusdesc }
      : { ok: true, eaqid: p.eaqid, message: p.actionstatusdesc };
  }
  return {
    orderId: r.entityid,
    eaqid: r.eaqid,
    actionStatus: r.actionstatus,
    actionStatusDesc: r.actionstatusdesc,
    executed: r.actionstatus.toLowerCase() === 'success',
    invoiceId: r.invoiceid,
    customerId: r.customerid,
    charged,
    privacy,
  };
}

// modify-ns.json, enable/disable-theft-protection.json, modify-contact.json: an action reply.
const actionReply = z.looseObject({
  eaqid: scalar,
  actionstatus: z.string(),
  actionstatusdesc: z.string().optional(),
  actiontype: z.string().optional(),
  entityid: scalar.optional(),
});

export interface ActionReply {
  eaqid: string;
  actionStatus: string;
  description?: string;
  /** `Success`; anything else (e.g. `PENDING_REGISTRANT_AUTHORIZATION`) is still in progress. */
  done: boolean;
}

export function decodeAction(value: unknown, what: string): ActionReply {
  const a = parseWith(actionReply, value, what);
  return {
    eaqid: a.eaqid,
    actionStatus: a.actionstatus,
    description: a.actionstatusdesc,
    done: a.actionstatus.toLowerCase() === 'success',
  };
}

/** Bare `true` bodies (customers/modify.json and friends). `false` is caught by `failureOf`. */
export function decodeBareTrue(value: unknown, what: string): true {
  if (value === true || value === 'true') return true;
  throw protocolError(`LogicBoxes ${what} did not answer true`);
}

// billing/reseller-balance.json
const balanceReply = z.looseObject({
  sellingcurrencybalance: scalar,
  sellingcurrencysymbol: z.string().optional(),
});

export interface BalanceReply {
  /** The available balance, a decimal string. */
  amount: string;
  /** `sellingcurrencysymbol`, when the reply carries it; the vendor's own modules never read it. */
  currency?: string;
}

/**
 * The balance without insisting on its currency: LogicBoxes' own billing modules take the currency
 * from the reseller's details, not from this reply (docs/decisions.md, LogicBoxes: balance currency).
 */
export function decodeBalance(value: unknown): BalanceReply {
  const b = parseWith(balanceReply, value, 'billing/reseller-balance');
  const amount = toDecimalString(b.sellingcurrencybalance, 'sellingcurrencybalance');
  const currency = b.sellingcurrencysymbol?.trim();
  return currency ? { amount, currency: normalizeCurrency(currency) } : { amount };
}

// resellers/details.json: the reseller's account; `parentsellingcurrencysymbol` is the currency
// its parent (ResellerClub) sells to it in, i.e. what its balance and cost prices are counted in.
const resellerDetailsReply = z.looseObject({
  parentsellingcurrencysymbol: z.string().trim().min(1),
});

export function decodeResellerDetails(value: unknown): { currency: string } {
  const d = parseWith(resellerDetailsReply, value, 'resellers/details');
  return { currency: normalizeCurrency(d.parentsellingcurrencysymbol) };
}

// products/reseller-price.json, products/customer-price.json:
// {"domcno":{"addnewdomain":{"1":"9.99",…},"renewdomain":{…},"transferdomain":{…},"restoredomain":{…}},…}
const PRICE_ACTION: Readonly<Record<PriceOperation, string>> = {
  register: 'addnewdomain',
  renew: 'renewdomain',
  transfer: 'transferdomain',
  restore: 'restoredomain',
};

const priceTable = z.record(z.string(), scalar);
const priceReply = z.record(z.string(), z.unknown());

export function decodePrices(
  value: unknown,
  currency: string,
  filter: { tld?: string; operation?: PriceOperation; years?: number } = {},
): Price[] {
  const reply = parseWith(priceReply, value, 'products/price');
  const wantedKey = filter.tld ? productKeyOf(filter.tld) : undefined;
  const operations = filter.operation ? [filter.operation] : (Object.keys(PRICE_ACTION) as PriceOperation[]);
  const out: Price[] = [];
  for (const [key, product] of Object.entries(reply)) {
    if (wantedKey !== undefined && key !== wantedKey) continue;
    const tld = wantedKey !== undefined ? filter.tld!.toLowerCase().replace(/^\./, '') : tldOfProductKey(key);
    if (!tld || !product || typeof product !== 'object') continue;
    for (const operation of operations) {
      const table = (product as Record<string, unknown>)[PRICE_ACTION[operation]];
      if (table === undefined) continue;
      const years = parseWith(priceTable, table, `products/price ${key}.${PRICE_ACTION[operation]}`);
      for (const [y, amount] of Object.entries(years)) {
        const n = Number(y);
        if (!Number.isInteger(n) || n < 1) continue;
        if (filter.years !== undefined && n !== filter.years) continue;
        // The table gives the per-year rate of each term length (LogicBoxes' public API reference); Price is the whole term.
        const rate = money(amount, currency);
        out.push({ tld, operation, years: n, amount: { ...rate, amount: multiplyAmount(rate.amount, n) } });
      }
    }
  }
  return out;
}
