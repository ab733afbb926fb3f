/**
 * LogicBoxes (ResellerClub) simulator logic: pure request → response, built from LogicBoxes'
 * `domains/renew` API page (Chinese edition, "the renew document") and real replies other projects recorded
 * from the demo system (hiqdev/hiapi-directi, Pitchero/ResellerClub, TI-Sin-Problemas/resellerclub-python),
 * not from our client. It does not import the gateway's codec.
 *
 * What it enforces, like the real API:
 * - `auth-userid` + `api-key` on every call (renew document, Parameters); a wrong pair is an ERROR envelope.
 * - The caller's IP against the reseller's API allow-list, when one is set (`allowFrom`, `POST
 *   /__sim/allowlist`): a stranger gets HTTP 500 with the ERROR envelope and the message "Access
 *   Denied. You are not authorized to perform this action." (`refuseStranger`; the message a
 *   non-allow-listed server saw, boxbilling #278; the HTTP 500, FOSSBilling #1380; see
 *   docs/decisions.md, LogicBoxes: a caller outside the allow-list).
 * - Every required parameter (`Required parameter missing: exp-date`, FOSSBilling #4229).
 * - POST for state-changing calls (renew is POST: renew document, HTTP Method): GET answers 405 with an ERROR
 *   envelope (docs/decisions.md, LogicBoxes: wrong HTTP method).
 * - `exp-date` must equal the order's current `endtime` exactly (renew document, Parameters: the reading that protects money):
 *   an older value is `Domain already renewed.` (the live message Pitchero's client maps), any other value
 *   `Invalid exp-date …`; both HTTP 500, nothing renewed.
 * - `orderid.json` for a name not in the account: HTTP 500 with an ERROR envelope (FOSSBilling #2096).
 * - The four `invoice-option` behaviours (renew document, Parameters; see `renew`).
 * - Premium orders need `attr-name1=premium&attr-value1=true` (renew document, premium example).
 * - Errors are `{"status":"ERROR","message":…}` with HTTP 500 (renew document, Note); all
 *   scalar values in replies are strings, as in the real replies.
 */
import type { SimRequest, SimResponse } from '../shared/http-sim';
import { type SimInstance, simInstance } from '../shared/instance';

export const SIM_AUTH_USERID = '990001';
export const SIM_API_KEY = 'sim-logicboxes-key-0001';

const DAY = 86_400;
const INVOICE_OPTIONS = ['NoInvoice', 'PayInvoice', 'KeepInvoice', 'OnlyAdd'] as const;
type InvoiceOption = (typeof INVOICE_OPTIONS)[number];

/** TLDs without the privacy add-on (renew document, Parameters). */
const NO_PRIVACY = [
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
];

const DETAIL_OPTIONS = new Set([
  'All',
  'OrderDetails',
  'ContactIds',
  'RegistrantContactDetails',
  'AdminContactDetails',
  'TechContactDetails',
  'BillingContactDetails',
  'NsDetails',
  'DomainStatus',
  'DNSSECDetails',
  'StatusDetails',
]);

/** Paths that change state: POST only. */
const POST_ONLY = new Set([
  'domains/renew',
  'domains/modify-ns',
  'domains/enable-theft-protection',
  'domains/disable-theft-protection',
]);

export interface SimOrder {
  orderid: string;
  domain: string;
  customerid: string;
  endtime: number;
  creationtime: number;
  currentstatus: string;
  privacy: boolean;
  privacyAllowed: boolean;
  premium: boolean;
  ns: string[];
  theftProtection: boolean;
  autoRenew: boolean;
  /** The eaqid of an action waiting for its invoice. */
  pendingEaqid?: string;
  /** An incoming transfer in progress: the order's current action. */
  transfer?: { eaqid: string; status: string; desc: string };
}

export interface SimInvoice {
  invoiceid: string;
  orderid: string;
  customerid: string;
  eaqid: string;
  amount: string;
  currency: string;
  paid: boolean;
  years: number;
  invoiceOption: InvoiceOption;
}

export interface SimState {
  reseller: {
    id: string;
    apiKey: string;
    currency: string;
    balance: string;
    /** Whether `reseller-balance.json` names its currency (`sellingcurrencysymbol`). */
    balanceSymbol: boolean;
  };
  customers: Record<string, { balance: string }>;
  orders: Map<string, SimOrder>;
  invoices: SimInvoice[];
  renewals: Array<{ domain: string; years: number; at: string; orderId: string; invoiceOption: string }>;
  actions: Array<{ eaqid: string; orderid: string; type: string; status: string }>;
  calls: Record<string, number>;
  nextId: number;
}

// Per-year prices in the reseller's currency, by product key (reseller cost; customers pay more).
const RESELLER_RATE: Record<string, string> = {
  domcno: '9.00',
  dotnet: '11.00',
  domorg: '10.00',
  dominfo: '4.00',
  dotio: '35.00',
  dotco: '25.00',
  thirdleveldotuk: '6.00',
};
const CUSTOMER_MARKUP_CENTS = 300; // customers pay 3.00 more per year

function productKeyFor(domain: string): string {
  const labels = domain.split('.');
  const tld = labels.slice(1).join('.');
  if (tld === 'com') return 'domcno';
  if (tld === 'org') return 'domorg';
  if (tld === 'info') return 'dominfo';
  if (labels.length === 3) return `thirdleveldot${labels[2]}`;
  return `dot${tld}`;
}

// Money in cents as BigInt-free integers: every amount here has two decimals at most.
const cents = (s: string) => Math.round(Number(s) * 100);
const fromCents = (c: number, digits = 2) => (c / 100).toFixed(digits);

export class LogicboxesSim {
  s!: SimState;
  constructor(
    private readonly now: () => number = Date.now,
    /** The account this instance plays (sim/shared/instance.ts); the default one unless named. */
    readonly instance: SimInstance = simInstance(),
  ) {
    this.reset();
  }

  reset(): void {
    const t = Math.floor(this.now() / 1000);
    this.s = {
      reseller: {
        id: this.instance.numericId(SIM_AUTH_USERID),
        apiKey: this.instance.credential(SIM_API_KEY),
        currency: 'USD',
        balance: this.instance.balance('1000.00'),
        balanceSymbol: true,
      },
      customers: { '5000001': { balance: '500.00' }, '5000002': { balance: '0.00' } },
      orders: new Map(),
      invoices: [],
      renewals: [],
      actions: [],
      calls: {},
      nextId: 1,
    };
    const seed: Array<Partial<SimOrder> & { domain: string; endtime: number }> = [
      {
        domain: 'example-active.com',
        endtime: t + 200 * DAY,
        privacy: true,
        theftProtection: true,
        autoRenew: true,
      },
      { domain: 'expiring-soon.net', endtime: t + 7 * DAY },
      { domain: 'nearly-gone.org', endtime: t + 2 * DAY, theftProtection: true },
      { domain: 'privacy-blocked.co.uk', endtime: t + 40 * DAY, privacy: true },
      { domain: 'premium-name.com', endtime: t + 20 * DAY, premium: true },
      { domain: 'poor-customer.info', endtime: t + 15 * DAY, customerid: '5000002' },
      {
        domain: 'transfer-in.io',
        endtime: t + 100 * DAY,
        currentstatus: 'InActive',
        transfer: { eaqid: '700000001', status: 'PendingTransfer', desc: 'Transfer awaiting approval' },
      },
    ];
    for (const o of seed) this.addOrder({ ...o, domain: this.instance.domain(o.domain) });
  }

  private id(base: number): string {
    return String(base + this.s.nextId++);
  }

  addOrder(o: Partial<SimOrder> & { domain: string; endtime: number }): SimOrder {
    const domain = o.domain.toLowerCase();
    if ([...this.s.orders.values()].some((x) => x.domain === domain)) throw new Error(`${domain} exists`);
    const order: SimOrder = {
      orderid: o.orderid ?? this.id(90_000_000),
      domain,
      customerid: o.customerid ?? '5000001',
      endtime: o.endtime,
      creationtime: o.creationtime ?? o.endtime - 365 * DAY,
      currentstatus: o.currentstatus ?? 'Active',
      privacy: o.privacy ?? false,
      privacyAllowed: o.privacyAllowed ?? !NO_PRIVACY.some((s) => domain.endsWith(`.${s}`)),
      premium: o.premium ?? false,
      ns: o.ns ?? ['ns1.sim-dns.net', 'ns2.sim-dns.net'],
      theftProtection: o.theftProtection ?? false,
      autoRenew: o.autoRenew ?? false,
      transfer: o.transfer,
    };
    this.s.orders.set(order.orderid, order);
    return order;
  }

  state() {
    return {
      reseller: {
        id: this.s.reseller.id,
        currency: this.s.reseller.currency,
        balance: this.s.reseller.balance,
      },
      customers: this.s.customers,
      orders: [...this.s.orders.values()].map((o) => ({
        ...o,
        expiresAt: new Date(o.endtime * 1000).toISOString(),
      })),
      invoices: this.s.invoices,
      pendingInvoices: this.s.invoices.filter((i) => !i.paid),
      renewals: this.s.renewals,
      actions: this.s.actions,
      calls: this.s.calls,
    };
  }

  control(name: string, body: unknown): unknown {
    const b = (body ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'domains': {
        const list = Array.isArray(b.domains) ? (b.domains as Record<string, unknown>[]) : [b];
        return {
          orders: list.map((d) => {
            const endtime =
              typeof d.expiresAt === 'string'
                ? Math.floor(Date.parse(d.expiresAt) / 1000)
                : Number(d.endtime);
            if (typeof d.domain !== 'string' || !Number.isInteger(endtime)) {
              throw new Error(
                'a domain is {domain, expiresAt (ISO) | endtime (epoch s), premium?, privacy?, …}',
              );
            }
            const o = this.addOrder({ ...(d as Partial<SimOrder>), domain: d.domain, endtime });
            return { orderId: o.orderid, domain: o.domain, endtime: o.endtime };
          }),
        };
      }
      case 'bulk-domains': {
        const count = Number(b.count ?? 0);
        const t = Math.floor(this.now() / 1000);
        for (let i = 0; i < count; i++)
          this.addOrder({ domain: `bulk-${i}.com`, endtime: t + (30 + (i % 300)) * DAY });
        return { orders: this.s.orders.size };
      }
      case 'pay-invoice':
        return this.payInvoice(String(b.invoiceId ?? ''));
      case 'api-key':
        this.s.reseller.apiKey = String(b.apiKey ?? '');
        return { ok: true };
      case 'balance':
        this.s.reseller.balance = fromCents(cents(String(b.amount)));
        return { balance: this.s.reseller.balance };
      case 'reseller-currency': {
        // {code}: the currency the account is billed in; {balanceSymbol: false}: the balance reply
        // leaves out `sellingcurrencysymbol`, as replies the vendor's own modules cope with.
        if (b.code !== undefined) {
          if (!/^[A-Z]{3}$/.test(String(b.code))) throw new Error('code is an ISO 4217 code');
          this.s.reseller.currency = String(b.code);
        }
        if (b.balanceSymbol !== undefined) this.s.reseller.balanceSymbol = b.balanceSymbol === true;
        return { currency: this.s.reseller.currency, balanceSymbol: this.s.reseller.balanceSymbol };
      }
      case 'customer-balance':
        this.s.customers[String(b.customerId)] = { balance: fromCents(cents(String(b.amount))) };
        return { ok: true };
      case 'transfer-status': {
        const o = this.byDomain(String(b.domain));
        if (!o?.transfer) throw new Error('no transfer on that domain');
        o.transfer.status = String(b.status);
        if (o.transfer.status === 'Success') o.currentstatus = 'Active';
        return { ok: true };
      }
      default:
        throw new Error(`unknown control ${name}`);
    }
  }

  private byDomain(domain: string): SimOrder | undefined {
    return [...this.s.orders.values()].find((o) => o.domain === domain.toLowerCase());
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  operationOf(req: SimRequest): string {
    return req.path.replace(/^\/api\//, '').replace(/\.json$/, '');
  }

  /** A caller outside the reseller's API allow-list: refused before anything is read or counted. */
  refuseStranger(_req: SimRequest): SimResponse {
    return error(500, ACCESS_DENIED);
  }

  handle(req: SimRequest): SimResponse {
    const op = this.operationOf(req);
    this.s.calls[op] = (this.s.calls[op] ?? 0) + 1;
    if (!req.path.startsWith('/api/') || !req.path.endsWith('.json'))
      return error(404, `Unknown API call: ${req.path}`);
    if (POST_ONLY.has(op) && req.method !== 'POST') {
      return error(405, `Method ${req.method} is not supported for ${op}.json; use POST`);
    }
    if (!POST_ONLY.has(op) && req.method !== 'GET' && req.method !== 'POST') {
      return error(405, `Method ${req.method} is not supported`);
    }
    const p = params(req);
    const userId = p.get('auth-userid');
    const apiKey = p.get('api-key');
    if (!userId) return error(500, 'Required parameter missing: auth-userid');
    if (!apiKey) return error(500, 'Required parameter missing: api-key');
    if (userId !== this.s.reseller.id || apiKey !== this.s.reseller.apiKey) {
      return error(500, `Invalid credentials for ${userId}`);
    }
    switch (op) {
      case 'domains/available':
        return this.available(p);
      case 'domains/orderid':
        return this.orderid(p);
      case 'domains/details':
        return this.details(p, 'order-id');
      case 'domains/details-by-name':
        return this.details(p, 'domain-name');
      case 'domains/search':
        return this.search(p);
      case 'domains/renew':
        return this.renew(p);
      case 'domains/modify-ns':
        return this.modifyNs(p);
      case 'domains/enable-theft-protection':
        return this.theft(p, true);
      case 'domains/disable-theft-protection':
        return this.theft(p, false);
      case 'billing/reseller-balance':
        return this.balance(p);
      case 'resellers/details':
        return this.resellerDetails(p);
      case 'products/reseller-price':
        return ok(this.priceList(0));
      case 'products/customer-price':
        return ok(this.priceList(CUSTOMER_MARKUP_CENTS));
      default:
        return error(404, `Unknown API call: ${op}.json`);
    }
  }

  private available(p: Params): SimResponse {
    const slds = p.all('domain-name');
    const tlds = p.all('tlds');
    if (slds.length === 0) return error(500, 'Required parameter missing: domain-name');
    if (tlds.length === 0) return error(500, 'Required parameter missing: tlds');
    const out: Record<string, { classkey: string; status: string }> = {};
    for (const sld of slds) {
      for (const tld of tlds) {
        if (sld.includes('.') || tld.startsWith('.'))
          return error(500, `Invalid domain-name or tlds: ${sld} ${tld}`);
        const name = `${sld}.${tld}`.toLowerCase();
        const status = this.byDomain(name)
          ? 'regthroughus'
          : /^(google|github|taken|example)$/.test(sld.toLowerCase())
            ? 'regthroughothers'
            : tld === 'name'
              ? 'unknown'
              : 'available';
        out[name] = { classkey: productKeyFor(name), status };
      }
    }
    return ok(out);
  }

  private orderid(p: Params): SimResponse {
    const name = p.get('domain-name');
    if (!name) return error(500, 'Required parameter missing: domain-name');
    const o = this.byDomain(name);
    // The real API answers a name that is not in the account with HTTP 500 (FOSSBilling #2096).
    if (!o) return error(500, `Website doesn't exist for ${name}`);
    return { status: 200, headers: JSON_TYPE, body: o.orderid };
  }

  private order(p: Params): SimOrder | SimResponse {
    const id = p.get('order-id');
    if (!id) return error(500, 'Required parameter missing: order-id');
    if (!/^\d+$/.test(id)) return error(500, `Invalid order-id: ${id}`);
    const o = this.s.orders.get(id);
    if (!o) return error(500, `No Entity found for order-id ${id}`);
    return o;
  }

  private details(p: Params, by: 'order-id' | 'domain-name'): SimResponse {
    let o: SimOrder | undefined;
    if (by === 'domain-name') {
      const name = p.get('domain-name');
      if (!name) return error(500, 'Required parameter missing: domain-name');
      o = this.byDomain(name);
      if (!o) return error(500, `Website doesn't exist for ${name}`);
    } else {
      const found = this.order(p);
      if ('status' in found) return found;
      o = found;
    }
    const options = p.all('options');
    if (options.length === 0) return error(500, 'Required parameter missing: options');
    const bad = options.find((x) => !DETAIL_OPTIONS.has(x));
    if (bad) return error(500, `Invalid value for options: ${bad}`);
    const all = options.includes('All');
    const out: Record<string, unknown> = {
      orderid: o.orderid,
      entityid: o.orderid,
      description: o.domain,
      domainname: o.domain,
      endtime: String(o.endtime),
      creationtime: String(o.creationtime),
      currentstatus: o.currentstatus,
      customerid: o.customerid,
      productkey: productKeyFor(o.domain),
      classkey: productKeyFor(o.domain),
      productcategory: 'domorder',
      isprivacyprotected: String(o.privacy),
      privacyprotectedallowed: String(o.privacyAllowed),
      recurring: String(o.autoRenew),
      eaqid: o.pendingEaqid ?? o.transfer?.eaqid ?? '0',
      paused: 'false',
    };
    if (o.premium) out.ispremium = 'true';
    if (o.transfer) {
      out.actiontype = 'AddTransferDomain';
      out.actionstatus = o.transfer.status;
      out.actionstatusdesc = o.transfer.desc;
    }
    if (all || options.includes('StatusDetails') || options.includes('OrderDetails')) {
      out.orderstatus = o.theftProtection ? ['transferlock'] : [];
      out.domainstatus = [];
    }
    if (all || options.includes('NsDetails')) {
      out.noOfNameServers = String(o.ns.length);
      o.ns.forEach((ns, i) => {
        out[`ns${i + 1}`] = ns;
      });
    }
    return ok(out);
  }

  private search(p: Params): SimResponse {
    const per = p.get('no-of-records');
    const page = p.get('page-no');
    if (!per) return error(500, 'Required parameter missing: no-of-records');
    if (!page) return error(500, 'Required parameter missing: page-no');
    const n = Number(per);
    const pg = Number(page);
    if (!Number.isInteger(n) || n < 10 || n > 500)
      return error(500, 'Invalid no-of-records: must be 10 to 500');
    if (!Number.isInteger(pg) || pg < 1) return error(500, 'Invalid page-no');
    const all = [...this.s.orders.values()].sort((a, b) => Number(a.orderid) - Number(b.orderid));
    const slice = all.slice((pg - 1) * n, pg * n);
    const out: Record<string, unknown> = { recsonpage: String(slice.length), recsindb: String(all.length) };
    slice.forEach((o, i) => {
      out[String(i + 1)] = {
        'orders.orderid': o.orderid,
        'entity.entityid': o.orderid,
        'entity.description': o.domain,
        'orders.endtime': String(o.endtime),
        'orders.creationtime': String(o.creationtime),
        'entity.currentstatus': o.currentstatus,
        'orders.autorenew': String(o.autoRenew),
        'entity.customerid': o.customerid,
        'entitytype.entitytypekey': productKeyFor(o.domain),
      };
    });
    return ok(out);
  }

  private rate(domain: string, markupCents: number): number | undefined {
    const r = RESELLER_RATE[productKeyFor(domain)];
    return r === undefined ? undefined : cents(r) + markupCents;
  }

  /**
   * The four invoice options (renew document, Parameters):
   * - NoInvoice: no invoice; the order executes now; the reseller pays.
   * - PayInvoice: an invoice; paid from the customer's balance when it suffices (executes now),
   *   else it stays unpaid and the action pending.
   * - KeepInvoice: an unpaid invoice for the customer; the order executes now.
   * - OnlyAdd: an unpaid invoice; the action stays pending until it is paid.
   */
  private renew(p: Params): SimResponse {
    for (const name of ['order-id', 'years', 'exp-date', 'invoice-option']) {
      if (!p.get(name)) return error(500, `Required parameter missing: ${name}`);
    }
    const found = this.order(p);
    if ('status' in found) return found;
    const o = found;
    const years = p.get('years')!;
    const expDate = p.get('exp-date')!;
    const option = p.get('invoice-option')! as InvoiceOption;
    if (!/^\d+$/.test(years)) return error(500, `Invalid value for years: ${years}`);
    if (!/^\d+$/.test(expDate)) return error(500, `Invalid value for exp-date: ${expDate}`);
    if (!INVOICE_OPTIONS.includes(option)) {
      return error(500, `Invalid invoice-option: ${option}. Valid values are ${INVOICE_OPTIONS.join(', ')}`);
    }
    if (o.pendingEaqid) return error(500, 'There is already an action pending on this Order.');
    if (Number(expDate) < o.endtime) return error(500, 'Domain already renewed.');
    if (Number(expDate) !== o.endtime) {
      return error(500, `Invalid exp-date: ${expDate} does not match the current expiry date of the order`);
    }
    const y = Number(years);
    const newEnd = o.endtime + y * 365 * DAY;
    if (y < 1 || y > 10 || newEnd - Math.floor(this.now() / 1000) > 10 * 365 * DAY + DAY) {
      return error(
        500,
        `Invalid years: ${years}. A domain can be renewed for 1-10 years, up to 10 years ahead`,
      );
    }
    if (o.premium && !(p.get('attr-name1') === 'premium' && p.get('attr-value1') === 'true')) {
      return error(
        500,
        'Premium domain: attr-name1=premium and attr-value1=true are required for its renewal',
      );
    }
    const rate = this.rate(o.domain, 0);
    if (rate === undefined) return error(500, `Renewal is not available for ${o.domain}`);
    const premiumFactor = o.premium ? 20 : 1;
    const cost = rate * y * premiumFactor;
    const customerAmount = (rate + CUSTOMER_MARKUP_CENTS) * y * premiumFactor;
    const resellerBalance = cents(this.s.reseller.balance);
    const customer = this.s.customers[o.customerid] ?? { balance: '0.00' };

    const eaqid = this.id(500_000_000);
    const executesNow =
      option === 'NoInvoice' ||
      option === 'KeepInvoice' ||
      (option === 'PayInvoice' && cents(customer.balance) >= customerAmount);
    if (executesNow && resellerBalance < cost) {
      return error(500, 'Insufficient funds in the reseller account to execute this order');
    }
    let invoice: SimInvoice | undefined;
    if (option !== 'NoInvoice') {
      invoice = {
        invoiceid: this.id(80_000_000),
        orderid: o.orderid,
        customerid: o.customerid,
        eaqid,
        amount: fromCents(customerAmount),
        currency: this.s.reseller.currency,
        paid: false,
        years: y,
        invoiceOption: option,
      };
      this.s.invoices.push(invoice);
    }
    if (option === 'PayInvoice' && executesNow && invoice) {
      customer.balance = fromCents(cents(customer.balance) - customerAmount);
      this.s.customers[o.customerid] = customer;
      invoice.paid = true;
    }
    const wantsPrivacy = p.get('purchase-privacy') === 'true';
    let actionstatus: string;
    let actionstatusdesc: string;
    if (executesNow) {
      this.s.reseller.balance = fromCents(resellerBalance - cost);
      o.endtime = newEnd;
      this.s.renewals.push({
        domain: o.domain,
        years: y,
        at: new Date(this.now()).toISOString(),
        orderId: o.orderid,
        invoiceOption: option,
      });
      actionstatus = 'Success';
      actionstatusdesc = 'Domain renewed successfully';
    } else {
      o.pendingEaqid = eaqid;
      actionstatus = 'PendingExecution';
      actionstatusdesc = `Renewal pending payment of invoice ${invoice?.invoiceid}`;
    }
    this.s.actions.push({ eaqid, orderid: o.orderid, type: 'RenewDomain', status: actionstatus });
    const reply: Record<string, unknown> = {
      actiontypedesc: `Renewal of ${o.domain} for ${y} year${y > 1 ? 's' : ''}`,
      entityid: o.orderid,
      actionstatus,
      status: 'Success',
      eaqid,
      description: o.domain,
      actiontype: 'RenewDomain',
      actionstatusdesc,
    };
    if (invoice) {
      // These five fields (renew document, Note) only exist when an invoice was generated.
      reply.invoiceid = invoice.invoiceid;
      reply.sellingcurrencysymbol = this.s.reseller.currency;
      reply.sellingamount = `-${fromCents(customerAmount, 3)}`;
      reply.unutilisedsellingamount = `-${fromCents(invoice.paid ? customerAmount : 0, 3)}`;
      reply.customerid = o.customerid;
    }
    if (wantsPrivacy) {
      // Not in the document; matches the real Pitchero reply: the renewal goes on, privacy reports its error.
      reply.privacydetails =
        o.privacyAllowed && !NO_PRIVACY.some((s) => o.domain.endsWith(`.${s}`))
          ? {
              actiontypedesc: `Purchase of Privacy Protection Service for domain ${o.domain}`,
              entityid: o.orderid,
              actionstatus,
              status: 'Success',
              eaqid: this.id(500_000_000),
              description: o.domain,
              actiontype: 'PurchasePrivacyProtection',
              actionstatusdesc: executesNow ? 'Operation completed successfully' : 'Pending',
              ...(invoice
                ? {
                    invoiceid: invoice.invoiceid,
                    sellingcurrencysymbol: this.s.reseller.currency,
                    sellingamount: '0.000',
                    unutilisedsellingamount: '0.000',
                    customerid: o.customerid,
                  }
                : {}),
            }
          : { entityid: o.orderid, status: 'error', error: 'Privacy Protection Service not available.' };
    }
    return ok(reply);
  }

  /** Paying a pending invoice executes the action it holds (OnlyAdd / unpaid PayInvoice). */
  private payInvoice(invoiceId: string) {
    const inv = this.s.invoices.find((i) => i.invoiceid === invoiceId);
    if (!inv) throw new Error(`no invoice ${invoiceId}`);
    if (inv.paid) throw new Error(`invoice ${invoiceId} is already paid`);
    inv.paid = true;
    const o = this.s.orders.get(inv.orderid)!;
    if (o.pendingEaqid === inv.eaqid) {
      const cost = (this.rate(o.domain, 0) ?? 0) * inv.years * (o.premium ? 20 : 1);
      this.s.reseller.balance = fromCents(cents(this.s.reseller.balance) - cost);
      o.endtime += inv.years * 365 * DAY;
      o.pendingEaqid = undefined;
      const action = this.s.actions.find((a) => a.eaqid === inv.eaqid);
      if (action) action.status = 'Success';
      this.s.renewals.push({
        domain: o.domain,
        years: inv.years,
        at: new Date(this.now()).toISOString(),
        orderId: o.orderid,
        invoiceOption: inv.invoiceOption,
      });
    }
    return { paid: invoiceId, domain: o.domain, expiresAt: new Date(o.endtime * 1000).toISOString() };
  }

  private modifyNs(p: Params): SimResponse {
    const found = this.order(p);
    if ('status' in found) return found;
    const ns = p.all('ns');
    if (ns.length === 0) return error(500, 'Required parameter missing: ns');
    if (ns.length > 13) return error(500, 'Invalid ns: at most 13 name servers');
    const bad = ns.find((n) => !/^([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(n));
    if (bad) return error(500, `Invalid ns: ${bad}`);
    found.ns = ns.map((n) => n.toLowerCase());
    return ok(
      this.action(
        found,
        'ModNS',
        `Modification of Nameservers of ${found.domain} to [${found.ns.join(', ')}]`,
        'Modification Completed Successfully.',
      ),
    );
  }

  private theft(p: Params, enable: boolean): SimResponse {
    const found = this.order(p);
    if ('status' in found) return found;
    found.theftProtection = enable;
    return ok(
      this.action(
        found,
        enable ? 'EnableTheftProtection' : 'DisableTheftProtection',
        `${enable ? 'Enabling' : 'Disabling'} Theft Protection of ${found.domain}`,
        'Operation completed successfully',
      ),
    );
  }

  private action(o: SimOrder, type: string, typeDesc: string, statusDesc: string) {
    const eaqid = this.id(500_000_000);
    this.s.actions.push({ eaqid, orderid: o.orderid, type, status: 'Success' });
    return {
      actiontypedesc: typeDesc,
      entityid: o.orderid,
      actionstatus: 'Success',
      status: 'Success',
      eaqid,
      currentaction: eaqid,
      description: o.domain,
      actiontype: type,
      actionstatusdesc: statusDesc,
    };
  }

  private balance(p: Params): SimResponse {
    const id = p.get('reseller-id');
    if (!id) return error(500, 'Required parameter missing: reseller-id');
    if (id !== this.s.reseller.id)
      return error(500, `You are not authorized to view the balance of reseller ${id}`);
    const r = this.s.reseller;
    return ok({
      sellingcurrencybalance: r.balance,
      ...(r.balanceSymbol ? { sellingcurrencysymbol: r.currency } : {}),
      sellingcurrencylockedbalance: '0.00',
      accountingcurrencybalance: r.balance,
      ...(r.balanceSymbol ? { accountingcurrencysymbol: r.currency } : {}),
    });
  }

  /**
   * `resellers/details.json` (not in the document, which covers `domains/renew` only): the fields
   * the vendor's WHMCS and Blesta modules read (`parentsellingcurrencysymbol` for the account's
   * currency, `fundthreshold`, `brandingurl`), for the caller's own reseller id only.
   */
  private resellerDetails(p: Params): SimResponse {
    const id = p.get('reseller-id');
    if (!id) return error(500, 'Required parameter missing: reseller-id');
    if (id !== this.s.reseller.id) return error(500, `You are not authorized to view reseller ${id}`);
    const r = this.s.reseller;
    return ok({
      resellerid: r.id,
      username: 'reseller@sim-logicboxes.test',
      name: 'Sim Reseller',
      company: 'Sim Hosting Ltd',
      resellerstatus: 'Active',
      brandingurl: 'sim-reseller.myorderbox.com',
      fundthreshold: '0.00',
      sellingcurrencysymbol: r.currency,
      parentsellingcurrencysymbol: r.currency,
    });
  }

  private priceList(markupCents: number) {
    const out: Record<string, Record<string, Record<string, string>>> = {};
    for (const [key, rate] of Object.entries(RESELLER_RATE)) {
      const perYear = fromCents(cents(rate) + markupCents);
      const table = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), perYear]));
      out[key] = {
        addnewdomain: table,
        renewdomain: table,
        transferdomain: { '1': perYear },
        restoredomain: { '1': fromCents(8000 + markupCents) },
      };
    }
    return out;
  }
}

const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };

function ok(value: unknown): SimResponse {
  return { status: 200, headers: JSON_TYPE, body: JSON.stringify(value) };
}

/** What LogicBoxes answers a server outside the reseller's API allow-list (boxbilling #278). */
export const ACCESS_DENIED = 'Access Denied. You are not authorized to perform this action.';

function error(status: number, message: string): SimResponse {
  return { status, headers: JSON_TYPE, body: JSON.stringify({ status: 'ERROR', message }) };
}

interface Params {
  get(name: string): string | undefined;
  all(name: string): string[];
}

/** Query string and form body together (the renew document's examples put POST parameters in the query). */
function params(req: SimRequest): Params {
  const body = /application\/x-www-form-urlencoded/i.test(String(req.headers['content-type'] ?? ''))
    ? new URLSearchParams(req.body)
    : new URLSearchParams();
  const all = (name: string) => [...req.query.getAll(name), ...body.getAll(name)].filter((v) => v !== '');
  return { get: (name) => all(name)[0], all };
}
