/**
 * 35.com hosting and mail for the simulator, from the 35.com API user manual ("API 用户使用手册"
 * 2.7.4; § = its sections): GetInfo op=GetVhostInfo (§7.3.2.15), RenewVhost (§7.3.2.5), GetInfo
 * op=GetMailInfo (§7.4.2.16, §7.4.3.14), RenewMail (§7.4.2.5, §7.4.3.5), each renewal also as a
 * price query with `GetPrice=1` (§7.7.1), which validates everything and changes nothing.
 *
 * - Flags (§7.3.2.1, §7.4.2.1, §7.4.3.1): a host is 1001 (traditional, §7.7.1.2) or 1002 (智强);
 *   a mail domain is 1001 (normal, paid from the money account) or 1002 (exclusive sale, paid in
 *   points). An object asked for under the other flag does not exist (2303).
 * - Dates are PHP's `m/d/Y` (`08/31/2020`): two-digit month and day, four-digit year.
 * - Where the manual gives no code (docs/decisions.md): a `currentexpiredate` that is not the
 *   current expiry is 2306, a renewal past the ten-year ceiling 2004, too few points 2104.
 * - Field names as the examples spell them: RenewVhost answers `amount ` (a trailing space,
 *   §7.3.2.5.6 and §7.7.1.2.1), the exclusive mail's price query ` points` (a leading space,
 *   §7.7.1.5.2), GetMailInfo `domain` (the example; its table says `domian`).
 */
import type { Param } from './checksums';
import { Refusal } from './refusal';

export type ServiceCategory = 'vhost' | 'mail';
const FLAGS = ['1001', '1002'] as const;
export type ServiceFlag = (typeof FLAGS)[number];

export interface SimService {
  category: ServiceCategory;
  /** `vhostname` (3-10 characters) or the mail domain (1-63). Stored lower-case. */
  name: string;
  flag: ServiceFlag;
  /** §7.3.2.2 or §7.4.2.2 / §7.4.3.2; a traditional host has none in the manual. */
  typeID?: string;
  owner: string;
  /** `YYYY-MM-DD` (UTC days): shown as m/d/Y on the wire. */
  startdate: string;
  expiredate: string;
  /** Hosts: WEB and FTP switched on (`isrunning`). */
  running: boolean;
  /** A package's sub-product, or a mail domain given with a host: never renewed alone (2305). */
  packageChild: boolean;
  /** Price per year: in fen for money, in points for an exclusive mail (flag 1002). */
  pricePerYear: number;
  /** Hosts: the extra upgrade part and the database part per year, in fen. */
  addPriceFen: number;
  dbPriceFen: number;
  /** Normal mail paid with points (`selltype=E`): points per year. */
  pointsPerYear: number;
}

export interface SeedServiceInput {
  category: ServiceCategory;
  name: string;
  flag: ServiceFlag;
  typeID?: string;
  owner?: string;
  /** `YYYY-MM-DD`; default a year from today. */
  expiredate?: string;
  startdate?: string;
  running?: boolean;
  packageChild?: boolean;
  pricePerYear?: number;
  addPriceFen?: number;
  dbPriceFen?: number;
  pointsPerYear?: number;
}

export interface SimServiceRenewal {
  category: ServiceCategory;
  name: string;
  flag: ServiceFlag;
  years: number;
  at: string;
  newExpiry: string;
  charged: { amount: string; currency: 'CNY' | 'POINTS' };
}

/** What the money and points accounts look like to a renewal. */
export interface Purses {
  fen(clid: string): number;
  spendFen(clid: string, fen: number): void;
  balanceText(clid: string): string;
}

/** Parameters every service command needs (from each command's 命令格式), beyond its checksum's. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'vhost/GetInfo': ['flag', 'vhostname', 'op'],
  'vhost/RenewVhost': ['flag', 'vhostname', 'year', 'currentexpiredate'],
  'mail/GetInfo': ['flag', 'domain', 'op'],
  'mail/RenewMail': ['flag', 'domain', 'year', 'currentexpiredate'],
};

/** Prices per year from the manual's examples: 智强 138 (§7.3.2.5.6), traditional 180 (§7.7.1.2.1), mail 220 (§7.4.2.5.6), points 1100 (§7.7.1.5.2). */
const DEFAULT_PRICE: Record<`${ServiceCategory}/${ServiceFlag}`, number> = {
  'vhost/1001': 18_000,
  'vhost/1002': 13_800,
  'mail/1001': 22_000,
  'mail/1002': 1_100,
};
const DEFAULT_POINTS_PER_YEAR = 1_100;

/** The exclusive-sale points account of each normal mail type (§7.4.2.2 beside §7.4.3.2): answered as `typeID` by a points price query. */
const POINTS_ACCOUNT_OF: Record<string, string> = {
  '10001': '10003',
  '10002': '10004',
  '10018': '20018',
  '10021': '20021',
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addYearsToDay(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return day(d.getTime());
}

/** `YYYY-MM-DD` → `m/d/Y` (`08/31/2020`). */
export function toMdy(date: string): string {
  const [y, m, d] = date.split('-');
  return `${m}/${d}/${y}`;
}

/** `m/d/Y` → `YYYY-MM-DD`, or undefined when it is not a real date written so. */
export function fromMdy(text: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[1]}-${m[2]}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && day(parsed.getTime()) === iso ? iso : undefined;
}

/** Fen as the examples write amounts: `138`, `269.91`. */
function yuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0')}`;
}

/** The name an operation is counted and faulted under: price queries and GetInfo's op apart. */
export function serviceOperationName(action: string, params: readonly Param[]): string | undefined {
  const value = (name: string) => params.find((p) => p.name === name)?.value;
  if ((action === 'RenewVhost' || action === 'RenewMail') && value('GetPrice') !== undefined)
    return `${action}:GetPrice`;
  if (action === 'GetInfo' && value('op')) return `GetInfo:${value('op')}`;
  return undefined;
}

export interface ServiceAnswer {
  data: Param[];
  /** `msg` of the success as the command's example spells it. */
  msg: string;
}

export class SimServices {
  services = new Map<string, SimService>();
  /** Exclusive-sale points per member (one points account per member: decision). */
  points = new Map<string, number>();
  renewals: SimServiceRenewal[] = [];

  constructor(
    private readonly now: () => number,
    private readonly purses: Purses,
  ) {}

  private static key(category: ServiceCategory, name: string): string {
    return `${category}/${name.toLowerCase()}`;
  }

  clear(): void {
    this.services = new Map();
    this.points = new Map();
    this.renewals = [];
  }

  add(input: SeedServiceInput, defaultOwner: string): SimService {
    if (input.category !== 'vhost' && input.category !== 'mail') throw new Error('category: vhost or mail');
    if (!FLAGS.includes(input.flag)) throw new Error('flag: 1001 or 1002');
    const now = this.now();
    const service: SimService = {
      category: input.category,
      name: input.name.toLowerCase(),
      flag: input.flag,
      typeID: input.typeID,
      owner: input.owner ?? defaultOwner,
      startdate: input.startdate ?? day(now - 300 * 86_400_000),
      expiredate: input.expiredate ?? day(now + 365 * 86_400_000),
      running: input.running ?? true,
      packageChild: input.packageChild ?? false,
      pricePerYear: input.pricePerYear ?? DEFAULT_PRICE[`${input.category}/${input.flag}`],
      addPriceFen: input.addPriceFen ?? 0,
      dbPriceFen: input.dbPriceFen ?? 0,
      pointsPerYear: input.pointsPerYear ?? DEFAULT_POINTS_PER_YEAR,
    };
    this.services.set(SimServices.key(service.category, service.name), service);
    return service;
  }

  pointsOf(clid: string): number {
    return this.points.get(clid) ?? 0;
  }

  /** The first parameter the command needs that was not sent. */
  missingParam(category: string, action: string, params: readonly Param[]): string | undefined {
    return REQUIRED[`${category}/${action}`]?.find((name) => !params.some((p) => p.name === name));
  }

  execute(clid: string, category: ServiceCategory, action: string, params: readonly Param[]): ServiceAnswer {
    const value = (name: string) => params.find((p) => p.name === name)?.value;
    const nameParam = category === 'vhost' ? 'vhostname' : 'domain';
    const flag = this.flagOf(value('flag')!);
    const name = value(nameParam)!;
    const [min, max] = category === 'vhost' ? [3, 10] : [1, 63];
    if (name.length < min || name.length > max) throw new Refusal(2004, `${nameParam}: length ${min}-${max}`);
    if (action === 'GetInfo') {
      const op = category === 'vhost' ? 'GetVhostInfo' : 'GetMailInfo';
      if (value('op') !== op) throw new Refusal(2005, `op: ${op}`);
      return this.info(this.find(clid, category, name, flag));
    }
    return this.renew(clid, category, flag, name, params);
  }

  private flagOf(text: string): ServiceFlag {
    if (!/^\d+$/.test(text)) throw new Refusal(2005, 'flag: digits');
    if (!FLAGS.includes(text as ServiceFlag)) throw new Refusal(2004, 'flag: 1001 or 1002');
    return text as ServiceFlag;
  }

  private find(clid: string, category: ServiceCategory, name: string, flag: ServiceFlag): SimService {
    const s = this.services.get(SimServices.key(category, name));
    // Under another flag the object is another product's: as unknown as a name never opened.
    if (!s || s.owner !== clid || s.flag !== flag) throw new Refusal(2303, 'no value');
    return s;
  }

  private info(s: SimService): ServiceAnswer {
    const typeID = s.typeID === undefined ? [] : [{ name: 'typeID', value: s.typeID }];
    const dates = [
      { name: 'startdate', value: toMdy(s.startdate) },
      { name: 'expiredate', value: toMdy(s.expiredate) },
    ];
    if (s.category === 'vhost') {
      return {
        msg: 'Command completeted successfully', // §7.3.2.15.6
        data: [
          { name: 'vhostname', value: s.name },
          { name: 'flag', value: s.flag },
          { name: 'totalspace', value: '600' },
          { name: 'usedspace', value: '50' },
          { name: 'totalflux', value: '18' },
          { name: 'os', value: 'WINDOWS2003' },
          { name: 'ip', value: '192.0.2.35' },
          { name: 'isrunning', value: s.running ? '1' : '0' },
          ...typeID,
          ...dates,
        ],
      };
    }
    const server = '192.0.2.36';
    return {
      msg: 'Command complateted successfully', // §7.4.2.16.6
      data: [
        { name: 'domain', value: s.name },
        { name: 'flag', value: s.flag },
        { name: 'totalspace', value: '0' },
        { name: 'totalaccount', value: '5' },
        { name: 'spy', value: '0' },
        { name: 'smtp', value: '0' },
        { name: 'harddisk', value: '17920' },
        { name: 'destroy', value: '' },
        ...typeID,
        ...[
          'hostip',
          'hostdomain',
          'mxip',
          'mxdomain',
          'popdomain',
          'smtpdomain',
          'imapdomain',
          'eqdomain',
        ].map((n) => ({ name: n, value: server })),
        ...dates,
      ],
    };
  }

  private renew(
    clid: string,
    category: ServiceCategory,
    flag: ServiceFlag,
    name: string,
    params: readonly Param[],
  ): ServiceAnswer {
    const value = (n: string) => params.find((p) => p.name === n)?.value;
    const yearText = value('year')!;
    if (!/^\d+$/.test(yearText)) throw new Refusal(2005, 'year: whole years 1-10');
    const year = Number(yearText);
    if (year < 1 || year > 10) throw new Refusal(2004, 'year: 1-10');
    const stated = fromMdy(value('currentexpiredate')!);
    if (!stated) throw new Refusal(2005, 'currentexpiredate: m/d/Y, e.g. 08/31/2020');
    const getPrice = value('GetPrice');
    // §7.7.1.1 names only `1`: any other value is neither a price query nor plainly a renewal.
    if (getPrice !== undefined && getPrice !== '1') throw new Refusal(2004, 'GetPrice: 1');
    const selltype = category === 'mail' ? value('selltype') : undefined;
    if (selltype !== undefined && selltype !== 'E') throw new Refusal(2005, 'selltype: E');

    const s = this.find(clid, category, name, flag);
    // "属于套餐子产品的主机不能进行单独续费" (§7.3.2.5.4, §7.4.2.5.4): 2305, association prohibits.
    if (s.packageChild) throw new Refusal(2305, `${s.name} is part of a package and is renewed with it`);
    if (stated !== s.expiredate)
      throw new Refusal(2306, `currentexpiredate: the current expiry is ${toMdy(s.expiredate)}`);
    const today = day(this.now());
    const newExpiry = addYearsToDay(s.expiredate, year);
    const ceiling = addYearsToDay(today, 10);
    // "续费后主机的到期日期距续费操作当天不能超过 10 年" (§7.3.2.5.4, §7.4.2.5.4, §7.4.3.5.4).
    if (newExpiry > ceiling)
      throw new Refusal(
        2004,
        `year: the new expiry ${toMdy(newExpiry)} would be more than 10 years from today (at most ${toMdy(ceiling)})`,
      );

    const paysPoints = category === 'mail' && (flag === '1002' || selltype === 'E');
    const cost = paysPoints
      ? year * (flag === '1002' ? s.pricePerYear : s.pointsPerYear)
      : year * (s.pricePerYear + s.addPriceFen + s.dbPriceFen);
    if (getPrice === '1') return this.price(s, year, paysPoints, cost);

    if (paysPoints) {
      const left = this.pointsOf(clid);
      if (left < cost) throw new Refusal(2104, `points: ${left} left, ${cost} needed`);
      this.points.set(clid, left - cost);
    } else {
      if (this.purses.fen(clid) < cost) throw new Refusal(2104, this.purses.balanceText(clid));
      this.purses.spendFen(clid, cost);
    }
    s.expiredate = newExpiry;
    // "续费操作成功后，主机将会被自动重新开启" (§7.3.2.5.5), for a host closed by its expiry.
    s.running = true;
    const charged = paysPoints
      ? { amount: String(cost), currency: 'POINTS' as const }
      : { amount: yuan(cost), currency: 'CNY' as const };
    this.renewals.push({
      category,
      name: s.name,
      flag,
      years: year,
      at: new Date(this.now()).toISOString(),
      newExpiry,
      charged,
    });
    if (category === 'vhost') {
      return {
        msg: 'Command completeted successfully', // §7.3.2.5.6
        data: [
          { name: 'vhostname', value: s.name },
          { name: 'flag', value: flag },
          { name: 'expiredate', value: toMdy(newExpiry) },
          { name: 'addPrice', value: yuan(year * s.addPriceFen) },
          { name: 'dbPrice', value: yuan(year * s.dbPriceFen) },
          { name: 'amount ', value: charged.amount },
        ],
      };
    }
    return {
      // §7.4.2.5.6 (normal) and §7.4.3.5.6 (exclusive) spell it differently.
      msg: flag === '1001' ? 'Command completed successfully' : 'Command complateted successfully',
      data: [
        { name: 'domain', value: s.name },
        { name: 'flag', value: flag },
        { name: 'expiredate', value: toMdy(newExpiry) },
        { name: paysPoints ? 'points' : 'amount', value: charged.amount },
      ],
    };
  }

  /** §7.7.1: what the renewal would take, nothing done. */
  private price(s: SimService, year: number, paysPoints: boolean, cost: number): ServiceAnswer {
    if (s.category === 'vhost') {
      return {
        msg: 'Command completeted successfully', // §7.7.1.2.1
        data: [
          { name: 'vhostPrice', value: yuan(year * s.pricePerYear) },
          { name: 'addPrice', value: yuan(year * s.addPriceFen) },
          { name: 'dbPrice', value: yuan(year * s.dbPriceFen) },
          { name: 'amount ', value: yuan(cost) },
        ],
      };
    }
    if (!paysPoints)
      return { msg: 'Command completed successfully', data: [{ name: 'amount', value: yuan(cost) }] }; // §7.7.1.4.2
    const account = s.flag === '1002' ? s.typeID : POINTS_ACCOUNT_OF[s.typeID ?? ''];
    return {
      msg: 'Command complateted successfully', // §7.7.1.5.2
      data: [
        { name: ' points', value: String(cost) },
        // "包销邮局返回的是所需要扣除的包销点(points)和对应的包销帐户类型(typeID)" (§7.7.1.1).
        ...(account ? [{ name: 'typeID', value: account }] : []),
      ],
    };
  }
}
