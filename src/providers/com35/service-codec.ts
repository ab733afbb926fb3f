/**
 * 35.com hosting and mail on the wire, the gateway's side (pure): the parameters of GetInfo,
 * RenewVhost and RenewMail, and what their replies mean. The envelope, checksums and cltrids are
 * codec.ts's; this module only reads and writes the service fields.
 *
 * Notes about this registrar's API (the 35.com API user manual, "API 用户使用手册" 2.7.4; § = its sections):
 * - A product is told by `flag`: a host is 1002 (智强, §7.3.2.1) or 1001 (traditional, the price
 *   query of §7.7.1.2); a mail domain is 1001 (normal, §7.4.2.1) or 1002 (exclusive sale, paid in
 *   points, §7.4.3.1). No command says which flag an object has: ask under each (decision).
 * - Dates are PHP's `m/d/Y` (`08/31/2020`, every GetInfo and Renew table), with no time zone: read
 *   as UTC calendar days, like the domain dates (decision).
 * - Field names are padded in the examples: RenewVhost answers `amount ` (§7.3.2.5.6, §7.7.1.2.1),
 *   the exclusive price query ` points` (§7.7.1.5.2). Names are read trimmed.
 * - GetMailInfo's table names the domain `domian`, its example `domain` (§7.4.2.16): both read.
 * - A mail `typeID` of -1 is a direct customer's product the API does not serve (§7.4.2.16.1).
 */
import { protocolError } from '../../core/errors';
import {
  type IsoDateTime,
  type Money,
  POINTS_CURRENCY,
  type ServiceKind,
  type ServiceStatus,
} from '../../core/model';
import { money, toDecimalString } from '../../core/money';
import type { BridgeCommandName } from './bridge-protocol';
import type { Com35Params } from './codec';

/** The kinds 35.com serves, and the category its commands go under. */
export const COM35_SERVICE_KINDS = ['hosting', 'mail'] as const;
export type Com35ServiceKind = (typeof COM35_SERVICE_KINDS)[number];
export type ServiceCategory = 'vhost' | 'mail';
export type ServiceFlag = '1001' | '1002';

export function isCom35ServiceKind(kind: ServiceKind): kind is Com35ServiceKind {
  return (COM35_SERVICE_KINDS as readonly string[]).includes(kind);
}

interface KindWire {
  category: ServiceCategory;
  /** The parameter naming the object. */
  nameParam: 'vhostname' | 'domain';
  /** GetInfo's `op`. */
  infoOp: string;
  /** The allow-listed commands (bridge-protocol.ts) that read and renew it. */
  infoCommand: BridgeCommandName;
  renewCommand: BridgeCommandName;
  /** The flags asked in turn for an object whose flag is not known (decision: the common one first). */
  flags: readonly ServiceFlag[];
  /** What each flag is, for operators. */
  products: Record<ServiceFlag, string>;
}

export const KIND_WIRE: Readonly<Record<Com35ServiceKind, KindWire>> = {
  hosting: {
    category: 'vhost',
    nameParam: 'vhostname',
    infoOp: 'GetVhostInfo',
    infoCommand: 'vhost/GetInfo',
    renewCommand: 'vhost/RenewVhost',
    flags: ['1002', '1001'],
    products: { '1002': '智强 host', '1001': 'traditional host' },
  },
  mail: {
    category: 'mail',
    nameParam: 'domain',
    infoOp: 'GetMailInfo',
    infoCommand: 'mail/GetInfo',
    renewCommand: 'mail/RenewMail',
    flags: ['1001', '1002'],
    products: { '1001': 'normal mail', '1002': 'exclusive-sale mail' },
  },
};

export function infoParams(kind: Com35ServiceKind, flag: ServiceFlag, id: string): Com35Params {
  const w = KIND_WIRE[kind];
  return { flag, [w.nameParam]: id, op: w.infoOp };
}

export interface RenewalParams {
  flag: ServiceFlag;
  id: string;
  years: number;
  currentExpiry: IsoDateTime;
  /** Pay with exclusive-sale points (`selltype=E`, RenewMail only, §7.4.2.5.1). */
  payWithPoints?: boolean;
  /** Only ask the price (§7.7.1 `GetPrice=1`): nothing is renewed. */
  priceOnly?: boolean;
}

export function renewalParams(kind: Com35ServiceKind, p: RenewalParams): Com35Params {
  return {
    flag: p.flag,
    [KIND_WIRE[kind].nameParam]: p.id,
    year: String(p.years),
    currentexpiredate: toMdy(p.currentExpiry),
    ...(p.payWithPoints && kind === 'mail' ? { selltype: 'E' } : {}),
    ...(p.priceOnly ? { GetPrice: '1' } : {}),
  };
}

/** ISO → `m/d/Y` of its UTC day. */
export function toMdy(iso: IsoDateTime): string {
  const d = iso.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw protocolError(`not an ISO date: ${JSON.stringify(iso)}`);
  const [y, m, day] = d.split('-');
  return `${m}/${day}/${y}`;
}

/** `m/d/Y` → ISO at UTC midnight; a missing or impossible date is a protocol error naming the field. */
export function fromMdy(value: string | undefined, field: string): IsoDateTime {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value?.trim() ?? '');
  const iso = m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}T00:00:00.000Z` : '';
  if (!m || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString() !== iso) {
    throw protocolError(`35.com sent ${field} ${JSON.stringify(value ?? '')}, not a m/d/Y date`, {
      provider: 'com35',
    });
  }
  return iso;
}

/** `resData` by trimmed name, first value each (the examples pad names: `amount `, ` points`). */
export function fieldsOf(data: ReadonlyArray<{ name: string; value: string }>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const { name, value } of data) fields[name.trim()] ??= value.trim();
  return fields;
}

export interface DecodedService {
  name: string;
  flag: ServiceFlag;
  typeID?: string;
  expiresAt: IsoDateTime;
  status: ServiceStatus;
  rawStatus: string;
  /** False for a mail domain the API does not serve (typeID -1). */
  renewable?: boolean;
  product: string;
}

/** A GetInfo reply (§7.3.2.15, §7.4.2.16, §7.4.3.14) read as the service it describes. */
export function decodeServiceInfo(
  kind: Com35ServiceKind,
  asked: { id: string; flag: ServiceFlag },
  fields: Record<string, string>,
  now: number,
): DecodedService {
  const w = KIND_WIRE[kind];
  const expiresAt = fromMdy(fields.expiredate, 'expiredate');
  const name = (kind === 'mail' ? fields.domain || fields.domian : fields.vhostname) || asked.id;
  const flag = fields.flag === '1001' || fields.flag === '1002' ? fields.flag : asked.flag;
  const typeID = fields.typeID || undefined;
  const expired = Date.parse(expiresAt) < now;
  // Hosts report WEB/FTP switched off (`isrunning` 0: unpaid, unfiled or harmful content, §7.3.2.5.5).
  const stopped = kind === 'hosting' && fields.isrunning === '0';
  return {
    name: name.toLowerCase(),
    flag,
    typeID,
    expiresAt,
    status: expired ? 'expired' : stopped ? 'suspended' : 'active',
    // Mail has no status field at all: its expiry is the only state 35.com gives.
    rawStatus: kind === 'hosting' && fields.isrunning !== undefined ? `isrunning=${fields.isrunning}` : '',
    renewable: typeID === '-1' ? false : undefined,
    product: `${w.products[flag]} (flag ${flag}${typeID ? `, typeID ${typeID}` : ''})`,
  };
}

/** What a renewal or its price costs: money from `amount`, or points from `points`. */
export function chargeOf(fields: Record<string, string>): Money | undefined {
  if (fields.points !== undefined)
    return { amount: toDecimalString(fields.points, 'points'), currency: POINTS_CURRENCY };
  // "扣款金额(人民币)" (RenewMail §7.4.2.5.1); §7.7.1.1 "单位为人民币".
  if (fields.amount !== undefined) return money(fields.amount, 'CNY');
  return undefined;
}

/** A renewal's reply (§7.3.2.5.1, §7.4.2.5.1): the new expiry and what it cost. */
export function decodeServiceRenewal(fields: Record<string, string>): {
  newExpiry?: IsoDateTime;
  charged?: Money;
} {
  return {
    newExpiry: fields.expiredate ? fromMdy(fields.expiredate, 'expiredate') : undefined,
    charged: chargeOf(fields),
  };
}

/** A price query's reply (§7.7.1): its total, which it must have. */
export function decodeServicePrice(fields: Record<string, string>): Money {
  const price = chargeOf(fields);
  if (!price) throw protocolError('35.com price query sent neither amount nor points', { provider: 'com35' });
  return price;
}
