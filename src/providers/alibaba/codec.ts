/**
 * Pure wire decoding for Alibaba Cloud Domain replies (JSON by default, XML accepted), including
 * the error envelope. No I/O.
 *
 * Notes about this registrar's API (the Alibaba Cloud Domain "API Reference (New)", issue 20190517; § = its sections):
 * - `Format=JSON|XML`, default XML (§3.2 Public parameters, §3.4 Returned results); we ask for JSON
 *   but read XML too.
 * - The document's JSON examples mix PascalCase with wrapped lists (`{"Data":{"Domain":[…]}}`,
 *   §5.12 QueryDomainList) and camelCase with bare arrays (`"data":[…]`, §5.14
 *   QueryTaskDetailList): every field is read
 *   case-insensitively and every list accepts both shapes (and a lone object, as XML gives for one
 *   item).
 * - Numbers and booleans may come as strings (the Go SDK types `Avail` as a string).
 * - Dates: `…Long` fields are epoch ms (§5.12) and are preferred; string dates are in UTC+8
 *   (§5.15 QueryTaskInfoHistory pairs `2017-11-01 17:22:51` with 1509528171000), in two styles:
 *   `Nov 02, 2019 04:00:45` (QueryDomainList) and `2013-12-06 00:00:00` (§5.11
 *   QueryDomainByInstanceId, which has no `…Long` field at all).
 * - Errors: HTTP 4xx/5xx with `RequestId`, `HostId`, `Code`, `Message`, `Recommend` (§3.4), as
 *   JSON or as an XML `<Error>` root.
 * - Task details: `TaskStatusCode` 0 waiting, 1 executing, 2 success, 3 failure (§5.14): a
 *   different numbering from task-level codes (1/2/3).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fromEpochMs, fromLocalDateTime } from '../../core/dates';
import { protocolError } from '../../core/errors';
import type { IsoDateTime } from '../../core/model';
import type { AlibabaErrorBody } from './errors';

export type Wire = Record<string, unknown>;

/** China Standard Time, the zone of every string date the document shows (see the notes above). */
export const ALIBABA_OFFSET_MINUTES = 480;

const xml = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
});

function isRecord(value: unknown): value is Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reply body as a plain object: the JSON object, or the XML root element's content. */
export function parseBody(text: string): { root?: string; data: Wire } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw protocolError('alibaba answered malformed JSON', { provider: 'alibaba' });
    }
    if (!isRecord(value))
      throw protocolError('alibaba answered JSON that is not an object', { provider: 'alibaba' });
    return { data: value };
  }
  if (trimmed.startsWith('<') && !/^<(!doctype|html)/i.test(trimmed)) {
    if (XMLValidator.validate(trimmed) !== true) {
      throw protocolError('alibaba answered malformed XML', { provider: 'alibaba' });
    }
    const doc: unknown = xml.parse(trimmed);
    if (isRecord(doc)) {
      const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
      if (roots.length === 1) {
        const root = roots[0] as string;
        const content = doc[root];
        return { root, data: isRecord(content) ? content : {} };
      }
    }
    throw protocolError('alibaba answered XML without a single root element', { provider: 'alibaba' });
  }
  throw protocolError('alibaba answered neither JSON nor XML', { provider: 'alibaba' });
}

/** A field by name, whatever its case (`TaskNo`, `taskNo`, `taskno`). */
export function field(obj: unknown, name: string): unknown {
  if (!isRecord(obj)) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

export function str(obj: unknown, name: string): string | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw protocolError(`alibaba field ${name} is not a scalar`, { provider: 'alibaba' });
}

export function requireStr(obj: unknown, name: string, what: string): string {
  const v = str(obj, name);
  if (v === undefined) throw protocolError(`alibaba ${what} reply has no ${name}`, { provider: 'alibaba' });
  return v;
}

export function int(obj: unknown, name: string): number | undefined {
  const v = str(obj, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim()))
    throw protocolError(`alibaba field ${name} is not an integer: ${JSON.stringify(v)}`, {
      provider: 'alibaba',
    });
  return Number(v);
}

export function bool(obj: unknown, name: string): boolean | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true' || v === 1 || v === '1') return true;
  if (v === false || v === 'false' || v === 0 || v === '0') return false;
  throw protocolError(`alibaba field ${name} is not a boolean: ${JSON.stringify(v)}`, {
    provider: 'alibaba',
  });
}

/**
 * A list that may come wrapped (`Data.Domain[]`), bare (`data[]`), or as a single object (XML with
 * one item), or be absent/empty (`<Data/>`).
 */
export function list(obj: unknown, wrapper: string, item: string): unknown[] {
  const outer = field(obj, wrapper);
  if (outer === undefined || outer === null || outer === '') return [];
  if (Array.isArray(outer)) return outer;
  if (isRecord(outer)) {
    const inner = field(outer, item);
    if (inner === undefined || inner === null || inner === '') return [];
    return Array.isArray(inner) ? inner : [inner];
  }
  throw protocolError(`alibaba field ${wrapper} is not a list`, { provider: 'alibaba' });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A string date in UTC+8: `Nov 02, 2019 04:00:45` or `2013-12-06 00:00:00`. */
export function fromAlibabaDateString(value: string): IsoDateTime {
  const m = /^([A-Za-z]{3})\w* (\d{1,2}), (\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (m) {
    const month = MONTHS.indexOf((m[1] as string).toLowerCase());
    if (month < 0)
      throw protocolError(`alibaba date has an unknown month: ${JSON.stringify(value)}`, {
        provider: 'alibaba',
      });
    const local = `${m[3]}-${String(month + 1).padStart(2, '0')}-${(m[2] as string).padStart(2, '0')} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
    return fromLocalDateTime(local, ALIBABA_OFFSET_MINUTES);
  }
  return fromLocalDateTime(value, ALIBABA_OFFSET_MINUTES);
}

/** `<name>Long` (epoch ms) when present, else the string `<name>` read as UTC+8. */
export function dateField(obj: unknown, name: string): IsoDateTime | undefined {
  const long = str(obj, `${name}Long`);
  if (long !== undefined) return fromEpochMs(long);
  const text = str(obj, name);
  return text === undefined ? undefined : fromAlibabaDateString(text);
}

// ---------------------------------------------------------------------------------------------
// Error envelope

/**
 * The error envelope, when the body is one (JSON object or XML `<Error>` with a `Code`); otherwise
 * undefined, so the caller can fall back to the HTTP status.
 */
export function decodeErrorBody(text: string): AlibabaErrorBody | undefined {
  let parsed: { root?: string; data: Wire };
  try {
    parsed = parseBody(text);
  } catch {
    return undefined;
  }
  if (parsed.root !== undefined && parsed.root.toLowerCase() !== 'error') return undefined;
  const code = str(parsed.data, 'Code');
  if (!code) return undefined;
  return {
    code,
    message: str(parsed.data, 'Message'),
    requestId: str(parsed.data, 'RequestId'),
    hostId: str(parsed.data, 'HostId'),
    recommend: str(parsed.data, 'Recommend'),
  };
}

// ---------------------------------------------------------------------------------------------
// Per-action replies

/**
 * `Avail` codes of CheckDomain (§5.2), every one mapped. `-1` "abnormal" is no answer: the
 * registrar could not check the name (`available: null`), which is not "taken".
 */
export const AVAIL_CODES: Readonly<Record<string, { available: boolean | null; reason?: string }>> = {
  '1': { available: true },
  '0': { available: false, reason: 'registered' },
  '-2': { available: false, reason: 'registered' },
  '2': { available: false, reason: 'pending' },
  '-1': { available: null, reason: 'check_failed' },
  '-3': { available: false, reason: 'blacklisted' },
};

export interface CheckDomainReply {
  domainName?: string;
  avail: string;
  available: boolean | null;
  premium: boolean;
  reason?: string;
}

export function decodeCheckDomain(data: Wire): CheckDomainReply {
  const avail = requireStr(data, 'Avail', 'CheckDomain').trim();
  const meaning = AVAIL_CODES[avail];
  if (!meaning)
    throw protocolError(`alibaba CheckDomain gave an unknown Avail code ${JSON.stringify(avail)}`, {
      provider: 'alibaba',
    });
  return {
    domainName: str(data, 'DomainName'),
    avail,
    available: meaning.available,
    reason: meaning.reason,
    premium: bool(data, 'Premium') ?? false,
  };
}

export interface DomainListItem {
  domainName: string;
  instanceId: string;
  expiresAt?: IsoDateTime;
  /** The registrar's own expiry in ms: the renewal guard must be exactly this value. */
  expirationMs?: number;
  registeredAt?: IsoDateTime;
  /** `1` renewal urgently needed, `2` redemption urgently needed, `3` normal (§5.12 QueryDomainList). */
  domainStatus?: string;
  domainType?: string;
  premium?: boolean;
}

export interface DomainListPage {
  items: DomainListItem[];
  pageNum?: number;
  totalPages?: number;
  totalItems?: number;
  nextPage?: boolean;
}

export function decodeDomainList(data: Wire): DomainListPage {
  return {
    items: list(data, 'Data', 'Domain').map((item) => {
      const longExpiry = str(item, 'ExpirationDateLong');
      return {
        domainName: requireStr(item, 'DomainName', 'QueryDomainList').toLowerCase(),
        instanceId: requireStr(item, 'InstanceId', 'QueryDomainList'),
        expiresAt: dateField(item, 'ExpirationDate'),
        expirationMs: longExpiry === undefined ? undefined : Date.parse(fromEpochMs(longExpiry)),
        registeredAt: dateField(item, 'RegistrationDate'),
        domainStatus: str(item, 'DomainStatus'),
        domainType: str(item, 'DomainType'),
        premium: bool(item, 'Premium'),
      };
    }),
    pageNum: int(data, 'CurrentPageNum'),
    totalPages: int(data, 'TotalPageNum'),
    totalItems: int(data, 'TotalItemNum'),
    nextPage: bool(data, 'NextPage'),
  };
}

export interface DomainDetail {
  domainName: string;
  instanceId?: string;
  expiresAt?: IsoDateTime;
  registeredAt?: IsoDateTime;
  transferProhibitionLock?: string;
  updateProhibitionLock?: string;
  emailVerificationClientHold?: boolean;
  premium?: boolean;
  nameservers: string[];
}

export function decodeDomainDetail(data: Wire): DomainDetail {
  return {
    domainName: requireStr(data, 'DomainName', 'QueryDomainByInstanceId').toLowerCase(),
    instanceId: str(data, 'InstanceId'),
    expiresAt: dateField(data, 'ExpirationDate'),
    registeredAt: dateField(data, 'RegistrationDate'),
    transferProhibitionLock: str(data, 'TransferProhibitionLock'),
    updateProhibitionLock: str(data, 'UpdateProhibitionLock'),
    emailVerificationClientHold: bool(data, 'EmailVerificationClientHold'),
    premium: bool(data, 'Premium'),
    nameservers: list(data, 'DnsList', 'Dns').map((ns) => {
      if (typeof ns !== 'string')
        throw protocolError('alibaba DnsList item is not a string', { provider: 'alibaba' });
      return ns.toLowerCase();
    }),
  };
}

/** Every `SaveSingleTask…`/`SaveBatchTask…` answers `{RequestId, TaskNo}` (e.g. §5.33). */
export function decodeTaskNo(data: Wire, action: string): string {
  return requireStr(data, 'TaskNo', action);
}

export type TaskDetailState = 'waiting' | 'executing' | 'success' | 'failure';

const DETAIL_STATES: Readonly<Record<string, TaskDetailState>> = {
  '0': 'waiting',
  '1': 'executing',
  '2': 'success',
  '3': 'failure',
  WAITING_EXECUTE: 'waiting',
  EXECUTING: 'executing',
  EXECUTE_SUCCESS: 'success',
  EXECUTE_FAILURE: 'failure',
};

export interface TaskDetail {
  taskNo?: string;
  taskDetailNo?: string;
  taskType?: string;
  domainName?: string;
  instanceId?: string;
  state: TaskDetailState;
  rawStatus: string;
  errorMsg?: string;
  taskResult?: string;
  updatedAt?: IsoDateTime;
}

export function decodeTaskDetails(data: Wire): TaskDetail[] {
  return list(data, 'Data', 'TaskDetail').map((item) => {
    const code = str(item, 'TaskStatusCode');
    const status = str(item, 'TaskStatus');
    const state =
      (code !== undefined ? DETAIL_STATES[code.trim()] : undefined) ??
      (status ? DETAIL_STATES[status] : undefined);
    if (!state) {
      throw protocolError(`alibaba task detail has an unknown status ${JSON.stringify(code ?? status)}`, {
        provider: 'alibaba',
      });
    }
    const updateTime = str(item, 'UpdateTime');
    return {
      taskNo: str(item, 'TaskNo'),
      taskDetailNo: str(item, 'TaskDetailNo'),
      taskType: str(item, 'TaskType'),
      domainName: str(item, 'DomainName')?.toLowerCase(),
      instanceId: str(item, 'InstanceId'),
      state,
      rawStatus: status ?? code ?? '',
      errorMsg: str(item, 'ErrorMsg'),
      taskResult: str(item, 'TaskResult'),
      updatedAt: updateTime ? fromAlibabaDateString(updateTime) : undefined,
    };
  });
}

/** QueryTransferOutInfo `Status` (§5.19). */
export const TRANSFER_OUT_STATUS: Readonly<Record<string, string>> = {
  '1': 'verifying mobile',
  '2': 'verifying email',
  '3': 'authorization code obtained',
  '4': 'transfer in progress',
  '5': 'transferred out',
  '8': 'transfer failed',
};

export interface TransferOutInfo {
  status?: string;
  resultCode?: string;
  resultMsg?: string;
  pendingRequestDate?: IsoDateTime;
}

export function decodeTransferOutInfo(data: Wire): TransferOutInfo {
  const pending = str(data, 'PendingRequestDate');
  return {
    status: str(data, 'Status'),
    resultCode: str(data, 'ResultCode'),
    resultMsg: str(data, 'ResultMsg'),
    pendingRequestDate: pending ? fromAlibabaDateString(pending) : undefined,
  };
}
