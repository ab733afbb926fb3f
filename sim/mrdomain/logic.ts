/**
 * MrDomain registrar behaviour, from MrDomain's API User Manual 1.0.20: credentials, the documented
 * actions the gateway uses, a real-time mass-check detector, balance and renewals. Hosting services
 * and SSL certificates are in services.ts, billed from the same balance.
 *
 * Where the document is silent the choices are in docs/decisions.md (## MrDomain); the main ones:
 * - order of checks: unknown action → 102 before authentication (User Manual §2.1: the invalid-action
 *   example carries no credentials and still gets 102), then 200/201, account state, block;
 * - `curExpDate` must equal the current `tsExpir`, else 2100 and nothing is charged;
 * - a burst of `domain/check` calls (more than `maxChecks` in `windowMs`) blocks the API user for
 *   `blockMs`, answering 1010 "Account blocked" to every call meanwhile (User Manual
 *   §1.2 API Intended use, §5.1 Check);
 * - billing totals add 21 % VAT to the zone's per-year price (9.95 check price vs 12.04 billed,
 *   User Manual §5.1 Check, §5.3.2 Response);
 * - "(bool)" parameters are read by PHP truthiness (`wire.ts` `parseBool`);
 * - a client address outside the account's registered IPs (User Manual §1.1 Getting started; `allowFrom`,
 *   `POST /__sim/allowlist`) gets 1007 "Account filtered" before anything else (`refuseStranger`; the
 *   table of §10.1.1 names no code for it).
 */
import { normalizeDomainName, toUnicode } from '../../src/core/domain-name';
import type { HttpSimulatorLogic, SimRequest, SimResponse } from '../shared/http-sim';
import { simInstance } from '../shared/instance';
import { createServiceDesk } from './services';
import { addYears, amount, billedCents, cents, DAY, ymd } from './values';
import {
  ApiError,
  DOCUMENTED_ACTIONS,
  envelope,
  type Outcome,
  page,
  parseBool,
  parsePositiveInt,
  readParams,
  requireParam,
} from './wire';

export const SIM_MRDOMAIN_USER = 'sim-mrdomain-user-0001';
export const SIM_MRDOMAIN_PASSWORD = 'sim-mrdomain-pass-0001';

const DEFAULT_NS = ['ns1.dondominio.com', 'ns2.dondominio.com'];
const DONE = ['Operation done correctly.'];

interface ZonePrice {
  /** Per-year price, decimal string. */
  price: string;
  years: string;
  inPromo?: boolean;
}

interface SimZone {
  tld: string;
  tldtop: string;
  authcodereq: boolean;
  create?: ZonePrice;
  renew?: ZonePrice;
  transfer?: ZonePrice;
  /** Whether `transferBlock` / `whoisPrivacy` exist for the TLD (User Manual §5.13 Get Info). */
  transferBlock: boolean;
  whoisPrivacy: boolean;
  maintenance: boolean;
}

export interface SimDomain {
  domainID: number;
  name: string;
  tld: string;
  status: string;
  tsCreate: string;
  tsExpir: string;
  renewalMode: 'autorenew' | 'manual' | 'letexpire';
  modifyBlock: boolean;
  transferBlock: boolean;
  whoisPrivacy: boolean;
  authcodeCheck: boolean;
  authcode: string;
  tag: string;
  ownerverification: string;
  transferStatus?: string;
  nameservers: string[];
  defaultNS: boolean;
}

/** The code a client address outside the account's registered IPs gets (docs/decisions.md, MrDomain). */
export const STRANGER_REFUSED = 1007;

export type AccountState = 'ok' | 'blocked' | 'banned' | 'filtered' | 'inactive' | 'deleted';

const ACCOUNT_STATE_CODE: Record<Exclude<AccountState, 'ok'>, number> = {
  blocked: 1000,
  deleted: 1001,
  inactive: 1002,
  filtered: 1007,
  banned: 1030,
};

export interface DetectorConfig {
  /** More than this many `domain/check` calls within `windowMs` is a mass check. */
  maxChecks: number;
  windowMs: number;
  /** How long the API user stays blocked. */
  blockMs: number;
}

export const DEFAULT_DETECTOR: DetectorConfig = { maxChecks: 10, windowMs: 5_000, blockMs: 60_000 };

export interface SimOptions {
  now?: () => number;
  /** The account this instance plays (sim/shared/instance.ts); none: the default account. */
  account?: string;
}

function zone(
  tld: string,
  create: string,
  renew: string,
  years: string,
  extra: Partial<SimZone> = {},
): SimZone {
  return {
    tld,
    tldtop: tld.split('.').pop() as string,
    authcodereq: true,
    create: { price: create, years },
    renew: { price: renew, years },
    transfer: { price: renew, years: '1' },
    transferBlock: true,
    whoisPrivacy: true,
    maintenance: false,
    ...extra,
  };
}

export function createMrdomainLogic(opts: SimOptions = {}) {
  const now = opts.now ?? Date.now;
  const instance = simInstance(opts.account);
  const credentials = {
    user: instance.credential(SIM_MRDOMAIN_USER),
    password: instance.credential(SIM_MRDOMAIN_PASSWORD),
  };
  let nextId = 45_762_358; // User Manual §5.3.2 Response
  let zones = new Map<string, SimZone>();
  let domains = new Map<string, SimDomain>();
  let balanceCents = 0;
  let accountState: AccountState = 'ok';
  let renewals: Array<{
    domain: string;
    years: number;
    at: string;
    curExpDate: string;
    newExpiry: string;
    total: string;
  }> = [];
  /** Every update done; `raw` is the boolean field exactly as it arrived on the wire. */
  let updates: Array<{ domain: string; updateType: string; value: string; raw?: string; at: string }> = [];
  let calls: Record<string, number> = {};
  let checkTimes: number[] = [];
  let checks = 0;
  let detector: DetectorConfig = { ...DEFAULT_DETECTOR };
  let blockedUntil = 0;
  let blocks: Array<{ at: string; until: string; checksInWindow: number }> = [];
  let refusedWhileBlocked = 0;
  let inFlight = 0;
  let maxConcurrency = 0;
  let maxConcurrent = 4;
  let processingMs = 0;
  const vatPercent = 21;
  const taken = new Set(['google.com', 'example.com', 'dondominio.com']);
  const premium = new Map([
    ['premium.com', '1250'],
    ['cars.net', '3400.5'],
  ]);

  /** Take a paid call's total from the balance, or refuse it with 1100 and charge nothing. */
  function debit(total: number): void {
    if (total > balanceCents) throw new ApiError(1100, ['the account balance does not cover the operation']);
    balanceCents -= total;
  }
  // Hosting services and SSL certificates (User Manual §7, §8): their own module, the same balance.
  const desk = createServiceDesk({ now, instance, vatPercent, debit });

  function seedDomain(partial: Partial<SimDomain> & { name: string }): SimDomain {
    const norm = normalizeDomainName(partial.name);
    if (!norm.ok) throw new Error(`bad domain ${partial.name}: ${norm.reason}`);
    const existing = domains.get(norm.name);
    const z = zones.get(norm.tld);
    const d: SimDomain = {
      domainID: existing?.domainID ?? nextId++,
      status: 'active',
      tsCreate: ymd(now() - 400 * DAY),
      tsExpir: ymd(now() + 180 * DAY),
      renewalMode: 'autorenew',
      modifyBlock: false,
      transferBlock: z?.transferBlock ?? false,
      whoisPrivacy: false,
      authcodeCheck: true,
      authcode: `Auth&'${norm.sld.slice(0, 4)}9x`,
      tag: '',
      ownerverification: 'verified',
      nameservers: [...DEFAULT_NS],
      defaultNS: true,
      ...partial,
      name: norm.name,
      tld: norm.tld,
    };
    d.tld = norm.tld;
    domains.set(d.name, d);
    return d;
  }

  function reset(): void {
    nextId = 45_762_358;
    zones = new Map(
      [
        zone('com', '9.95', '10.95', '1,2,3,4,5,6,7,8,9,10'),
        zone('net', '11.95', '11.95', '1,2,3,4,5,6,7,8,9,10'),
        zone('es', '6.95', '6.95', '1,2,3,4,5', {
          authcodereq: false,
          transferBlock: false,
          whoisPrivacy: false,
        }),
        zone('tel', '11', '11', '1,2,3,4,5,6,7,8,9,10'),
        // The document's own zone example (User Manual §4.3 Zones).
        {
          tld: 'green',
          tldtop: 'green',
          authcodereq: true,
          create: { price: '12.95', years: '1', inPromo: true },
          renew: { price: '52.95', years: '1,2,3,4,5,6,7,8,9,10' },
          transfer: { price: '52.95', years: '1' },
          transferBlock: true,
          whoisPrivacy: true,
          maintenance: false,
        },
        zone('xyz', '1.95', '12.95', '1,2,3,4,5,6,7,8,9,10'),
      ].map((z) => [z.tld, z]),
    );
    domains = new Map();
    const seed = (partial: Partial<SimDomain> & { name: string }) =>
      seedDomain({ ...partial, name: instance.domain(partial.name) });
    seed({ name: 'alpha-shop.com', tsExpir: ymd(now() + 20 * DAY), transferBlock: true });
    seed({
      name: 'beta-shop.net',
      tsExpir: ymd(now() + 200 * DAY),
      renewalMode: 'manual',
      transferBlock: false,
      nameservers: ['ns1.beta-dns.net', 'ns2.beta-dns.net', 'ns3.beta-dns.net'],
      defaultNS: false,
    });
    seed({ name: 'gamma-shop.es', status: 'expired-renewgrace', tsExpir: ymd(now() - 5 * DAY) });
    seed({ name: 'locked-shop.com', tsExpir: ymd(now() + 90 * DAY), modifyBlock: true });
    seed({
      name: 'incoming-shop.com',
      status: 'transfer-pending',
      tsExpir: '',
      transferStatus: 'pending-auth',
      authcodeCheck: false,
    });
    desk.reset();
    balanceCents = cents(instance.balance('500.00'));
    accountState = 'ok';
    renewals = [];
    updates = [];
    calls = {};
    checkTimes = [];
    checks = 0;
    detector = { ...DEFAULT_DETECTOR };
    blockedUntil = 0;
    blocks = [];
    refusedWhileBlocked = 0;
    inFlight = 0;
    maxConcurrency = 0;
    maxConcurrent = 4;
    processingMs = 0;
  }
  reset();

  // -------------------------------------------------------------------------------------------

  function findDomain(p: Map<string, string>): SimDomain {
    const id = p.get('domainID');
    const name = p.get('domain');
    if (id === undefined && name === undefined) throw new ApiError(101, ['domain or domainID is required']);
    let byName: SimDomain | undefined;
    if (name !== undefined) {
      const norm = normalizeDomainName(name);
      if (!norm.ok) throw new ApiError(2001, [norm.reason]);
      byName = domains.get(norm.name);
    }
    if (id !== undefined) {
      if (!/^\d+$/.test(id.trim())) throw new ApiError(105, ['domainID must be an integer']);
      const byId = [...domains.values()].find((d) => d.domainID === Number(id));
      // domainID wins; a name that names another domain is "not found" (docs/decisions.md).
      if (!byId || (name !== undefined && byName !== byId)) throw new ApiError(2008);
      return byId;
    }
    if (!byName) throw new ApiError(2008);
    return byName;
  }

  function summary(d: SimDomain) {
    return {
      name: toUnicode(d.name),
      status: d.status,
      tld: d.tld,
      tsExpir: d.tsExpir,
      domainID: d.domainID,
    };
  }

  function statusInfo(d: SimDomain) {
    const z = zones.get(d.tld);
    const info: Record<string, unknown> = {
      ...summary(d),
      tsCreate: d.tsCreate,
      renewable: isRenewable(d),
      renewalMode: d.renewalMode,
      modifyBlock: d.modifyBlock,
    };
    // "only for domains that allow it" (User Manual §5.13 Get Info): absent when the TLD has no such feature.
    if (z?.transferBlock) info.transferBlock = d.transferBlock;
    if (z?.whoisPrivacy) info.whoisPrivacy = d.whoisPrivacy;
    info.authcodeCheck = d.authcodeCheck;
    info.serviceAssociated = false;
    info.tag = d.tag;
    info.ownerverification = d.ownerverification;
    if (d.transferStatus) info.transferStatus = d.transferStatus;
    return info;
  }

  function nameserverInfo(d: SimDomain) {
    return {
      ...summary(d),
      defaultNS: d.defaultNS,
      nameservers: d.nameservers.map((name, i) => ({ order: i + 1, name, ipv4: `192.0.2.${i + 10}` })),
    };
  }

  function isRenewable(d: SimDomain): boolean {
    return (
      ['active', 'renewed', 'expired-renewgrace', 'expired-redemption'].includes(d.status) && d.tsExpir !== ''
    );
  }

  function setNameservers(d: SimDomain, value: string): void {
    if (value === 'default') {
      d.nameservers = [...DEFAULT_NS];
      d.defaultNS = true;
      return;
    }
    const hosts = value
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    // "min. 2, max. 7" (User Manual §5.7 Update NameServers).
    if (hosts.length < 2 || hosts.length > 7)
      throw new ApiError(105, ['nameservers: between 2 and 7 are required']);
    const names = hosts.map((h) => {
      const n = normalizeDomainName(h);
      if (!n.ok) throw new ApiError(105, [`nameservers: ${h}: ${n.reason}`]);
      return n.name;
    });
    d.nameservers = names;
    d.defaultNS = false;
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  const actions: Record<string, (p: Map<string, string>, req: SimRequest) => Outcome> = {
    ...desk.actions,
    'tool/hello': (_p, req) => ({
      errorCode: 0,
      responseData: { ip: req.remoteAddress.replace(/^::ffff:/, ''), lang: 'en', version: '1.0.20' },
    }),

    'account/info': (_p, req) => ({
      errorCode: 0,
      responseData: {
        clientName: 'Simulated Reseller S.L.',
        apiuser: credentials.user,
        balance: amount(balanceCents),
        threshold: 30.0,
        currency: 'EUR',
        ip: req.remoteAddress.replace(/^::ffff:/, ''),
      },
    }),

    'account/zones': (p) => {
      const tld = p.get('tld')?.toLowerCase();
      const tldtop = p.get('tldtop')?.toLowerCase();
      const list = [...zones.values()]
        .filter((z) => (!tld || z.tld === tld) && (!tldtop || z.tldtop === tldtop))
        .sort((a, b) => a.tld.localeCompare(b.tld));
      const { queryInfo, items } = page(list, p, 100);
      const price = (o: ZonePrice | undefined) =>
        o && { price: Number(o.price), years: o.years, ...(o.inPromo ? { inPromo: true } : {}) };
      return {
        errorCode: 0,
        responseData: {
          queryInfo,
          zones: items.map((z) => ({
            tld: z.tld,
            tldtop: z.tldtop,
            authcodereq: z.authcodereq,
            ...(z.create ? { create: price(z.create) } : {}),
            ...(z.renew ? { renew: price(z.renew) } : {}),
            ...(z.transfer ? { transfer: price(z.transfer) } : {}),
          })),
        },
      };
    },

    'domain/check': (p) => {
      const input = requireParam(p, 'domain');
      const norm = normalizeDomainName(input);
      if (!norm.ok) throw new ApiError(2001, [norm.reason]);
      const z = zones.get(norm.tld);
      if (!z?.create) throw new ApiError(2002);
      if (z.maintenance) throw new ApiError(2003);
      const premiumPrice = premium.get(norm.name);
      const available = !domains.has(norm.name) && !taken.has(norm.name);
      return {
        errorCode: 0,
        responseData: {
          domains: [
            {
              name: norm.unicode,
              punycode: norm.name,
              tld: norm.tld,
              available,
              premium: premiumPrice !== undefined,
              price: Number(premiumPrice ?? z.create.price),
              currency: 'EUR',
            },
          ],
        },
      };
    },

    'domain/getinfo': (p) => {
      const d = findDomain(p);
      const infoType = p.get('infoType') ?? 'status';
      switch (infoType) {
        case 'status':
          return { errorCode: 0, responseData: statusInfo(d) };
        case 'nameservers':
          return { errorCode: 0, responseData: nameserverInfo(d) };
        case 'authcode':
          if (!d.authcodeCheck) throw new ApiError(300, ['the authcode of this domain cannot be retrieved']);
          return { errorCode: 0, responseData: { ...summary(d), authcode: d.authcode } };
        case 'gluerecords':
          return { errorCode: 0, responseData: { ...summary(d), gluerecords: [] } };
        case 'dnssec':
          return { errorCode: 0, responseData: { ...summary(d), dnssec: { active: false, entries: [] } } };
        case 'contact':
        case 'service':
          throw new ApiError(104, [`infoType=${infoType} is not simulated`]);
        default:
          throw new ApiError(105, [
            'infoType is not one of status, contact, nameservers, authcode, service, gluerecords, dnssec',
          ]);
      }
    },

    'domain/getnameservers': (p) => ({ errorCode: 0, responseData: nameserverInfo(findDomain(p)) }),

    'domain/updatenameservers': (p) => {
      const d = findDomain(p);
      const value = requireParam(p, 'nameservers');
      if (d.modifyBlock) throw new ApiError(2202, ['the domain has modifications blocked']);
      setNameservers(d, value);
      updates.push({ domain: d.name, updateType: 'nameservers', value, at: new Date(now()).toISOString() });
      return { errorCode: 0, responseData: summary(d) };
    },

    'domain/update': (p) => {
      const d = findDomain(p);
      const updateType = requireParam(p, 'updateType');
      const types = [
        'contact',
        'nameservers',
        'transferBlock',
        'block',
        'whoisPrivacy',
        'renewalMode',
        'tag',
        'viewWhois',
      ];
      if (!types.includes(updateType))
        throw new ApiError(105, [`updateType must be one of ${types.join(', ')}`]);
      if (d.modifyBlock && updateType !== 'block')
        throw new ApiError(2202, ['the domain has modifications blocked']);
      const z = zones.get(d.tld);
      let value = '';
      let raw: string | undefined;
      switch (updateType) {
        case 'nameservers':
          value = requireParam(p, 'nameservers');
          setNameservers(d, value);
          break;
        case 'transferBlock':
          if (!z?.transferBlock) throw new ApiError(2201, ['transfer lock is not available for this TLD']);
          raw = requireParamAllowEmpty(p, 'transferBlock');
          d.transferBlock = parseBool(raw);
          value = String(d.transferBlock);
          break;
        case 'block':
          raw = requireParamAllowEmpty(p, 'block');
          d.modifyBlock = parseBool(raw);
          value = String(d.modifyBlock);
          break;
        case 'whoisPrivacy':
          if (!z?.whoisPrivacy) throw new ApiError(2201, ['whois privacy is not available for this TLD']);
          raw = requireParamAllowEmpty(p, 'whoisPrivacy');
          d.whoisPrivacy = parseBool(raw);
          value = String(d.whoisPrivacy);
          break;
        case 'viewWhois':
          raw = requireParamAllowEmpty(p, 'viewWhois');
          value = String(parseBool(raw));
          break;
        case 'renewalMode': {
          value = requireParam(p, 'renewalMode');
          if (value !== 'autorenew' && value !== 'manual' && value !== 'letexpire') {
            throw new ApiError(105, ['renewalMode must be autorenew, manual or letexpire']);
          }
          d.renewalMode = value;
          break;
        }
        case 'tag':
          d.tag = requireParamAllowEmpty(p, 'tag');
          value = d.tag;
          break;
        case 'contact': {
          const roles = ['owner', 'admin', 'tech', 'billing'];
          if (!roles.some((r) => p.has(`${r}ContactID`) || p.has(`${r}ContactType`))) {
            throw new ApiError(101, ['at least one contact is required']);
          }
          value = 'contacts';
          break;
        }
      }
      updates.push({
        domain: d.name,
        updateType,
        value,
        ...(raw !== undefined ? { raw } : {}),
        at: new Date(now()).toISOString(),
      });
      return { errorCode: 0, messages: DONE, responseData: summary(d) };
    },

    'domain/list': (p) => {
      const infoType = p.get('infoType');
      if (
        infoType !== undefined &&
        !['status', 'contact', 'nameservers', 'service', 'gluerecords'].includes(infoType)
      ) {
        throw new ApiError(105, [
          'infoType is not one of status, contact, nameservers, service, gluerecords',
        ]);
      }
      const exact = p.get('domain')?.toLowerCase();
      const word = p.get('word')?.toLowerCase();
      const tld = p.get('tld')?.toLowerCase();
      const status = p.get('status');
      const renewable = p.has('renewable') ? parseBool(p.get('renewable') as string) : false;
      const list = [...domains.values()]
        .filter(
          (d) =>
            (!exact || d.name === exact) &&
            (!word || d.name.includes(word)) &&
            (!tld || d.tld === tld) &&
            (!status || d.status === status) &&
            (!renewable || isRenewable(d)),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const { queryInfo, items } = page(list, p, 1000);
      const row = (d: SimDomain) =>
        infoType === 'status' ? statusInfo(d) : infoType === 'nameservers' ? nameserverInfo(d) : summary(d);
      return { errorCode: 0, responseData: { queryInfo, domains: items.map(row) } };
    },

    'domain/renew': (p) => {
      const d = findDomain(p);
      const cur = requireParam(p, 'curExpDate').trim();
      const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(cur);
      const curDate = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
      if (
        !m ||
        Number.isNaN(Date.parse(`${curDate}T00:00:00Z`)) ||
        ymd(Date.parse(`${curDate}T00:00:00Z`)) !== curDate
      ) {
        throw new ApiError(105, ['curExpDate must be YYYYMMDD or YYYY-MM-DD']);
      }
      const z = zones.get(d.tld);
      if (!z?.renew) throw new ApiError(2101, ['the TLD does not allow renewals']);
      const allowed = z.renew.years.split(',').map(Number);
      const period = parsePositiveInt(p.get('period'), 'period', Math.min(...allowed));
      if (!allowed.includes(period)) throw new ApiError(105, [`period must be one of ${z.renew.years}`]);
      if (!isRenewable(d)) throw new ApiError(2101, [`a domain in status ${d.status} cannot be renewed`]);
      // The guard: a repeated or stale request carries an old date and must not renew again.
      if (curDate !== d.tsExpir)
        throw new ApiError(2100, ['curExpDate does not match current expiration date']);
      const newExpiry = addYears(d.tsExpir, period);
      if (Date.parse(`${newExpiry}T00:00:00Z`) > Date.parse(`${addYears(ymd(now()), 10)}T00:00:00Z`)) {
        throw new ApiError(2101, ['a domain cannot be renewed beyond 10 years from today']);
      }
      const total = billedCents(z.renew.price, period, vatPercent);
      debit(total);
      d.tsExpir = newExpiry;
      d.status = 'active';
      renewals.push({
        domain: d.name,
        years: period,
        at: new Date(now()).toISOString(),
        curExpDate: curDate,
        newExpiry,
        total: (total / 100).toFixed(2),
      });
      return {
        errorCode: 0,
        responseData: {
          billing: { total: amount(total), currency: 'EUR' },
          domains: [
            {
              ...summary(d),
              status: 'renewed',
              tsExpir: newExpiry,
              renewPeriod: String(period),
              ...(z.renew.inPromo ? { inPromo: true } : {}),
            },
          ],
        },
      };
    },
  };

  function requireParamAllowEmpty(p: Map<string, string>, name: string): string {
    const v = p.get(name);
    if (v === undefined) throw new ApiError(101, [`${name} is required`]);
    return v;
  }

  // -------------------------------------------------------------------------------------------
  // The pipeline

  function actionOf(path: string): string {
    return path
      .split('/')
      .filter((s) => s !== '')
      .join('/');
  }

  function massCheckDetector(at: number): void {
    checkTimes.push(at);
    while (checkTimes.length > 0 && (checkTimes[0] as number) <= at - detector.windowMs) checkTimes.shift();
    if (checkTimes.length > detector.maxChecks) {
      blockedUntil = at + detector.blockMs;
      blocks.push({
        at: new Date(at).toISOString(),
        until: new Date(blockedUntil).toISOString(),
        checksInWindow: checkTimes.length,
      });
      checkTimes = [];
      throw new ApiError(1010, ['mass availability checks detected: API access temporarily blocked']);
    }
  }

  async function run(req: SimRequest, action: string, p: Map<string, string>): Promise<Outcome> {
    if (!DOCUMENTED_ACTIONS.has(action))
      return { errorCode: 102, messages: ['invalid object/action'], responseData: [] };
    const user = p.get('apiuser');
    const pass = p.get('apipasswd');
    if (!user || !pass) throw new ApiError(200);
    if (user !== credentials.user || pass !== credentials.password) throw new ApiError(201);
    if (accountState !== 'ok') throw new ApiError(ACCOUNT_STATE_CODE[accountState]);
    const at = now();
    if (at < blockedUntil) {
      refusedWhileBlocked++;
      throw new ApiError(1010, ['API access temporarily blocked']);
    }
    if (inFlight > maxConcurrent) throw new ApiError(1011, ['too many simultaneous requests']);
    if (action === 'domain/check' || action === 'tool/domainsuggests') {
      checks++;
      massCheckDetector(at);
    }
    const format = p.get('output-format');
    if (format !== undefined && format !== 'json' && format !== 'xml') {
      throw new ApiError(105, ['output-format must be json or xml']);
    }
    const handler = actions[action];
    if (!handler) throw new ApiError(104, [`${action} is not implemented by this simulator`]);
    if (processingMs > 0) await new Promise((r) => setTimeout(r, processingMs));
    return handler(p, req);
  }

  const logic: HttpSimulatorLogic = {
    name: 'mrdomain',
    operationOf: (req) => actionOf(req.path),
    async refuseStranger(req: SimRequest): Promise<SimResponse> {
      const p = await readParams(req).catch(() => new Map<string, string>());
      return envelope(
        actionOf(req.path),
        { errorCode: STRANGER_REFUSED, responseData: [] },
        { xml: p.get('output-format') === 'xml', pretty: parseBool(p.get('output-pretty') ?? '') },
      );
    },

    async handle(req: SimRequest): Promise<SimResponse> {
      const action = actionOf(req.path);
      inFlight++;
      maxConcurrency = Math.max(maxConcurrency, inFlight);
      let p = new Map<string, string>();
      let outcome: Outcome;
      try {
        p = await readParams(req);
        calls[action] = (calls[action] ?? 0) + 1;
        outcome = await run(req, action, p);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        outcome = { errorCode: error.code, messages: error.messages, responseData: [] };
      } finally {
        inFlight--;
      }
      return envelope(action, outcome, {
        xml: p.get('output-format') === 'xml',
        pretty: parseBool(p.get('output-pretty') ?? ''),
      });
    },
    state: () => ({
      account: {
        apiuser: credentials.user,
        state: accountState,
        balance: (balanceCents / 100).toFixed(2),
        currency: 'EUR',
      },
      domains: [...domains.values()].sort((a, b) => a.name.localeCompare(b.name)),
      renewals,
      ...desk.state(),
      updates,
      calls,
      checks,
      block: {
        blocked: now() < blockedUntil,
        until: blockedUntil > 0 ? new Date(blockedUntil).toISOString() : undefined,
        blocks,
        refusedWhileBlocked,
      },
      detector,
      maxConcurrency,
    }),
    reset,
    control(name, body) {
      const b = (body ?? {}) as Record<string, unknown>;
      switch (name) {
        case 'domains': {
          const list = Array.isArray(body) ? body : [body];
          return { domains: list.map((item) => seedDomain(item as Partial<SimDomain> & { name: string })) };
        }
        case 'balance': {
          const value = String(b.amount ?? '');
          if (!/^\d+(\.\d{1,2})?$/.test(value))
            throw new Error('balance amount is a decimal string like "12.50"');
          balanceCents = cents(value);
          return { balance: value };
        }
        case 'detector': {
          detector = { ...detector, ...(b as Partial<DetectorConfig>) };
          checkTimes = [];
          return { detector };
        }
        case 'unblock':
          blockedUntil = 0;
          checkTimes = [];
          return { ok: true };
        case 'account': {
          const state = b.state as AccountState;
          if (!['ok', 'blocked', 'banned', 'filtered', 'inactive', 'deleted'].includes(state)) {
            throw new Error('state is one of ok, blocked, banned, filtered, inactive, deleted');
          }
          accountState = state;
          return { state };
        }
        case 'zones': {
          const tld = String(b.tld ?? '');
          const existing = zones.get(tld);
          if (!existing) throw new Error(`no zone ${tld}`);
          zones.set(tld, { ...existing, ...(b as Partial<SimZone>) });
          return { zone: zones.get(tld) };
        }
        case 'config': {
          if (b.processingMs !== undefined) processingMs = Number(b.processingMs);
          if (b.maxConcurrent !== undefined) maxConcurrent = Number(b.maxConcurrent);
          return { processingMs, maxConcurrent };
        }
        default: {
          const handled = desk.control(name, body);
          if (handled === undefined) throw new Error(`unknown control ${name}`);
          return handled;
        }
      }
    },
  };
  return { ...logic, credentials };
}
