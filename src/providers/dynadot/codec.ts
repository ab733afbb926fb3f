/**
 * Dynadot Advanced Domain API ("API3") wire codec: pure request building and XML decoding.
 *
 * Notes about this registrar's API (Dynadot's Advanced Domain API command list, Chinese edition —
 * "the API3 document", cited by command section):
 * - One GET per command: `api3.xml?key=…&command=…&…` (API3 document, introduction and every example; method
 *   never stated). The key travels in the query string, so URLs are secrets: never log or echo them
 *   unredacted (client.ts wraps the logger; errors never carry a URL).
 * - Two envelope shapes. Command replies are `<{Cmd}Response><{Cmd}Header>` with the code in either
 *   `SuccessCode` or `ResponseCode` (API3 document, introduction), and the header element name drifts
 *   over time (`DomainInfoHeader` vs `DomainInfoResponseHeader`, real fixtures). Errors that belong to no
 *   command (invalid key) come as `<Response><ResponseHeader><ResponseCode>-1<Error>` (real fixture
 *   `error_invalid_key.xml`; the API3 document describes it under `set_folder_renew_option` and
 *   `is_processing`). `search` wraps one `SearchResponse` per name in `<Results>` (API3 document, `search`).
 *   We find "the header" as the root's child whose name ends in `Header`, so both shapes and the typo'd
 *   `LockDomainferHeader` tag names are read alike.
 * - Codes: `0` success, `-1` failure (API3 document, introduction); real servers also send
 *   `1`/`not_available` and `5`/`system_busy` (as independent clients saw live). `Status` may be absent on
 *   success and may be `failure` with no `Error` (real fixture `set_parking_failure.xml`).
 * - Dates are epoch milliseconds (API3 document, `register` and `domain_info`). Booleans are
 *   `yes`/`Yes`/`no`.
 * - Name servers come nested (`NameServer/ServerId,ServerName`, 2023 capture) or as flat
 *   `ServerId`/`ServerName` pairs padded with empty slots to 13 (2018/2016 captures): both are read
 *   and the empty padding is dropped.
 * - Prices: `search` says `77.00 in USD` (API3 document, `search`), live replies a labelled sentence with
 *   the renewal price and a premium marker (`parseSearchPrice`); `tld_price` gives plain decimals with the
 *   currency in the header (API3 document, `tld_price`); balances are `{Currency, Amount}` pairs (API3
 *   document, `get_account_balance`).
 * - `list_domain` has no paging: the whole account comes in one reply. See
 *   `decodeListDomain` for how we read 10,000 domains without a second full copy in memory.
 * - The `lock_domain` example (API3 document, `lock_domain`) is not well-formed XML (`<LockDomainferHeader>`
 *   closed by `</LockDomainHeader>`); we read it anyway because the parser does not insist on
 *   matching close tags, and the header is found by suffix.
 *
 * Every failure here is a `GatewayError`: `protocol` for unreadable replies, or the kind that
 * `errors.ts` gives the registrar's own error.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fromEpochMs } from '../../core/dates';
import { isGatewayError, protocolError } from '../../core/errors';
import type { DomainStatus, Money, UnknownAvailability } from '../../core/model';
import { money, normalizeCurrency } from '../../core/money';
import type { CallKind } from '../operation';
import { type DynadotFailure, dynadotError, UNSUPPORTED_TLD_WORDS } from './errors';

export const PROVIDER = 'dynadot';

/** `domain0 - domain99` (API3 document, `search`): up to 100 names per `search` for bulk accounts. */
export const SEARCH_BATCH_MAX = 100;
/** `ns0 - ns12` (API3 document, `set_ns`). */
export const NAMESERVERS_MAX = 13;

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/**
 * One API3 call: the command and its parameters, without the key (added by `buildUrl`), and what
 * the command does (operation.ts), which decides retries and what a lost reply means.
 */
export interface DynadotRequest {
  command: string;
  kind: CallKind;
  params: Record<string, string>;
}

export type DynadotFormat = 'xml' | 'json';

/**
 * An indexed parameter family (`domain0..domain99`, `ns0..ns12`): generated from the values, and
 * refused when there are more values than the family has names.
 */
export function indexedParams(
  prefix: string,
  values: readonly string[],
  max: number,
): Record<string, string> {
  if (values.length > max) {
    throw protocolError(`${PROVIDER}: ${values.length} values for ${prefix}0..${prefix}${max - 1}`);
  }
  const out: Record<string, string> = {};
  values.forEach((v, i) => {
    out[`${prefix}${i}`] = v;
  });
  return out;
}

/** The full request URL. It contains the key: treat it as a secret. */
export function buildUrl(
  baseUrl: string,
  key: string,
  req: DynadotRequest,
  format: DynadotFormat = 'xml',
): string {
  const query = new URLSearchParams({ key, command: req.command, ...req.params });
  return `${baseUrl.replace(/\/+$/, '')}/api3.${format}?${query.toString()}`;
}

export const requests = {
  search(domains: readonly string[], opts: { withPrices?: boolean; currency?: string } = {}): DynadotRequest {
    const params = indexedParams('domain', domains, SEARCH_BATCH_MAX);
    if (opts.withPrices) params.show_price = '1';
    if (opts.currency) params.currency = opts.currency;
    return { command: 'search', kind: 'query', params };
  },
  domainInfo: (domain: string): DynadotRequest => ({
    command: 'domain_info',
    kind: 'query',
    params: { domain },
  }),
  listDomain: (): DynadotRequest => ({ command: 'list_domain', kind: 'query', params: {} }),
  renew(domain: string, years: number, opts: { currency?: string } = {}): DynadotRequest {
    const params: Record<string, string> = { domain, duration: String(years) };
    if (opts.currency) params.currency = opts.currency;
    return { command: 'renew', kind: 'spend', params };
  },
  accountBalance: (): DynadotRequest => ({ command: 'get_account_balance', kind: 'query', params: {} }),
  accountInfo: (): DynadotRequest => ({ command: 'account_info', kind: 'query', params: {} }),
  tldPrice: (currency?: string): DynadotRequest => ({
    command: 'tld_price',
    kind: 'query',
    params: currency ? { currency: currency.toLowerCase() } : {},
  }),
  getNs: (domain: string): DynadotRequest => ({ command: 'get_ns', kind: 'query', params: { domain } }),
  setNs: (domain: string, nameservers: readonly string[]): DynadotRequest => ({
    command: 'set_ns',
    kind: 'change',
    params: { domain, ...indexedParams('ns', nameservers, NAMESERVERS_MAX) },
  }),
  setRenewOption: (domain: string, option: 'auto' | 'donot' | 'reset'): DynadotRequest => ({
    command: 'set_renew_option',
    kind: 'change',
    params: { domain, renew_option: option },
  }),
  lockDomain: (domain: string): DynadotRequest => ({
    command: 'lock_domain',
    kind: 'change',
    params: { domain },
  }),
  getTransferStatus: (domain: string, type: 'in' | 'away'): DynadotRequest => ({
    command: 'get_transfer_status',
    kind: 'query',
    params: { domain, transfer_type: type },
  }),
  isProcessing: (): DynadotRequest => ({ command: 'is_processing', kind: 'query', params: {} }),
  orderStatus: (orderId: string): DynadotRequest => ({
    command: 'get_order_status',
    kind: 'query',
    params: { order_id: orderId },
  }),
};

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every value stays a string: ids like `0012` and amounts must not pass through a float.
  parseTagValue: false,
  trimValues: true,
});

/** The one malformation tolerated: a header closed under another `…Header` name. */
function isHeaderTagTypo(message: string): boolean {
  const m = /Expected closing tag '(\w+)'.*instead of closing tag '(\w+)'/.exec(message);
  return !!m && m[1] !== m[2] && !!m[1]?.endsWith('Header') && !!m[2]?.endsWith('Header');
}

function parseXml(text: string, command: string, validate: boolean): Node {
  if (typeof text !== 'string' || !/^\s*(<\?xml[^>]*>\s*)?</.test(text)) {
    throw protocolError(`${PROVIDER} ${command}: the reply is not XML`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  if (validate) {
    const check = XMLValidator.validate(text);
    // Tolerated: the API3 document's own lock_domain example closes a tag it never opened. A
    // mismatched close tag is the only error we let through; truncation and garbage still fail.
    if (check !== true && !isHeaderTagTypo(check.err.msg)) {
      throw protocolError(`${PROVIDER} ${command}: malformed XML reply (${check.err.msg})`, {
        provider: PROVIDER,
        operation: command,
      });
    }
  }
  try {
    return parser.parse(text) as Node;
  } catch (error) {
    throw protocolError(`${PROVIDER} ${command}: malformed XML reply (${(error as Error).message})`, {
      provider: PROVIDER,
      operation: command,
    });
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parser gives one child as a value and several as an array: always an array here. */
export function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function yes(v: unknown): boolean | undefined {
  const t = text(v)?.trim().toLowerCase();
  if (t === undefined || t === '') return undefined;
  return t === 'yes' || t === 'true' || t === 'on' || t === 'locked' || t === 'enable';
}

function required(node: Node, field: string, command: string): string {
  const v = text(node[field]);
  if (v === undefined || v.trim() === '') {
    throw protocolError(`${PROVIDER} ${command}: reply lacks ${field}`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return v.trim();
}

// ---------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------

export interface DynadotHeader {
  code: string;
  status?: string;
  error?: string;
  /** Other header-level fields (`ResponseMsg`, `PriceLevel`, `Currency`…). */
  extra: Node;
}

export interface Envelope {
  rootName: string;
  root: Node;
  header: DynadotHeader;
}

function headerOf(node: Node, command: string): DynadotHeader | undefined {
  const key = Object.keys(node).find((k) => k.endsWith('Header'));
  if (!key) return undefined;
  const h = node[key];
  if (!isNode(h)) return undefined;
  const code = text(h.SuccessCode ?? h.ResponseCode)?.trim();
  if (code === undefined) {
    throw protocolError(`${PROVIDER} ${command}: reply header has no SuccessCode or ResponseCode`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return { code, status: text(h.Status)?.trim(), error: text(h.Error)?.trim(), extra: h };
}

/** Succeeds for code 0; otherwise the registrar's error as a `GatewayError` (errors.ts). */
function assertSuccess(header: DynadotHeader, command: string): void {
  if (header.code === '0') return;
  const failure: DynadotFailure = { command, code: header.code, status: header.status, error: header.error };
  throw dynadotError(failure);
}

/**
 * Parse a reply and check its header (either envelope shape). Throws the mapped registrar error
 * for a non-zero code, `protocol` for anything unreadable.
 */
export function decodeEnvelope(textReply: string, command: string): Envelope {
  const doc = parseXml(textReply, command, true);
  const rootName = Object.keys(doc)[0];
  const root = rootName ? doc[rootName] : undefined;
  if (!rootName || !isNode(root)) {
    throw protocolError(`${PROVIDER} ${command}: empty XML reply`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  const header = headerOf(root, command);
  if (!header) {
    throw protocolError(`${PROVIDER} ${command}: reply <${rootName}> has no header`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  assertSuccess(header, command);
  return { rootName, root, header };
}

function contentOf(env: Envelope, command: string): Node {
  const key = Object.keys(env.root).find((k) => k.endsWith('Content'));
  const content = key ? env.root[key] : undefined;
  if (content === '') return {};
  if (!isNode(content)) {
    throw protocolError(`${PROVIDER} ${command}: reply has no content element`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return content;
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** One amount: `77.00 in USD` or `$70.02`; undefined when the text is neither. */
function readAmount(raw: string): Money | undefined {
  const t = raw.trim();
  const inForm = /^([\d.,]+)\s+in\s+([A-Za-z]{3})$/.exec(t);
  const dollar = /^\$\s*([\d.,]+)$/.exec(t);
  const [amount, currency] = inForm ? [inForm[1], inForm[2]] : dollar ? [dollar[1], 'USD'] : [];
  if (amount === undefined || currency === undefined) return undefined;
  try {
    return money(amount, currency);
  } catch (error) {
    // `1.2.3 in USD`: digits and dots, but not a decimal number.
    if (isGatewayError(error)) return undefined;
    throw error;
  }
}

/**
 * A price as Dynadot writes it: `77.00 in USD` (search), `$70.02` (account_info), or a plain
 * decimal with the currency known from elsewhere (`tld_price`, balances).
 */
export function parsePrice(raw: string, fallbackCurrency?: string): Money {
  const t = raw.trim();
  const read = readAmount(t);
  if (read) return read;
  if (fallbackCurrency && /^[\d.,]+$/.test(t)) return money(t, fallbackCurrency);
  throw protocolError(`${PROVIDER}: unreadable price ${JSON.stringify(raw)}`, { provider: PROVIDER });
}

/** What one `search` `<Price>` says. `unread` lists the clauses no rule understood. */
export interface SearchPrice {
  registration?: Money;
  renewal?: Money;
  premium?: boolean;
  unread: string[];
}

const LABELLED_PRICE = /^(registration|renewal)\s+price\s*:\s*(.+)$/i;
const PREMIUM_CLAUSE = /^domain\s+is\s+(not\s+)?an?\s+premium\s+domain\.?$/i;

/**
 * `search`'s price text in every form we have evidence for (docs/decisions.md, Dynadot: search
 * prices): the document's `77.00 in USD` (a registration price), and the live sentence
 * `Registration Price: 10.86 in USD and Renewal price: 10.86 in USD and Domain is not a Premium
 * Domain`, read clause by clause. Never throws: a clause no rule understands is returned in `unread`.
 */
export function parseSearchPrice(raw: string): SearchPrice {
  const out: SearchPrice = { unread: [] };
  for (const clause of raw.trim().split(/\s+and\s+/i)) {
    const premium = PREMIUM_CLAUSE.exec(clause);
    if (premium) {
      out.premium = !premium[1];
      continue;
    }
    const labelled = LABELLED_PRICE.exec(clause);
    const amount = readAmount(labelled ? (labelled[2] as string) : clause);
    if (!amount) out.unread.push(clause);
    else if (labelled?.[1]?.toLowerCase() === 'renewal') out.renewal = amount;
    else if (out.registration) out.unread.push(clause);
    else out.registration = amount;
  }
  return out;
}

/** Name servers in either wire shape, with the empty padding slots dropped. */
export function nameserversOf(settings: unknown): string[] {
  if (!isNode(settings)) return [];
  const list = settings.NameServers;
  if (!isNode(list)) return [];
  const names = [
    // 2023 shape: <NameServer><ServerId/><ServerName/></NameServer>
    ...listOf(list.NameServer).map((ns) => (isNode(ns) ? text(ns.ServerName) : undefined)),
    // 2016/2018 shape: flat <ServerId/><ServerName/> pairs
    ...listOf(list.ServerName).map(text),
  ];
  return names.filter((n): n is string => !!n && n.trim() !== '').map((n) => n.trim().toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

export interface SearchResult {
  domain: string;
  /** Null when the registrar answered this name with an error: it could not say. */
  available: boolean | null;
  /** One year's registration price, when the reply gave one we could read. */
  price?: Money;
  /** One year's renewal price, when the reply labels one (the live form). */
  renewalPrice?: Money;
  premium: boolean;
  /** Price text we could not read in full: every price of this name is dropped (the caller logs it). */
  unreadablePrice?: string;
  /** The per-name error (invalid name, unsupported TLD…), when the registrar gave one. */
  error?: string;
  /** Why `available` is null. */
  unknown?: UnknownAvailability;
}

/**
 * The prices and premium marker of one search header. A price we cannot read in full is dropped
 * (never guessed, never fatal for the batch); a premium marker is read from the price sentence or
 * an `IsPremium` element.
 */
function searchPricesOf(
  h: Node,
): Pick<SearchResult, 'price' | 'renewalPrice' | 'premium' | 'unreadablePrice'> {
  const priceText = text(h.Price)?.trim();
  const parsed = priceText ? parseSearchPrice(priceText) : undefined;
  const premium = yes(h.IsPremium) === true || parsed?.premium === true;
  if (!parsed) return { premium };
  if (parsed.unread.length > 0 || !parsed.registration) return { premium, unreadablePrice: priceText };
  return {
    premium,
    price: parsed.registration,
    ...(parsed.renewal ? { renewalPrice: parsed.renewal } : {}),
  };
}

/** `search`: one `SearchResponse/SearchHeader` per name (API3 document, `search`). */
export function decodeSearch(textReply: string): SearchResult[] {
  const command = 'search';
  const doc = parseXml(textReply, command, true);
  const results = doc.Results;
  if (!isNode(results)) {
    // Not a search result list: an error envelope (invalid key…) or garbage.
    decodeEnvelope(textReply, command);
    throw protocolError(`${PROVIDER} search: reply has no <Results>`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return listOf(results.SearchResponse).map((entry) => {
    const header = isNode(entry) ? headerOf(entry, command) : undefined;
    if (!header) throw protocolError(`${PROVIDER} search: result without a header`, { provider: PROVIDER });
    const h = header.extra;
    const domain = required(h, 'DomainName', command).toLowerCase();
    if (header.code !== '0') {
      // A per-name error is not "taken": the name was not checked (or its TLD is not sold here).
      const error = header.error ?? header.status ?? `code ${header.code}`;
      const unknown = UNSUPPORTED_TLD_WORDS.test(error) ? 'unsupported_tld' : 'check_failed';
      return { domain, available: null, premium: false, error, unknown };
    }
    return {
      domain,
      available: text(h.Available)?.trim().toLowerCase() === 'yes',
      ...searchPricesOf(h),
    };
  });
}

export interface DynadotDomain {
  name: string;
  expiresAt: string;
  registeredAt?: string;
  nameServerType?: string;
  nameservers: string[];
  locked?: boolean;
  disabled?: boolean;
  udrpLocked?: boolean;
  hold?: boolean;
  registrantUnverified?: boolean;
  renewOption?: string;
  autoRenew?: boolean;
  privacy?: string;
  status: DomainStatus[];
  rawStatus: string[];
}

function statusOf(d: { locked?: boolean; disabled?: boolean; udrpLocked?: boolean; hold?: boolean }) {
  const status: DomainStatus[] = [];
  const rawStatus: string[] = [];
  if (d.disabled) {
    status.push('suspended');
    rawStatus.push('Disabled');
  }
  if (d.hold) {
    status.push('hold');
    rawStatus.push('Hold');
  }
  if (d.udrpLocked) {
    status.push('hold');
    rawStatus.push('UdrpLocked');
  }
  if (status.length === 0) status.push('active');
  if (d.locked) {
    status.push('locked');
    rawStatus.push('Locked');
  }
  return { status, rawStatus };
}

/** One `<Domain>` element of `domain_info` or `list_domain` (API3 document, `domain_info`). */
export function domainFromNode(node: unknown, command: string): DynadotDomain {
  if (!isNode(node))
    throw protocolError(`${PROVIDER} ${command}: a domain entry is empty`, { provider: PROVIDER });
  const name = required(node, 'Name', command).toLowerCase();
  const settings = node.NameServerSettings;
  const flags = {
    locked: yes(node.Locked),
    disabled: yes(node.Disabled),
    udrpLocked: yes(node.UdrpLocked),
    hold: yes(node.Hold),
  };
  const renewOption = text(node.RenewOption)?.trim();
  const registration = text(node.Registration)?.trim();
  let expiresAt: string;
  let registeredAt: string | undefined;
  try {
    expiresAt = fromEpochMs(required(node, 'Expiration', command));
    registeredAt = registration ? fromEpochMs(registration) : undefined;
  } catch (error) {
    throw protocolError(`${PROVIDER} ${command}: ${name}: ${(error as Error).message}`, {
      provider: PROVIDER,
    });
  }
  return {
    name,
    expiresAt,
    registeredAt,
    nameServerType: isNode(settings) ? text(settings.Type) : undefined,
    nameservers: nameserversOf(settings),
    ...flags,
    registrantUnverified: yes(node.RegistrantUnverified),
    renewOption,
    // Real replies say `auto-renew` (2023 capture); everything else is manual.
    autoRenew: renewOption ? /auto/i.test(renewOption) : undefined,
    privacy: text(node.Privacy)?.trim(),
    ...statusOf(flags),
  };
}

/**
 * `domain_info` (API3 document, `domain_info`; real captures by level23/dynadot-api and
 * jsok/terraform-provider-dynadot).
 */
export function decodeDomainInfo(textReply: string): DynadotDomain {
  const command = 'domain_info';
  const content = contentOf(decodeEnvelope(textReply, command), command);
  const domains = listOf(content.Domain);
  if (domains.length !== 1) {
    throw protocolError(`${PROVIDER} domain_info: expected one <Domain>, got ${domains.length}`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return domainFromNode(domains[0], command);
}

const LIST_ROOT = 'ListDomainInfoResponse';

/**
 * `list_domain` (API3 document, `list_domain`), decoded lazily, one `<Domain>` at a time.
 *
 * The registrar sends the whole account in one reply (no paging), so a 10,000-domain
 * account is one ~10 MB string. Parsing it whole would build a second, larger copy (the object
 * tree) next to the text. Instead we check the envelope (header code, and that the root element
 * closes, which catches a truncated reply before we yield anything), then walk the text and
 * parse one `<Domain>…</Domain>` slice at a time: only the text and the current domain are ever
 * held, and each decoded domain can be dropped by the caller as soon as it is used.
 *
 * Both nestings are accepted: one `<DomainInfo>` holding every `<Domain>` (the API3 document's example) or
 * one `<DomainInfo>` per domain (real capture).
 */
export function decodeListDomain(textReply: string): Iterable<DynadotDomain> {
  const command = 'list_domain';
  const first = textReply.indexOf('<Domain>');
  if (first < 0) {
    // Small reply: an error, or an account with no domains. Read it whole.
    const env = decodeEnvelope(textReply, command);
    if (env.rootName !== LIST_ROOT) {
      throw protocolError(`${PROVIDER} list_domain: unexpected reply <${env.rootName}>`, {
        provider: PROVIDER,
      });
    }
    return [];
  }
  // The envelope before the first domain: the root's header, parsed on its own.
  const head = textReply.slice(0, first);
  const headerMatch = /<(\w*Header)>[\s\S]*?<\/\1>/.exec(head);
  if (!headerMatch || !head.includes(`<${LIST_ROOT}>`)) {
    throw protocolError(`${PROVIDER} list_domain: reply does not start with <${LIST_ROOT}> and a header`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  const header = headerOf(parseXml(headerMatch[0], command, true), command);
  if (!header) throw protocolError(`${PROVIDER} list_domain: unreadable header`, { provider: PROVIDER });
  assertSuccess(header, command);
  if (!textReply.trimEnd().endsWith(`</${LIST_ROOT}>`)) {
    throw protocolError(`${PROVIDER} list_domain: the reply is truncated`, {
      provider: PROVIDER,
      operation: command,
    });
  }
  return {
    *[Symbol.iterator]() {
      let from = first;
      while (from >= 0) {
        const end = textReply.indexOf('</Domain>', from);
        if (end < 0)
          throw protocolError(`${PROVIDER} list_domain: unterminated <Domain>`, { provider: PROVIDER });
        const slice = textReply.slice(from, end + '</Domain>'.length);
        yield domainFromNode(parseXml(slice, command, false).Domain, command);
        from = textReply.indexOf('<Domain>', end);
      }
    },
  };
}

/** `renew` (API3 document, `renew`): the new expiry, when the reply carries one. */
export function decodeRenew(textReply: string): { expiresAt?: string; status?: string } {
  const command = 'renew';
  const env = decodeEnvelope(textReply, command);
  const content = Object.keys(env.root).some((k) => k.endsWith('Content')) ? contentOf(env, command) : {};
  const expiration = text(content.Expiration)?.trim();
  return { status: env.header.status, ...(expiration ? { expiresAt: fromEpochMs(expiration) } : {}) };
}

/** `get_account_balance` (API3 document, `get_account_balance`): one balance per currency held. */
export function decodeAccountBalance(textReply: string): Money[] {
  const command = 'get_account_balance';
  const content = contentOf(decodeEnvelope(textReply, command), command);
  const list = isNode(content.BalanceList) ? content.BalanceList : {};
  return listOf(list.Balance).map((b) => {
    if (!isNode(b)) throw protocolError(`${PROVIDER} ${command}: empty <Balance>`, { provider: PROVIDER });
    return money(required(b, 'Amount', command).replace(/^\$/, ''), required(b, 'Currency', command));
  });
}

export interface TldPrice {
  /** Without the leading dot (`com`). */
  tld: string;
  years: number;
  register?: string;
  renew?: string;
  transfer?: string;
}

/** `tld_price` (API3 document, `tld_price`): plain decimals, currency in the header. */
export function decodeTldPrice(textReply: string): {
  currency: string;
  priceLevel?: string;
  tlds: TldPrice[];
} {
  const command = 'tld_price';
  const env = decodeEnvelope(textReply, command);
  const currency = text(env.header.extra.Currency)?.trim();
  if (!currency)
    throw protocolError(`${PROVIDER} tld_price: reply header has no <Currency>`, { provider: PROVIDER });
  const content = contentOf(env, command);
  const decimal = (v: unknown) => {
    const t = text(v)?.trim();
    return t && t !== '--' ? money(t, currency).amount : undefined;
  };
  const tlds = listOf(content.TldContent).map((entry) => {
    if (!isNode(entry))
      throw protocolError(`${PROVIDER} tld_price: empty <TldContent>`, { provider: PROVIDER });
    const price = isNode(entry.Price) ? entry.Price : {};
    // `(Price/1 year)`: the period the prices are for.
    const unit = /(\d+)\s*year/i.exec(text(price.Unit) ?? '');
    return {
      tld: required(entry, 'Tld', command).replace(/^\./, '').toLowerCase(),
      years: unit ? Number(unit[1]) : 1,
      register: decimal(price.Register),
      renew: decimal(price.Renew),
      transfer: decimal(price.Transfer),
    };
  });
  return { currency: normalizeCurrency(currency), priceLevel: text(env.header.extra.PriceLevel), tlds };
}

/** `get_ns` (API3 document, `get_ns`): one `<Host>` per name server. */
export function decodeGetNs(textReply: string): string[] {
  const command = 'get_ns';
  const env = decodeEnvelope(textReply, command);
  const content = isNode(env.root.NsContent) ? env.root.NsContent : {};
  return listOf(content.Host)
    .map(text)
    .filter((h): h is string => !!h && h.trim() !== '')
    .map((h) => h.trim().toLowerCase());
}

/** Commands whose reply is only the header (`set_ns`, `set_renew_option`, `lock_domain`, …). */
export function decodeAck(textReply: string, command: string): void {
  const env = decodeEnvelope(textReply, command);
  // A zero code with a non-success status has not been seen; refuse to call it done.
  const status = env.header.status?.toLowerCase();
  if (status && status !== 'success') {
    throw dynadotError({
      command,
      code: env.header.code,
      status: env.header.status,
      error: env.header.error,
    });
  }
}

export interface TransferEntry {
  orderId: string;
  status: string;
}

/** `get_transfer_status` (API3 document, `get_transfer_status`). */
export function decodeTransferStatus(textReply: string): TransferEntry[] {
  const command = 'get_transfer_status';
  const content = contentOf(decodeEnvelope(textReply, command), command);
  const list = isNode(content.TransferList) ? content.TransferList : {};
  return listOf(list.Transfer).map((t) => {
    if (!isNode(t)) throw protocolError(`${PROVIDER} ${command}: empty <Transfer>`, { provider: PROVIDER });
    return { orderId: required(t, 'OrderId', command), status: required(t, 'TransferStatus', command) };
  });
}

/** `is_processing` (API3 document, `is_processing`): true while another request of the account is running. */
export function decodeIsProcessing(textReply: string): boolean {
  const command = 'is_processing';
  const env = decodeEnvelope(textReply, command);
  const msg = text(env.header.extra.ResponseMsg)?.trim().toLowerCase();
  if (msg !== 'yes' && msg !== 'no') {
    throw protocolError(`${PROVIDER} is_processing: ResponseMsg is ${JSON.stringify(msg)}`, {
      provider: PROVIDER,
    });
  }
  return msg === 'yes';
}

export interface OrderStatus {
  orderId: string;
  status: string;
  items: Array<{ type?: string; name?: string; status?: string }>;
}

/** `get_order_status` (API3 document, `get_order_status`; the example's item values are garbled). */
export function decodeOrderStatus(textReply: string): OrderStatus {
  const command = 'get_order_status';
  const content = contentOf(decodeEnvelope(textReply, command), command);
  return {
    orderId: required(content, 'OrderId', command),
    status: required(content, 'OrderStatus', command),
    items: listOf(content.Item).map((i) =>
      isNode(i) ? { type: text(i.ItemTypeName), name: text(i.ItemName), status: text(i.ItemStatus) } : {},
    ),
  };
}

export interface AccountInfo {
  username: string;
  priceLevel?: string;
  balance?: Money;
}

/** `account_info` (API3 document, `account_info`). */
export function decodeAccountInfo(textReply: string): AccountInfo {
  const command = 'account_info';
  const content = contentOf(decodeEnvelope(textReply, command), command);
  const info = isNode(content.AccountInfo) ? content.AccountInfo : undefined;
  if (!info)
    throw protocolError(`${PROVIDER} account_info: reply has no <AccountInfo>`, { provider: PROVIDER });
  const balance = text(info.AccountBalance)?.trim();
  return {
    username: required(info, 'Username', command),
    priceLevel: text(info.PriceLevel),
    ...(balance ? { balance: parsePrice(balance) } : {}),
  };
}
