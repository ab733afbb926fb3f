/**
 * Dynadot API3 simulator logic: a strict, stateful registrar built from Dynadot's Advanced Domain API
 * command list (Chinese edition, "the API3 document") and, for the error envelopes and texts, real
 * replies other projects recorded (level23/dynadot-api, jsok/terraform-provider-dynadot).
 *
 * Strictness (what the real registrar refuses, with its own envelope):
 * - wrong or missing `key` → generic `<Response><ResponseHeader><ResponseCode>-1<Error>invalid key`
 *   (real fixture `error_invalid_key.xml`);
 * - a client address outside the key's IP allow-list (`allowFrom`, `POST /__sim/allowlist`) → the same
 *   generic envelope with `ip address not allowed` (`refuseStranger`; invented: neither the document
 *   nor a recorded reply says, docs/decisions.md › Dynadot: a caller outside the allow-list);
 * - unknown or missing `command` → generic envelope, `unsupported command` (invented: the document does not say);
 * - a missing required parameter → the command's envelope, `-1`, `missing parameter: x` (invented);
 * - more requests in flight for the key than the account's threads → the command's envelope with
 *   code `5` and Status `system_busy` (code/status as independent clients saw live). The document's
 *   "one request at a time" (Dynadot API3 document, introduction) is the default of one thread;
 *   Dynadot's current command list gives bulk accounts 5 threads and super bulk 25 to 35, so a test can
 *   raise it (`POST /__sim/threads`). `is_processing` is exempt: its purpose is to be asked while
 *   busy (the document's `is_processing` section);
 * - POST (or any method but GET) → HTTP 405 with the generic envelope (the API3 document shows GET
 *   only);
 * - `search` with more than 1 name on a regular account, more than 100 on a bulk one (the
 *   document's search section, `domain0 - domain99`).
 *
 * Search prices: the document shows only `77.00 in USD`, which is the default here. It says
 * nothing of premium names or renewal prices, so the other form live clients parse (the labelled
 * sentence, docs/decisions.md › Dynadot: search prices) is served on request
 * (`POST /__sim/search-price`), with the premium names of `POST /__sim/premium`.
 *
 * State: domains (expiry, name servers, lock, renew option), balance debited by `renew`, orders,
 * transfers. Counters for tests: `renewals`, `maxConcurrent`, `concurrentRejections`, `calls`.
 */
import { addAmounts, compareAmounts, multiplyAmount } from '../../src/core/money';
import type { HttpSimulatorLogic, SimRequest, SimResponse } from '../shared/http-sim';
import { type SimInstance, simInstance } from '../shared/instance';
import {
  commandError,
  el,
  genericError,
  type Reply,
  renderJson,
  renderXml,
  toXml,
  type XmlNode,
} from './render';

export const SIM_DYNADOT_KEY = 'sim-dynadot-key-0001';
/** The `Error` text a client address outside the key's IP allow-list gets (our choice). */
export const STRANGER_REFUSED = 'ip address not allowed';
const DAY = 86_400_000;

export interface SimDomain {
  name: string;
  registration: number;
  expiration: number;
  nameservers: string[];
  locked: boolean;
  renewOption: 'auto' | 'donot' | 'reset';
  privacy: 'full' | 'partial' | 'none';
  hold: boolean;
  disabled: boolean;
}

interface Order {
  orderId: string;
  status: string;
  items: Array<{ type: string; name: string; status: string }>;
}

interface State {
  domains: Map<string, SimDomain>;
  balance: string;
  currency: string;
  tier: 'regular' | 'bulk';
  transfers: Map<string, Array<{ orderId: string; status: string }>>;
  orders: Map<string, Order>;
  nextOrderId: number;
  renewals: Array<{ domain: string; years: number; at: string; charged: string; newExpiry: string }>;
  calls: Record<string, number>;
  inFlight: number;
  maxConcurrent: number;
  concurrentRejections: number;
  processingMs: number;
  /** Requests the key may have in flight at once (Dynadot's "threads"). */
  threads: number;
  /** While true, every admitted call waits inside its window until released (deterministic overlap). */
  hold: boolean;
  parked: Set<() => void>;
  /** `document`: `77.00 in USD`; `labelled`: the live sentence with renewal price and premium marker. */
  priceForm: 'document' | 'labelled';
  /** Raw `<Price>` text for a name, in place of the computed one (odd replies for tests). */
  priceText: Map<string, string>;
  premium: Map<string, { register: string; renew: string }>;
}

/** Renewal/registration/transfer prices per year, USD (the account currency). */
const PRICES: Record<string, { register: string; renew: string; transfer: string }> = {
  com: { register: '10.99', renew: '10.99', transfer: '10.99' },
  net: { register: '12.49', renew: '12.49', transfer: '12.49' },
  org: { register: '9.99', renew: '11.99', transfer: '11.99' },
  io: { register: '39.99', renew: '49.99', transfer: '49.99' },
};

/** Premium names for `search`: a registry price well above the TLD's, a normal renewal. */
const PREMIUM: Array<[string, { register: string; renew: string }]> = [
  ['gold.io', { register: '1250.00', renew: '49.99' }],
];

/** Names "registered elsewhere" for `search`. */
const TAKEN = new Set(['google.com', 'example.com', 'dynadot.com']);

function seededDomains(now: number, instance: SimInstance): SimDomain[] {
  const base = {
    registration: now - 400 * DAY,
    nameservers: [] as string[],
    locked: true,
    renewOption: 'reset' as const,
    privacy: 'full' as const,
    hold: false,
    disabled: false,
  };
  const seed: SimDomain[] = [
    { ...base, name: 'expiring-soon.com', expiration: now + 5 * DAY, renewOption: 'donot' },
    { ...base, name: 'renew-me.net', expiration: now + 20 * DAY },
    {
      ...base,
      name: 'sim-dynadot.com',
      expiration: now + 200 * DAY,
      nameservers: ['ns1.sim-dns.net', 'ns2.sim-dns.net'],
      renewOption: 'auto',
    },
    { ...base, name: 'parked-example.org', expiration: now + 300 * DAY, locked: false },
    { ...base, name: 'on-hold.io', expiration: now + 60 * DAY, hold: true },
  ];
  return seed.map((d) => ({ ...d, name: instance.domain(d.name) }));
}

function initialState(now: number, instance: SimInstance): State {
  return {
    domains: new Map(seededDomains(now, instance).map((d) => [d.name, d])),
    balance: instance.balance('500.00'),
    currency: 'USD',
    tier: 'bulk',
    transfers: new Map([['incoming-transfer.com', [{ orderId: '8001', status: 'waiting' }]]]),
    orders: new Map(),
    nextOrderId: 9001,
    renewals: [],
    calls: {},
    inFlight: 0,
    maxConcurrent: 0,
    concurrentRejections: 0,
    processingMs: 0,
    threads: 1,
    hold: false,
    parked: new Set(),
    priceForm: 'document',
    priceText: new Map(),
    premium: new Map(PREMIUM),
  };
}

/** The `<Price>` text of an available name, in the form the simulator is set to. */
function searchPriceText(
  s: State,
  name: string,
  tldPrice: { register: string; renew: string },
  currency: string,
) {
  const premium = s.premium.get(name);
  const { register, renew } = premium ?? tldPrice;
  const custom = s.priceText.get(name);
  if (custom !== undefined) return custom;
  if (s.priceForm === 'document') return `${register} in ${currency}`;
  return `Registration Price: ${register} in ${currency} and Renewal price: ${renew} in ${currency} and Domain is ${premium ? 'a' : 'not a'} Premium Domain`;
}

function releaseParked(s: State): number {
  const count = s.parked.size;
  for (const resume of s.parked) resume();
  s.parked.clear();
  return count;
}

const RENEW_OPTION_DISPLAY: Record<SimDomain['renewOption'], string> = {
  auto: 'auto-renew', // real capture (level23/dynadot-api's domain_info reply)
  donot: 'do not renew', // invented
  reset: 'no renew option', // API3 document, `domain_info`
};

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const money2 = (amount: string) => {
  const [i, f = ''] = amount.split('.');
  return `${i}.${f.padEnd(2, '0').slice(0, 2)}`;
};

function domainXml(d: SimDomain): XmlNode {
  // The 2023 real capture's nested name server shape when name servers are set, else parking.
  const nsSettings =
    d.nameservers.length > 0
      ? el('NameServerSettings', [
          el('Type', 'Name Servers'),
          el(
            'NameServers',
            d.nameservers.map((ns, i) =>
              el('NameServer', [el('ServerId', String(100 + i)), el('ServerName', ns)]),
            ),
          ),
        ])
      : el('NameServerSettings', [el('Type', 'Dynadot Parking'), el('WithAds', 'Yes')]);
  const contact = (role: string) => el(role, [el('ContactId', '0')]);
  return el('Domain', [
    el('Name', d.name),
    el('Expiration', String(d.expiration)),
    el('Registration', String(d.registration)),
    nsSettings,
    el('Whois', [contact('Registrant'), contact('Admin'), contact('Technical'), contact('Billing')]),
    el('Locked', yesNo(d.locked)),
    el('Disabled', yesNo(d.disabled)),
    el('UdrpLocked', 'no'),
    el('RegistrantUnverified', 'no'),
    el('Hold', yesNo(d.hold)),
    el('Privacy', d.privacy),
    el('isForSale', 'no'),
    el('RenewOption', RENEW_OPTION_DISPLAY[d.renewOption]),
    el('Note', []),
    el('Folder', [el('FolderId', '-1'), el('FolderName', '(no folder)')]),
  ]);
}

function domainJson(d: SimDomain): Record<string, unknown> {
  return {
    Name: d.name,
    Expiration: String(d.expiration),
    Registration: String(d.registration),
    NameServerSettings:
      d.nameservers.length > 0
        ? { Type: 'Name Servers', NameServers: d.nameservers.map((ns) => ({ ServerName: ns })) }
        : { Type: 'Dynadot Parking', WithAds: 'Yes' },
    Locked: yesNo(d.locked),
    Disabled: yesNo(d.disabled),
    Hold: yesNo(d.hold),
    Privacy: d.privacy,
    RenewOption: RENEW_OPTION_DISPLAY[d.renewOption],
  };
}

interface Command {
  root: string;
  header: string;
  codeTag: Reply['codeTag'];
  required: string[];
  run(q: URLSearchParams, s: State, now: number): Reply;
}

type Ok = Omit<Reply, 'root' | 'header' | 'codeTag' | 'code'>;

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/;

/** Every domain of a comma list must be in the account (the whole request fails). */
function ownedList(q: URLSearchParams, s: State): SimDomain[] | string {
  const names = (q.get('domain') ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (names.length > 100) return 'too many domains';
  const out: SimDomain[] = [];
  for (const name of names) {
    const d = s.domains.get(name);
    // Real text embeds the name (set_ns reply recorded by level23/dynadot-api).
    if (!d) return `could not find ${name} in your account`;
    out.push(d);
  }
  return out;
}

const NOT_IN_ACCOUNT = 'could not find domain in your account'; // real fixture text

function makeCommands(): Record<string, Command> {
  const cmd = (
    root: string,
    header: string,
    codeTag: Reply['codeTag'],
    required: string[],
    run: (q: URLSearchParams, s: State, now: number) => Ok | string,
  ): Command => ({
    root,
    header,
    codeTag,
    required,
    run(q, s, now) {
      const r = run(q, s, now);
      if (typeof r === 'string') return commandError(root, header, codeTag, r);
      return { root, header, codeTag, code: '0', status: 'success', ...r };
    },
  });

  return {
    search: {
      root: 'Results',
      header: 'SearchHeader',
      codeTag: 'SuccessCode',
      required: ['domain0'],
      run(q, s) {
        const names: string[] = [];
        for (let i = 0; i < 100; i++) {
          const v = q.get(`domain${i}`);
          if (v) names.push(v.trim().toLowerCase());
        }
        if (q.get('domain100')) names.push('?');
        const limit = s.tier === 'regular' ? 1 : 100;
        if (names.length > limit)
          return commandError('SearchResponse', 'SearchHeader', 'SuccessCode', 'too many domains');
        const showPrice = q.get('show_price') === '1';
        const currency = (q.get('currency') ?? s.currency).toUpperCase();
        const entries = names.map((name) => {
          const tld = name.slice(name.indexOf('.') + 1);
          const price = PRICES[tld];
          if (!HOSTNAME.test(name) || !price) {
            return el('SearchResponse', [
              el('SearchHeader', [
                el('SuccessCode', '-1'),
                el('DomainName', name),
                el('Status', 'error'),
                el('Error', price ? 'invalid domain name' : 'unsupported tld'),
              ]),
            ]);
          }
          const available = !s.domains.has(name) && !TAKEN.has(name) && !name.startsWith('taken');
          return el('SearchResponse', [
            el('SearchHeader', [
              el('SuccessCode', '0'),
              el('DomainName', name),
              el('Available', yesNo(available)),
              // Price only when asked and available (API3 document, `search`).
              ...(showPrice && available && currency === s.currency
                ? [el('Price', searchPriceText(s, name, price, currency))]
                : []),
            ]),
          ]);
        });
        return {
          root: 'Results',
          header: 'SearchHeader',
          codeTag: 'SuccessCode',
          code: '0',
          xml: toXml(el('Results', entries)),
          json: {
            SearchResults: entries.map((e) => {
              const h = e.children?.[0]?.children ?? [];
              return Object.fromEntries(
                h.filter((c) => c.name !== 'SuccessCode').map((c) => [c.name, c.text]),
              );
            }),
          },
        };
      },
    },

    domain_info: cmd('DomainInfoResponse', 'DomainInfoHeader', 'ResponseCode', ['domain'], (q, s) => {
      const d = s.domains.get(q.get('domain')!.trim().toLowerCase());
      if (!d) return NOT_IN_ACCOUNT;
      return { content: [el('DomainInfoContent', [domainXml(d)])], json: { DomainInfo: domainJson(d) } };
    }),

    list_domain: cmd('ListDomainInfoResponse', 'ListDomainInfoHeader', 'ResponseCode', [], (_q, s) => {
      const all = [...s.domains.values()];
      return {
        // All <Domain> elements inside one <DomainInfo>, as the API3 document's example.
        content: [
          el('ListDomainInfoContent', [el('DomainInfoList', [el('DomainInfo', all.map(domainXml))])]),
        ],
        json: { MainDomains: all.map(domainJson) },
      };
    }),

    renew: cmd('RenewResponse', 'RenewHeader', 'SuccessCode', ['domain', 'duration'], (q, s, now) => {
      const name = q.get('domain')!.trim().toLowerCase();
      const d = s.domains.get(name);
      if (!d) return NOT_IN_ACCOUNT;
      const years = Number(q.get('duration'));
      if (!Number.isInteger(years) || years < 1 || years > 10) return 'invalid duration';
      const year = q.get('year');
      if (year !== null && Number(year) !== new Date(d.expiration).getUTCFullYear()) {
        return 'the year does not match the current expiration year of the domain';
      }
      const tld = name.slice(name.indexOf('.') + 1);
      const cost = multiplyAmount(PRICES[tld]?.renew ?? '10.99', years);
      const late = d.expiration < now;
      if (q.has('price_check')) {
        return {
          status: 'price_check_success',
          headerExtra: [],
          content: [
            el(
              'PriceInfo',
              `Renewal Price: ${money2(cost)} ${s.currency}, Late Fee: ${late ? '20.00' : '0.00'}`,
            ),
          ],
        };
      }
      if (late && q.get('no_renew_if_late_renew_fee_needed') === '1')
        return 'late renew fee needed, domain not renewed';
      if (compareAmounts(s.balance, cost) < 0) return 'not enough account balance';
      s.balance = addAmounts(s.balance, `-${cost}`);
      const next = new Date(d.expiration);
      next.setUTCFullYear(next.getUTCFullYear() + years);
      d.expiration = next.getTime();
      const orderId = String(s.nextOrderId++);
      s.orders.set(orderId, {
        orderId,
        status: 'Completed',
        items: [{ type: 'domain renewal', name, status: 'Completed' }],
      });
      s.renewals.push({
        domain: name,
        years,
        at: new Date(now).toISOString(),
        charged: cost,
        newExpiry: new Date(d.expiration).toISOString(),
      });
      return {
        content: [el('RenewContent', [el('Expiration', String(d.expiration))])],
        json: { DomainName: name, Expiration: String(d.expiration) },
      };
    }),

    get_account_balance: cmd(
      'GetAccountBalanceResponse',
      'GetAccountBalanceHeader',
      'SuccessCode',
      [],
      (_q, s) => ({
        content: [
          el('GetAccountBalanceContent', [
            el('BalanceList', [el('Balance', [el('Currency', s.currency), el('Amount', money2(s.balance))])]),
          ]),
        ],
        json: { BalanceList: [{ Currency: s.currency, Amount: money2(s.balance) }] },
      }),
    ),

    account_info: cmd('AccountInfoResponse', 'AccountInfoHeader', 'ResponseCode', [], (_q, s) => {
      const info = {
        Username: 'sim-reseller',
        ForumName: 'sim forum',
        CustomerSince: '1364888735253',
        AccountLock: 'on',
        TotalSpending: '$0.00',
        PriceLevel: 'Regular Pricing',
        AccountBalance: `$${money2(s.balance)}`,
        CustomTimeZone: 'PST',
      };
      return {
        content: [
          el('AccountInfoContent', [
            el(
              'AccountInfo',
              Object.entries(info).map(([k, v]) => el(k, v)),
            ),
          ]),
        ],
        json: { AccountInfo: info },
      };
    }),

    tld_price: cmd('TldPriceResponse', 'TldPriceResponseHeader', 'SuccessCode', [], (q, s) => {
      const currency = (q.get('currency') ?? s.currency).toUpperCase();
      // The simulated account holds USD only; other currencies would need an exchange table.
      if (currency !== s.currency) return `unsupported currency: ${currency.toLowerCase()}`;
      const rows = Object.entries(PRICES).map(([tld, p]) =>
        el('TldContent', [
          el('Tld', `.${tld}`),
          el('Usage', 'Usage'),
          el('Price', [
            el('Unit', '(Price/1 year)'),
            el('Register', p.register),
            el('Renew', p.renew),
            el('Transfer', p.transfer),
          ]),
          el('Privacy', 'Yes'),
          el('GracePeriod', [el('Unit', '(Grace Period/days)'), el('Renew', '40'), el('Delete', '5')]),
          el('IDN', 'Yes'),
          el('Restrictions', '--'),
        ]),
      );
      return {
        headerExtra: [el('PriceLevel', 'Regular Pricing'), el('Currency', currency)],
        content: [el('TldPriceContent', rows)],
        json: {
          PriceLevel: 'Regular Pricing',
          Currency: currency,
          TldPrice: Object.entries(PRICES).map(([tld, p]) => ({
            Tld: `.${tld}`,
            Price: { Unit: '(Price/1 year)', Register: p.register, Renew: p.renew, Transfer: p.transfer },
          })),
        },
      };
    }),

    get_ns: cmd('GetNsResponse', 'GetNsHeader', 'SuccessCode', ['domain'], (q, s) => {
      const d = s.domains.get(q.get('domain')!.trim().toLowerCase());
      if (!d) return NOT_IN_ACCOUNT;
      return {
        content: [
          el(
            'NsContent',
            d.nameservers.map((h) => el('Host', h)),
          ),
        ],
        // Real JSON uses Host0, Host1… (as live replies show), not the API3 document's duplicate keys.
        json: { NsContent: Object.fromEntries(d.nameservers.map((h, i) => [`Host${i}`, h])) },
      };
    }),

    set_ns: cmd('SetNsResponse', 'SetNsHeader', 'SuccessCode', ['domain', 'ns0'], (q, s) => {
      const targets = ownedList(q, s);
      if (typeof targets === 'string') return targets;
      const hosts: string[] = [];
      for (let i = 0; i < 13; i++) {
        const v = q.get(`ns${i}`)?.trim().toLowerCase();
        if (v) hosts.push(v);
      }
      if (q.get('ns13')) return 'too many name servers';
      if (hosts.some((h) => !HOSTNAME.test(h))) {
        // Real text and spacing (set_ns reply recorded by jsok/terraform-provider-dynadot).
        return `Cannot set nameservers to these domains ( ${targets.map((d) => d.name).join(',')}).`;
      }
      // Lenient about hosts not yet in the account's server list: they are added.
      for (const d of targets) d.nameservers = hosts;
      return {};
    }),

    set_renew_option: cmd(
      'SetRenewOptionResponse',
      'SetRenewOptionHeader',
      'SuccessCode',
      ['domain', 'renew_option'],
      (q, s) => {
        const option = q.get('renew_option')!;
        if (option !== 'auto' && option !== 'donot' && option !== 'reset')
          return `invalid renew_option: ${option}`;
        const targets = ownedList(q, s);
        if (typeof targets === 'string') return targets;
        for (const d of targets) d.renewOption = option;
        return {};
      },
    ),

    lock_domain: cmd('LockDomainResponse', 'LockDomainHeader', 'SuccessCode', ['domain'], (q, s) => {
      const d = s.domains.get(q.get('domain')!.trim().toLowerCase());
      if (!d) return NOT_IN_ACCOUNT;
      d.locked = true;
      return {};
    }),

    get_transfer_status: cmd(
      'GetTransferStatusResponse',
      'GetTransferStatusHeader',
      'SuccessCode',
      ['domain', 'transfer_type'],
      (q, s) => {
        const type = q.get('transfer_type');
        if (type !== 'in' && type !== 'away') return `invalid transfer_type: ${type}`;
        const list = type === 'in' ? (s.transfers.get(q.get('domain')!.trim().toLowerCase()) ?? []) : [];
        return {
          content: [
            el('GetTransferStatusContent', [
              el(
                'TransferList',
                list.map((t) => el('Transfer', [el('OrderId', t.orderId), el('TransferStatus', t.status)])),
              ),
            ]),
          ],
          json: { TransferList: list.map((t) => ({ OrderId: t.orderId, TransferStatus: t.status })) },
        };
      },
    ),

    get_order_status: cmd(
      'GetOrderStatusResponse',
      'GetOrderStatusHeader',
      'ResponseCode',
      ['order_id'],
      (q, s) => {
        const order = s.orders.get(q.get('order_id')!);
        if (!order) return 'could not find order';
        return {
          content: [
            el('GetOrderStatusContent', [
              el('OrderId', order.orderId),
              el('OrderStatus', order.status),
              ...order.items.map((i) =>
                el('Item', [el('ItemTypeName', i.type), el('ItemName', i.name), el('ItemStatus', i.status)]),
              ),
            ]),
          ],
          json: {
            OrderStatus: {
              OrderId: order.orderId,
              OrderStatus: order.status,
              ItemList: order.items.map((i) => ({
                ItemTypeName: i.type,
                ItemName: i.name,
                ItemStatus: i.status,
              })),
            },
          },
        };
      },
    ),
  };
}

const COMMANDS = makeCommands();

/** `is_processing` (API3 document, `is_processing`): answered even while another request runs. */
function isProcessingReply(s: State): Reply {
  const msg = s.inFlight > 0 ? 'yes' : 'no';
  return {
    root: 'Response',
    header: 'ResponseHeader',
    codeTag: 'ResponseCode',
    code: '0',
    headerExtra: [el('ResponseMsg', msg)],
    json: { ResponseMsg: msg },
  };
}

export interface SeedDomainInput {
  name: string;
  /** ISO date or epoch ms. */
  expiresAt?: string | number;
  nameservers?: string[];
  locked?: boolean;
  renewOption?: SimDomain['renewOption'];
}

export interface DynadotSimOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The account this instance plays (sim/shared/instance.ts); none: the default account. */
  account?: string;
}

export function createDynadotLogic(opts: DynadotSimOptions = {}): HttpSimulatorLogic & { key: string } {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const instance = simInstance(opts.account);
  const apiKey = instance.credential(SIM_DYNADOT_KEY);
  let s = initialState(now(), instance);

  function reply(format: 'xml' | 'json', r: Reply): SimResponse {
    return format === 'xml'
      ? {
          status: r.httpStatus ?? 200,
          headers: { 'content-type': 'text/xml; charset=UTF-8' },
          body: renderXml(r),
        }
      : { status: r.httpStatus ?? 200, headers: { 'content-type': 'application/json' }, body: renderJson(r) };
  }

  function seedDomain(input: SeedDomainInput): SimDomain {
    const name = String(input.name ?? '')
      .trim()
      .toLowerCase();
    if (!HOSTNAME.test(name)) throw new Error(`not a domain name: ${JSON.stringify(input.name)}`);
    const exp =
      input.expiresAt === undefined
        ? now() + 365 * DAY
        : typeof input.expiresAt === 'number'
          ? input.expiresAt
          : Date.parse(input.expiresAt);
    if (!Number.isFinite(exp)) throw new Error(`bad expiresAt for ${name}`);
    const d: SimDomain = {
      name,
      registration: exp - 365 * DAY,
      expiration: exp,
      nameservers: input.nameservers ?? [],
      locked: input.locked ?? true,
      renewOption: input.renewOption ?? 'reset',
      privacy: 'full',
      hold: false,
      disabled: false,
    };
    s.domains.set(name, d);
    return d;
  }

  return {
    name: 'dynadot',
    key: apiKey,
    operationOf: (req) => req.query.get('command') ?? req.query.get('Command') ?? '',

    refuseStranger(req: SimRequest): SimResponse {
      return reply(req.path === '/api3.json' ? 'json' : 'xml', genericError(STRANGER_REFUSED));
    },

    async handle(req: SimRequest): Promise<SimResponse> {
      const format = req.path === '/api3.xml' ? 'xml' : req.path === '/api3.json' ? 'json' : undefined;
      if (!format) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
      if (req.method !== 'GET') return reply(format, genericError('only GET requests are accepted', 405));
      const q = req.query;
      const command = q.get('command') ?? q.get('Command') ?? '';
      s.calls[command || '(none)'] = (s.calls[command || '(none)'] ?? 0) + 1;
      if ((q.get('key') ?? q.get('Key')) !== apiKey) return reply(format, genericError('invalid key'));
      if (command === 'is_processing') return reply(format, isProcessingReply(s));
      const spec = COMMANDS[command];
      if (!spec) return reply(format, genericError('unsupported command'));

      s.inFlight++;
      s.maxConcurrent = Math.max(s.maxConcurrent, s.inFlight);
      const state = s;
      try {
        if (state.inFlight > state.threads) {
          state.concurrentRejections++;
          const busy: Reply =
            command === 'search'
              ? genericError('system_busy')
              : {
                  root: spec.root,
                  header: spec.header,
                  codeTag: spec.codeTag,
                  code: '5',
                  status: 'system_busy',
                };
          return reply(format, busy);
        }
        // Time the registrar spends on the call, inside its thread.
        if (state.hold) await new Promise<void>((resume) => state.parked.add(resume));
        if (state.processingMs > 0) await sleep(state.processingMs);
        const missing = spec.required.find((p) => !q.get(p));
        if (missing) {
          const root = command === 'search' ? 'SearchResponse' : spec.root;
          return reply(
            format,
            commandError(root, spec.header, spec.codeTag, `missing parameter: ${missing}`),
          );
        }
        return reply(format, spec.run(q, state, now()));
      } finally {
        state.inFlight--;
      }
    },

    state: () => ({
      balance: { amount: s.balance, currency: s.currency },
      tier: s.tier,
      domains: [...s.domains.values()].map((d) => ({
        name: d.name,
        expiresAt: new Date(d.expiration).toISOString(),
        nameservers: d.nameservers,
        locked: d.locked,
        renewOption: d.renewOption,
      })),
      renewals: s.renewals,
      orders: [...s.orders.values()],
      calls: s.calls,
      inFlight: s.inFlight,
      maxConcurrent: s.maxConcurrent,
      concurrentRejections: s.concurrentRejections,
      processingMs: s.processingMs,
      threads: s.threads,
      hold: s.hold,
      parked: s.parked.size,
      priceForm: s.priceForm,
    }),

    reset() {
      // A call a previous test left parked must not hang, nor act in the next test's state.
      releaseParked(s);
      s = initialState(now(), instance);
    },

    control(name, body) {
      const b = (body ?? {}) as Record<string, unknown>;
      if (name === 'domains') {
        // {domains: [{name, expiresAt?, …}]} or {generate: {count, prefix?, tld?}}
        const gen = b.generate as { count?: number; prefix?: string; tld?: string } | undefined;
        if (gen) {
          const count = Number(gen.count ?? 0);
          if (!Number.isInteger(count) || count < 0 || count > 100_000)
            throw new Error('generate.count: 0..100000');
          for (let i = 0; i < count; i++) {
            seedDomain({
              name: `${gen.prefix ?? 'bulk'}-${i}.${gen.tld ?? 'com'}`,
              expiresAt: now() + ((i % 700) + 1) * DAY,
              nameservers: ['ns1.sim-dns.net', 'ns2.sim-dns.net'],
            });
          }
          return { total: s.domains.size };
        }
        const list = Array.isArray(b.domains)
          ? (b.domains as SeedDomainInput[])
          : [b as unknown as SeedDomainInput];
        return { domains: list.map(seedDomain).map((d) => d.name), total: s.domains.size };
      }
      if (name === 'balance') {
        s.balance = String(b.amount ?? s.balance);
        return { balance: s.balance };
      }
      if (name === 'processing') {
        // {ms}: time inside each call; {hold: true}: park admitted calls; {hold: false}: let them go.
        if (b.ms !== undefined) s.processingMs = Math.max(0, Number(b.ms));
        let released = 0;
        if (b.hold !== undefined) {
          s.hold = b.hold === true;
          if (!s.hold) released = releaseParked(s);
        }
        return { processingMs: s.processingMs, hold: s.hold, released };
      }
      if (name === 'threads') {
        const max = Number(b.max);
        // 35: the most any price level is said to get (super bulk).
        if (!Number.isInteger(max) || max < 1 || max > 35) throw new Error('threads.max: 1..35');
        s.threads = max;
        return { threads: s.threads };
      }
      if (name === 'search-price') {
        if (b.form !== undefined) {
          if (b.form !== 'document' && b.form !== 'labelled') throw new Error('form is document or labelled');
          s.priceForm = b.form;
        }
        const texts = (b.text ?? {}) as Record<string, unknown>;
        for (const [domain, raw] of Object.entries(texts)) s.priceText.set(domain.toLowerCase(), String(raw));
        return { priceForm: s.priceForm, priceText: Object.fromEntries(s.priceText) };
      }
      if (name === 'premium') {
        const domain = String(b.domain ?? '').toLowerCase();
        if (!HOSTNAME.test(domain)) throw new Error('premium: {domain, register, renew}');
        s.premium.set(domain, { register: String(b.register), renew: String(b.renew ?? b.register) });
        return { premium: Object.fromEntries(s.premium) };
      }
      if (name === 'tier') {
        if (b.tier !== 'regular' && b.tier !== 'bulk') throw new Error('tier is regular or bulk');
        s.tier = b.tier;
        return { tier: s.tier };
      }
      if (name === 'transfers') {
        const domain = String(b.domain ?? '').toLowerCase();
        const list = s.transfers.get(domain) ?? [];
        list.push({ orderId: String(b.orderId ?? s.nextOrderId++), status: String(b.status ?? 'waiting') });
        s.transfers.set(domain, list);
        return { transfers: list };
      }
      throw new Error(`unknown control ${name}`);
    },
  };
}
