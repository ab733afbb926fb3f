/**
 * MrDomain / DonDominio Simple-POST wire format: pure encode/decode, no I/O.
 *
 * Notes about this registrar's API (MrDomain's API User Manual 1.0.20, "the User Manual"):
 * - Every call is `POST https://simple-api.dondominio.net/<module>/<action>/` with form fields;
 *   query-string parameters are ignored (User Manual §2 Simple-POST Interface, §2.1). Credentials
 *   travel in the body as `apiuser` + `apipasswd` (§2.2 Credentials), never in the URL.
 * - Every reply is one JSON envelope `{success, errorCode, errorCodeMsg, action, version,
 *   messages?, responseData}`; `success` is true exactly when `errorCode` is 0 and an error reply
 *   carries `responseData: []` (§2.1). PHP escapes `/` as `\/` (§2.1): plain JSON.
 * - Many of the document's examples are not valid JSON (missing commas, trailing commas, comments:
 *   e.g. §5.13 Get Info); the real service is PHP `json_encode`, so we parse strictly.
 * - Dates are `YYYY-MM-DD`, `""` when not known yet (§5.3.2 Response); timestamps
 *   `YYYY-MM-DD HH:MM:SS` (§4.2 Promos). No time zone is stated anywhere: read as UTC
 *   (docs/decisions.md).
 * - Money is a JSON number plus a separate `currency` string (§5.1 Check, §4.1 Info); paid calls
 *   answer `billing{total,currency}` (§5.20 Renew). We turn numbers into decimal strings at once
 *   and never do arithmetic on floats.
 * - Booleans have no documented wire form; we post `1` and `""` as the vendor's PHP SDK does
 *   (`encodeForm`).
 * - Lists page with `page`/`pageLength` and answer `queryInfo{page,pageLength,results,total}`
 *   (User Manual §5.12 List).
 */
import { z } from 'zod';
import { allowListRefusal } from '../../core/allow-list-refusal';
import { GatewayError, protocolError } from '../../core/errors';
import type {
  DomainStatus,
  DomainSummary,
  IsoDateTime,
  Money,
  ServiceInfo,
  ServiceStatus,
  TransferState,
} from '../../core/model';
import { money, toDecimalString } from '../../core/money';
import { BLOCK_CODES, mappingFor } from './errors';

export const PROVIDER = 'mrdomain';
/** The API version the document describes (User Manual, title page; §2.1). */
export const MRDOMAIN_API_VERSION = '1.0.20';

// ---------------------------------------------------------------------------------------------
// Requests

export type FormValue = string | number | boolean | undefined;

/**
 * `application/x-www-form-urlencoded` UTF-8 body. Booleans go as the vendor's PHP SDK sends them,
 * `1` and `""` (PHP's string form of true and false): the document types them "(bool)" without a
 * wire form, and a PHP server that tests truthiness reads `false` as true (docs/decisions.md,
 * MrDomain: boolean wire form). Undefined fields are left out.
 */
export function encodeForm(params: Readonly<Record<string, FormValue>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    form.append(name, typeof value === 'boolean' ? (value ? '1' : '') : String(value));
  }
  return form.toString();
}

/** `/<module>/<action>/` with exactly one slash at each end (User Manual §2.1; §10.2.1 PHP). */
export function actionPath(action: string): string {
  return `/${action.replace(/^\/+|\/+$/g, '')}/`;
}

/**
 * `curExpDate` guard of `domain/renew`: `YYYY-MM-DD` (User Manual §5.20 Renew) of an ISO expiry, read in UTC.
 */
export function encodeCurExpDate(expiry: IsoDateTime): string {
  const ms = Date.parse(expiry);
  if (!Number.isFinite(ms)) {
    throw new GatewayError('invalid_request', {
      message: `expectedExpiry is not a date: ${JSON.stringify(expiry)}`,
      fields: [{ field: 'expectedExpiry', reason: 'not an ISO-8601 date' }],
    });
  }
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// The envelope

const envelopeSchema = z.object({
  success: z.boolean(),
  errorCode: z.number().int(),
  errorCodeMsg: z.string(),
  action: z.string(),
  version: z.string(),
  messages: z.array(z.string()).optional(),
  responseData: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

export interface DecodeContext {
  /** Gateway operation (`renew`, `getDomain`…), for error context. */
  operation: string;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown shape error';
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}

/** Parse the envelope only. Anything that is not one is a `protocol` error; never a crash. */
export function decodeEnvelope(text: string, ctx: DecodeContext): Envelope {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    const what = /^\s*</.test(body) ? 'an HTML/XML page' : body.trim() === '' ? 'an empty body' : 'not JSON';
    throw protocolError(`MrDomain ${ctx.operation}: the reply is ${what}`, {
      provider: PROVIDER,
      operation: ctx.operation,
    });
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) {
    throw protocolError(
      `MrDomain ${ctx.operation}: the reply is not the API envelope (${describeIssue(parsed.error)})`,
      {
        provider: PROVIDER,
        operation: ctx.operation,
      },
    );
  }
  const env = parsed.data;
  if (env.success !== (env.errorCode === 0)) {
    throw protocolError(
      `MrDomain ${ctx.operation}: success=${env.success} contradicts errorCode ${env.errorCode}`,
      { provider: PROVIDER, operation: ctx.operation, upstreamCode: String(env.errorCode) },
    );
  }
  return env;
}

/** The gateway error for an envelope with `success: false`, from the table in errors.ts. */
export function errorFromEnvelope(env: Envelope, ctx: DecodeContext): GatewayError {
  const code = env.errorCode;
  const mapping = mappingFor(code);
  const upstreamMessage = [env.errorCodeMsg, ...(env.messages ?? [])].filter((m) => m !== '').join('; ');
  if (mapping.allowList) {
    return allowListRefusal({
      provider: PROVIDER,
      operation: ctx.operation,
      upstreamCode: String(code),
      upstreamMessage: upstreamMessage || undefined,
    });
  }
  let message = `MrDomain ${ctx.operation} failed: ${mapping.definition} (errorCode ${code})`;
  if (mapping.explained && env.messages?.length) message += `: ${env.messages.join('; ')}`;
  if (BLOCK_CODES.has(code)) {
    message +=
      '. MrDomain blocks the API user temporarily after mass queries or too many operations; do not retry right away';
  }
  return new GatewayError(mapping.kind, {
    message,
    provider: PROVIDER,
    operation: ctx.operation,
    retryable: mapping.retryable,
    code: mapping.code,
    upstreamCode: String(code),
    upstreamMessage: upstreamMessage || undefined,
  });
}

/** Decode a reply and validate its `responseData` with `schema`; error envelopes throw their mapped error. */
export function decodeReply<S extends z.ZodType>(
  text: string,
  schema: S,
  ctx: DecodeContext,
): { data: z.output<S>; messages: string[]; action: string } {
  const env = decodeEnvelope(text, ctx);
  if (!env.success) throw errorFromEnvelope(env, ctx);
  const data = schema.safeParse(env.responseData);
  if (!data.success) {
    throw protocolError(
      `MrDomain ${ctx.operation}: responseData does not have the documented shape (${describeIssue(data.error)})`,
      { provider: PROVIDER, operation: ctx.operation },
    );
  }
  return { data: data.data, messages: env.messages ?? [], action: env.action };
}

// ---------------------------------------------------------------------------------------------
// Scalars

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (DAYS_IN_MONTH[m - 1] as number)) return false;
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** `YYYY-MM-DD` → ISO midnight UTC; `""` (not known yet, User Manual §5.3.2 Response) → undefined. */
export function decodeDate(value: string, field = 'date'): IsoDateTime | undefined {
  if (value === '') return undefined;
  // Char-code parsing rather than a RegExp: this runs once per row of a 10,000-row list.
  const ok =
    value.length === 10 &&
    value.charCodeAt(4) === 45 &&
    value.charCodeAt(7) === 45 &&
    isCalendarDate(digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10));
  if (!ok) {
    throw protocolError(`MrDomain ${field} is not a YYYY-MM-DD date: ${JSON.stringify(value)}`, {
      provider: PROVIDER,
    });
  }
  return `${value}T00:00:00.000Z`;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `YYYY-MM-DD HH:MM:SS` (User Manual §4.2 Promos; §5.23 Get History) → ISO, read as UTC. */
export function decodeTimestamp(value: string, field = 'timestamp'): IsoDateTime | undefined {
  if (value === '') return undefined;
  const m = TIMESTAMP.exec(value);
  const [y, mo, d, h, mi, s] = (m ?? []).slice(1).map(Number) as number[];
  if (
    !m ||
    !isCalendarDate(y as number, mo as number, d as number) ||
    (h as number) > 23 ||
    (mi as number) > 59 ||
    (s as number) > 59
  ) {
    throw protocolError(
      `MrDomain ${field} is not a YYYY-MM-DD HH:MM:SS timestamp: ${JSON.stringify(value)}`,
      {
        provider: PROVIDER,
      },
    );
  }
  return `${value.slice(0, 10)}T${value.slice(11)}.000Z`;
}

/**
 * A JSON number (User Manual §4.1 Info; §5.1 Check) or a numeric string: both become an exact decimal string.
 */
const amount = z.union([z.number(), z.string()]);

/** Price/balance + the separate currency field → Money (never a float). */
export function decodeMoney(value: number | string, currency: string, field = 'amount'): Money {
  try {
    return money(toDecimalString(value, field), currency);
  } catch (error) {
    throw protocolError(`MrDomain ${field} is not a decimal amount: ${JSON.stringify(value)}`, {
      provider: PROVIDER,
      cause: error,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Statuses (User Manual §5.27.1 Domain Status; §5.27.2 Transfer Status)

const DOMAIN_STATUS: Readonly<Record<string, DomainStatus[]>> = {
  'register-init': ['pending'],
  'register-pending': ['pending'],
  'register-cancel': ['deleted'],
  'transfer-init': ['transfer_pending'],
  'transfer-pending': ['transfer_pending'],
  'transfer-cancel': ['unknown'],
  inactive: ['suspended'],
  active: ['active'],
  // "Renewal in process" (User Manual §5.27.1 Domain Status): still active, with a renewal under way.
  renewed: ['active', 'pending'],
  'expired-renewgrace': ['expired', 'grace'],
  'expired-redemption': ['expired', 'redemption'],
  'expired-pendingdelete': ['expired', 'deleted'],
};

/** MrDomain's status word → normalized statuses; a word the table lacks is `unknown`, kept raw by callers. */
export function decodeDomainStatus(status: string): DomainStatus[] {
  return DOMAIN_STATUS[status] ?? ['unknown'];
}

const TRANSFER_STATE: Readonly<Record<string, TransferState>> = {
  init: 'pending',
  queued: 'pending',
  'set-auth': 'pending',
  'pending-auth': 'pending',
  'pending-tag': 'pending',
  'pending-registry': 'pending',
  cancelled: 'cancelled',
  completed: 'completed',
};

/** `transferStatus` (User Manual §5.27.2 Transfer Status); absent → no transfer. */
export function decodeTransferState(transferStatus: string | undefined, domainStatus: string): TransferState {
  if (transferStatus === undefined || transferStatus === '') {
    if (domainStatus === 'transfer-init' || domainStatus === 'transfer-pending') return 'pending';
    if (domainStatus === 'transfer-cancel') return 'cancelled';
    return 'none';
  }
  return TRANSFER_STATE[transferStatus] ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// responseData schemas (tolerant of extra keys, strict about the ones we use)

const flag = z.boolean();

export const helloSchema = z.looseObject({ ip: z.string(), lang: z.string(), version: z.string() });

export const accountInfoSchema = z.looseObject({
  clientName: z.string().optional(),
  apiuser: z.string().optional(),
  balance: amount,
  threshold: amount.optional(),
  currency: z.string().min(1),
  ip: z.string().optional(),
});

export const queryInfoSchema = z.object({
  page: z.number().int(),
  pageLength: z.number().int(),
  results: z.number().int(),
  total: z.number().int(),
});
export type QueryInfo = z.infer<typeof queryInfoSchema>;

/** The next page to ask for, or undefined when `queryInfo` says this was the last one. */
export function nextPage(q: QueryInfo): number | undefined {
  if (q.results <= 0 || q.pageLength <= 0) return undefined;
  return q.page * q.pageLength < q.total ? q.page + 1 : undefined;
}

/**
 * Every page of a paged action, in order, until `queryInfo` says it was the last; a registrar that
 * repeats a page number ends it too, rather than looping us forever. Pure: the fetch is the caller's.
 */
export async function* eachPage<T>(
  fetchPage: (q: { page: number }) => Promise<T>,
  queryInfo: (reply: T) => QueryInfo,
): AsyncGenerator<T> {
  let page: number | undefined = 1;
  while (page !== undefined) {
    const reply = await fetchPage({ page });
    yield reply;
    const next = nextPage(queryInfo(reply));
    page = next !== undefined && next > page ? next : undefined;
  }
}

const zonePriceSchema = z.looseObject({
  price: amount,
  // A CSV string of allowed periods, e.g. "1,2,3" (User Manual §4.3 Zones).
  years: z.union([z.string(), z.number()]),
  inPromo: flag.optional(),
});

export const zonesSchema = z.looseObject({
  queryInfo: queryInfoSchema,
  zones: z.array(
    z.looseObject({
      tld: z.string().min(1),
      tldtop: z.string().optional(),
      authcodereq: flag.optional(),
      create: zonePriceSchema.optional(),
      renew: zonePriceSchema.optional(),
      transfer: zonePriceSchema.optional(),
    }),
  ),
});
export type Zone = z.infer<typeof zonesSchema>['zones'][number];

/** `"1,2,3"` → [1, 2, 3]; anything unreadable is a protocol error. */
export function decodeYears(years: string | number, field = 'years'): number[] {
  const parts = String(years)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw protocolError(`MrDomain ${field} is not a list of years: ${JSON.stringify(years)}`, {
      provider: PROVIDER,
    });
  }
  return parts.map(Number);
}

export const checkSchema = z.looseObject({
  domains: z
    .array(
      z.looseObject({
        name: z.string(),
        punycode: z.string(),
        tld: z.string(),
        available: flag,
        premium: flag,
        price: amount.optional(),
        currency: z.string().optional(),
      }),
    )
    .min(1),
});

export const domainSummarySchema = z.looseObject({
  name: z.string().min(1),
  status: z.string(),
  tld: z.string(),
  tsExpir: z.string(),
  domainID: z.number().int(),
});

export const getInfoStatusSchema = domainSummarySchema.extend({
  tsCreate: z.string().optional(),
  renewable: flag.optional(),
  renewalMode: z.string().optional(),
  modifyBlock: flag.optional(),
  transferBlock: flag.optional(),
  whoisPrivacy: flag.optional(),
  viewWhois: flag.optional(),
  authcodeCheck: flag.optional(),
  serviceAssociated: flag.optional(),
  tag: z.string().optional(),
  ownerverification: z.string().optional(),
  transferStatus: z.string().optional(),
});
export type GetInfoStatus = z.infer<typeof getInfoStatusSchema>;

export const nameserversSchema = domainSummarySchema.extend({
  defaultNS: flag.optional(),
  nameservers: z.array(
    z.looseObject({ order: z.number().int(), name: z.string().min(1), ipv4: z.string().optional() }),
  ),
});

/** Nameserver host names in the registrar's `order` (User Manual §5.26 Nameserver Response). */
export function decodeNameservers(ns: z.infer<typeof nameserversSchema>['nameservers']): string[] {
  return [...ns].sort((a, b) => a.order - b.order).map((n) => n.name.toLowerCase().replace(/\.$/, ''));
}

/** `billing` of a paid call (User Manual §5.20 Renew, §7.4 Renew, §8.8.3 Response). */
const billingSchema = z.looseObject({ total: amount, currency: z.string().min(1) });

export const renewSchema = z.looseObject({
  billing: billingSchema,
  domains: z
    .array(
      domainSummarySchema.extend({
        renewPeriod: z.union([z.string(), z.number()]).optional(),
        inPromo: flag.optional(),
      }),
    )
    .min(1),
});

// `domain/list` rows are validated by hand below, not with zod: a 10,000-row page is the one
// reply big enough for validation cost to matter (bench/mrdomain-list.bench.ts), and the row check
// is five typeof tests. The envelope and queryInfo still go through zod.
const listDataSchema = z.looseObject({
  queryInfo: queryInfoSchema,
  domains: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array'),
});

export interface DomainListPage {
  queryInfo: QueryInfo;
  domains: DomainSummary[];
}

function badRow(i: number, field: string): GatewayError {
  return protocolError(`MrDomain domain/list: domains.${i}.${field} is missing or has the wrong type`, {
    provider: PROVIDER,
    operation: 'listDomains',
  });
}

/** Already a lower-case LDH name (the common case): no URL parsing needed. */
const LDH_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** A domain name as the registrar spells it → lower-case A-label (IDN names come back in Unicode). */
export function decodeDomainName(name: string): string {
  if (LDH_NAME.test(name)) return name;
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (LDH_NAME.test(lower)) return lower;
  try {
    return new URL(`http://${lower}/`).hostname;
  } catch {
    throw protocolError(`MrDomain returned a domain name we cannot read: ${JSON.stringify(name)}`, {
      provider: PROVIDER,
    });
  }
}

/** One summary object (list row, update/getinfo reply) → DomainSummary. */
export function toDomainSummary(row: z.infer<typeof domainSummarySchema>): DomainSummary {
  return {
    domain: decodeDomainName(row.name),
    expiresAt: decodeDate(row.tsExpir, 'tsExpir'),
    status: decodeDomainStatus(row.status),
    ref: { id: String(row.domainID) },
  };
}

/** Decode a whole `domain/list` reply (User Manual §5.12 List). */
export function decodeDomainList(text: string): DomainListPage {
  const { data } = decodeReply(text, listDataSchema, { operation: 'listDomains' });
  const rows = data.domains;
  const domains: DomainSummary[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown> | null;
    if (typeof row !== 'object' || row === null) throw badRow(i, '(row)');
    const { name, status, tsExpir, domainID } = row;
    if (typeof name !== 'string' || name === '') throw badRow(i, 'name');
    if (typeof status !== 'string') throw badRow(i, 'status');
    if (typeof tsExpir !== 'string') throw badRow(i, 'tsExpir');
    if (typeof domainID !== 'number' || !Number.isInteger(domainID)) throw badRow(i, 'domainID');
    domains[i] = {
      domain: decodeDomainName(name),
      expiresAt: decodeDate(tsExpir, 'tsExpir'),
      status: decodeDomainStatus(status),
      ref: { id: String(domainID) },
    };
  }
  return { queryInfo: data.queryInfo, domains };
}

// ---------------------------------------------------------------------------------------------
// Hosting services (User Manual §7 Module: Service) and SSL certificates (§8 Module: SSL)

/** A service as `service/list` (§7.1) and `service/renew` (§7.4) print it; §7.1's example has no `productkey`. */
export const serviceRowSchema = z.looseObject({
  name: z.string().min(1),
  type: z.string().optional(),
  productkey: z.string().optional(),
  status: z.string(),
  tsExpir: z.string(),
});
export type ServiceRow = z.infer<typeof serviceRowSchema>;

export const serviceListSchema = z.looseObject({
  queryInfo: queryInfoSchema,
  services: z.array(serviceRowSchema),
});

/** `service/getinfo` with `infoType=status` (§7.2 Get Info). */
export const serviceInfoSchema = serviceRowSchema.extend({
  tsCreate: z.string().optional(),
  renewable: flag.optional(),
  renewalMode: z.string().optional(),
});

export const serviceRenewSchema = z.looseObject({
  billing: billingSchema,
  services: z.array(serviceRowSchema).min(1),
});

/** A certificate as `ssl/list` (§8.5), `ssl/getinfo` (§8.6) and `ssl/renew` (§8.8.3) print it. */
export const certificateSchema = z.looseObject({
  certificateID: z.number().int(),
  commonName: z.string().min(1),
  status: z.string(),
  renewable: flag.optional(),
  productID: z.number().int().optional(),
  tsCreate: z.string().optional(),
  tsExpir: z.string(),
  alternativeNames: z.array(z.string()).optional(),
});
export type CertificateRow = z.infer<typeof certificateSchema>;

export const certificateListSchema = z.looseObject({
  queryInfo: queryInfoSchema,
  ssl: z.array(certificateSchema),
});

/** `ssl/renew` answers one certificate object, though §8.8.3 calls it a list. */
export const certificateRenewSchema = z.looseObject({
  billing: billingSchema,
  ssl: certificateSchema,
});

/** A paid call's `billing` (§7.4 Renew, §8.8.3 Response) as Money. */
export function decodeBilling(billing: { total: number | string; currency: string }): Money {
  return decodeMoney(billing.total, billing.currency, 'billing.total');
}

/**
 * Service status words (§7.48.2 Service Status). `renewed` is "Renewal in process": the reply to
 * `service/renew` already carries the new expiry, so it is `renewing` but not a renewal pending
 * proof (docs/decisions.md, MrDomain: service and certificate statuses).
 */
const SERVICE_STATUS: Readonly<Record<string, ServiceStatus>> = {
  init: 'pending',
  active: 'active',
  inactive: 'suspended',
  renewed: 'renewing',
  renewable: 'active',
};

/** Certificate status words (§8.14.2 SSL Status). */
const CERTIFICATE_STATUS: Readonly<Record<string, ServiceStatus>> = {
  process: 'pending',
  valid: 'active',
  expired: 'expired',
  renew: 'renewing',
  reissue: 'pending',
  cancel: 'cancelled',
};

export function decodeServiceStatus(status: string): ServiceStatus {
  return SERVICE_STATUS[status] ?? 'unknown';
}

export function decodeCertificateStatus(status: string): ServiceStatus {
  return CERTIFICATE_STATUS[status] ?? 'unknown';
}

/** A hosting service → ServiceInfo; its id is the service name, exactly as MrDomain spells it. */
export function toHostingInfo(row: ServiceRow & { renewable?: boolean }): ServiceInfo {
  const info: ServiceInfo = {
    kind: 'hosting',
    id: row.name,
    name: row.name,
    status: decodeServiceStatus(row.status),
    rawStatus: row.status,
    ref: { id: row.name },
  };
  const expiresAt = decodeDate(row.tsExpir, 'tsExpir');
  if (expiresAt) info.expiresAt = expiresAt;
  if (row.renewable !== undefined) info.renewable = row.renewable;
  if (row.productkey) info.product = row.productkey;
  return info;
}

/**
 * A certificate → ServiceInfo; its id is the `certificateID` as a decimal string. Status `renew`
 * ("Renovation in process") is the proof that a renewal was placed while the expiry has not moved.
 */
export function toCertificateInfo(row: CertificateRow): ServiceInfo {
  const id = String(row.certificateID);
  const info: ServiceInfo = {
    kind: 'certificate',
    id,
    name: row.commonName,
    status: decodeCertificateStatus(row.status),
    rawStatus: row.status,
    ref: { id },
  };
  const expiresAt = decodeDate(row.tsExpir, 'tsExpir');
  if (expiresAt) info.expiresAt = expiresAt;
  if (row.renewable !== undefined) info.renewable = row.renewable;
  if (row.productID !== undefined) info.product = String(row.productID);
  if (row.status === 'renew') info.renewalInProgress = true;
  return info;
}
