/**
 * 35.com registrar behaviour for the simulator, built from the registrar's document (the 35.com
 * API user manual, "API 用户使用手册" 2.7.4; § = its sections): what one request does to the state
 * and which reply document it gets. The TCP transport (greeting, framing, faults, closing) is in
 * `server.ts`.
 *
 * Validation order (ours: the manual lists the codes in §8.4 but not the order the server checks
 * them in): XML → known command (2000) → logged in (5500) → session command
 * limit (2500 + close) → required params (2003) → checksum (6000) → value syntax/range (2005/2004)
 * → business rules (2303, 2306, 2104, 2105, …).
 */
import {
  acceptedRequestChecksums,
  formulaOf,
  md5,
  type Param,
  replyChecksum,
  type Signer,
  svtridOf,
  termsText,
} from './checksums';
import { asciiName, domainTypeOf, wireName } from './domain-names';
import { Refusal } from './refusal';
import { addYearsToDay, type SeedServiceInput, SimServices, serviceOperationName } from './services';
import { type IncomingRequest, readRequest, renderReply } from './wire';

/** The start of Login's 2500 value for a client address outside the account's allow-list (our choice). */
export const STRANGER_REFUSED = 'IP address not allowed';

export interface SimAccount {
  clid: string;
  password: string;
  /** Balance in fen (1/100 CNY): integers only, never a float. */
  balanceFen: number;
}

export interface SimDomain {
  /** As 35.com stores and expects it: punycode, or native script for .cn/.中国. */
  name: string;
  type: string;
  owner: string;
  crDate: string;
  exDate: string;
  dns: string[];
  password: string;
  /** Lock statuses (`clientTransferProhibited`). */
  status: string[];
  /** Extra services (`clientAutoRenew`). */
  extras: string[];
  lastRenewAt?: number;
}

export interface SimTransfer {
  domain: string;
  kind: 'reg' | 'cust';
  owner: string;
  status: string;
  reDate: string;
  /** For member transfers: the other member number. */
  otherId?: string;
}

export interface SimConfig {
  /** Commands allowed per session after Login, Logout excluded (§7.1.3.5 "最多 150 个"). */
  commandLimit: number;
  /** Close a connection that has not logged in after this long, with 2501 (§8.4). */
  loginTimeoutMs: number;
  /** Close a session silently after this much idle time; 0 = never (the manual is silent). */
  idleTimeoutMs: number;
}

export const DEFAULT_SIM_CONFIG: SimConfig = { commandLimit: 150, loginTimeoutMs: 60_000, idleTimeoutMs: 0 };

/** The simulator's own test account: recognizable values, never a real credential. */
export const SIM_ACCOUNT = { clid: '900001', password: 'sim-com35-pass-0001' } as const;
const OTHER_MEMBER = { clid: '900002', password: 'sim-com35-pass-0002' } as const;

export interface Session {
  id: number;
  clid?: string;
  /** The client's address as the socket reports it (the account's IP allow-list is checked at Login). */
  clientAddress?: string;
  /** Commands counted against the limit (after Login, Logout excluded). */
  commands: number;
}

export interface Reply {
  text: string;
  /** The server closes the connection after this reply (1500, 2500, 2501). */
  close: boolean;
  action: string;
}

/** `msg` for code 1000 per command, as the manual's examples (命令范例) spell it (verified where marked). */
const SUCCESS_MSG: Record<string, string> = {
  Login: 'Command completeted successfully', // §7.1.3.6
  CheckDomain: 'Command completed successfully', // §7.2.2.2.6
  InfoDomain: 'Command complateted successfully', // §7.2.2.3.6
  CreateDomain: 'Command completed successfully', // §7.2.2.4.6, the example's checksum verifies
  RenewDomain: 'Command complateted successfully', // §7.2.2.5.6
  UpdateDomainStatus: 'Command complateted successfully', // §7.2.2.7.6
  UpdateDomainExtra: 'Command completeted successfully', // §7.2.2.8.6
  UpdateDomainDns: 'Command completed successfully', // §7.2.2.9.6, the example's checksum verifies
  InfoDomainExtra: 'Command completeted successfully', // §7.2.2.11.6
  QueryCustTransfer: 'Command completeted successfully', // §7.2.5.2.6
  QueryRegTransfer: 'Command completed successfully', // §7.2.6.2.6
  GetAccountBalance: 'Command completeted successfully', // §7.6.1.6
  GetCustomerInfo: 'Command complateded successfully', // §7.6.2.6
};

/** `value` on success per command, as in the manual's examples (a server source line number). */
const SUCCESS_VALUE: Record<string, string> = {
  Login: 'L118:no value',
  CheckDomain: 'L130:no value',
  InfoDomain: 'L125:no value',
  CreateDomain: 'L929:no value',
  RenewDomain: 'L476:null',
  UpdateDomainStatus: 'L255:no value',
  UpdateDomainExtra: 'L200:no value',
  UpdateDomainDns: 'L640:no value',
  InfoDomainExtra: 'L149:not value',
  QueryCustTransfer: 'L122:no value',
  QueryRegTransfer: 'L121:no value',
  GetAccountBalance: 'L69:no value',
  GetCustomerInfo: 'L66:no value',
};

/** Error `msg` texts, verbatim from §8.4 错误代码. */
export const ERROR_MSG: Record<number, string> = {
  1300: 'Command completed successfully; no messages',
  1500: 'Command completed successfully;ending session',
  2000: 'Unknown command',
  2001: 'Command syntax error',
  2003: 'Required Parameter missing',
  2004: 'Parameter value range err',
  2005: 'Parameter value syntax error',
  2104: 'Billing fail',
  2105: 'Object is not eligible for renewal',
  2106: 'Object is not eligible for transfer',
  2201: 'Authorization error',
  2202: 'Invalid authorization information',
  2300: 'Object pending transfer',
  2302: 'Object exists',
  2303: 'Object does not exist',
  2304: 'Object status prohibits operation',
  2305: 'Object association prohibits operation',
  2306: 'Parameter value policy error',
  2400: 'Command fail',
  2500: 'Command failed;server ending session',
  2501: 'Timeout;server ending session',
  5000: 'Something error in netware',
  5500: 'Did not Login',
  6000: 'Checksum error',
  6001: 'Internal Database err',
};

/** Renewal price per year, in fen, by TLD of the A-label name (the manual has no domain prices). */
const RENEW_PRICE_FEN: Record<string, number> = {
  com: 6900,
  net: 7900,
  cn: 3900,
  'xn--fiqs8s': 3900,
  info: 8900,
  top: 2900,
};
const DEFAULT_RENEW_PRICE_FEN = 9900;

/** Commands the document describes that this simulator does not model: answered 2400. */
const DOCUMENTED_NOT_SIMULATED = new Set([
  'domain/DeleteDomain',
  'domain/UpdateDomainPwd',
  'domain/RequestModifyRegistrantEmail',
  'domain/VerifyModifyRegistrantEmail',
  'domain/CheckHost',
  'domain/InfoHost',
  'domain/CreateHost',
  'domain/UpdateHost',
  'domain/DeleteHost',
  'domain/RequestCustTransfer',
  'domain/CustTransferSetPwd',
  'domain/RequestRegTransfer',
  'domain/CreateDomain',
]);

const LOCK = 'clientTransferProhibited';
const AUTO_RENEW = 'clientAutoRenew';
/** UpdateDomainStatus lock: com/net/name/cn/asia/biz/info/mobi/cc (§7.2.2.7.4). */
const LOCK_TYPES = new Set(['0', '804', '220', '905', '800', '805', '903', '660', '661']);
/** UpdateDomainExtra auto-renew: com/net/cn (§7.2.2.8.4). */
const AUTO_RENEW_TYPES = new Set(['0', '220']);
const RENEW_REPEAT_WINDOW_MS = 5 * 60_000;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The name a request is counted (`counters.commands`) and faulted (`match`) under: the action, but
 * `RenewVhost:GetPrice` / `RenewMail:GetPrice` for a price query, so counting or losing a renewal
 * never catches a quote, and `GetInfo:GetVhostInfo` / `GetInfo:GetMailInfo` for the two reads.
 */
export function operationNameOf(req: { action: string; params: readonly Param[] }): string {
  return serviceOperationName(req.action, req.params) ?? req.action;
}

/** Exclusive-sale points of the test account after a reset. */
export const SEED_POINTS = 10_000;

/**
 * The test account's hosts and mail domains after a reset, expiries counted from today:
 * a 智强 host, a traditional host, a normal and an exclusive-sale mail domain, a host whose
 * expiry leaves room for one more year only under the ten-year ceiling, and a package's host.
 */
function seedServices(inDays: (n: number) => string, now: number): SeedServiceInput[] {
  const today = day(now);
  const nineYearsLess60Days = day(Date.parse(`${addYearsToDay(today, 9)}T00:00:00Z`) - 60 * 86_400_000);
  return [
    { category: 'vhost', name: 'simzq1', flag: '1002', typeID: '1011', expiredate: inDays(120) },
    { category: 'vhost', name: 'simct1', flag: '1001', expiredate: inDays(60) },
    { category: 'vhost', name: 'simcap1', flag: '1002', typeID: '1005', expiredate: nineYearsLess60Days },
    {
      category: 'vhost',
      name: 'simpkg1',
      flag: '1002',
      typeID: '1011',
      expiredate: inDays(30),
      packageChild: true,
    },
    { category: 'mail', name: 'sim-mail.com', flag: '1001', typeID: '10001', expiredate: inDays(45) },
    { category: 'mail', name: 'sim-exmail.com', flag: '1002', typeID: '10003', expiredate: inDays(90) },
  ];
}

/**
 * The seeded services as a gateway account lists them in its `<PREFIX>_SERVICES` variable
 * (35.com has no listing command): `hosting:<vhostname>` and `mail:<domain>`.
 */
export function seededServiceList(): string {
  return seedServices(() => '', Date.now())
    .map((s) => `${s.category === 'vhost' ? 'hosting' : 'mail'}:${s.name}`)
    .join(' ');
}

/** What `GET /__sim/state` returns. */
export type SimState = ReturnType<Com35Registrar['state']>;

export interface SeedDomainInput {
  /** Any spelling: A-label or native; stored in 35.com's wire form. */
  name: string;
  exDate?: string;
  crDate?: string;
  owner?: string;
  dns?: string[];
  locked?: boolean;
  autoRenew?: boolean;
}

export class Com35Registrar {
  config: SimConfig = { ...DEFAULT_SIM_CONFIG };
  /** Whether the account's IP allow-list admits this client address (start.ts wires it; all by default). */
  clientAllowed: (address: string | undefined) => boolean = () => true;
  accounts = new Map<string, SimAccount>();
  domains = new Map<string, SimDomain>();
  transfers: SimTransfer[] = [];
  /** Names registered elsewhere (CheckDomain answers 0). */
  taken = new Set<string>();
  renewals: Array<{ domain: string; years: number; at: string; chargedFen: number }> = [];
  /** Hosts and mail domains (services.ts), their points and their renewals. */
  readonly services: SimServices;
  counters = {
    connections: 0,
    logins: 0,
    loginFailures: 0,
    logouts: 0,
    checksumFailures: 0,
    commandLimitHits: 0,
    maxCommandsInSession: 0,
    /** Requests written while another was in flight on the same connection (dropped, see server.ts). */
    overlappingRequests: 0,
    maxInFlightPerSession: 0,
    commands: {} as Record<string, number>,
    codes: {} as Record<string, number>,
  };

  constructor(private readonly now: () => number = Date.now) {
    this.services = new SimServices(now, {
      fen: (clid) => this.accounts.get(clid)?.balanceFen ?? 0,
      spendFen: (clid, fen) => {
        this.accounts.get(clid)!.balanceFen -= fen;
      },
      balanceText: (clid) => this.balanceText(clid),
    });
    this.reset();
  }

  reset(): void {
    const now = this.now();
    const inDays = (n: number) => day(now + n * 86_400_000);
    this.config = { ...DEFAULT_SIM_CONFIG };
    this.accounts = new Map([
      [SIM_ACCOUNT.clid, { ...SIM_ACCOUNT, balanceFen: 100_000 }],
      [OTHER_MEMBER.clid, { ...OTHER_MEMBER, balanceFen: 50_000 }],
    ]);
    this.domains = new Map();
    this.taken = new Set(['google.com', 'baidu.cn', 'taken-elsewhere.net']);
    this.renewals = [];
    for (const k of Object.keys(this.counters) as Array<keyof typeof this.counters>) {
      (this.counters as Record<string, unknown>)[k] = typeof this.counters[k] === 'number' ? 0 : {};
    }
    const seed: SeedDomainInput[] = [
      { name: 'sim-example.com', exDate: inDays(200), locked: true },
      { name: 'expiring-soon.com', exDate: inDays(7), autoRenew: true },
      { name: 'expiring-soon.cn', exDate: inDays(20) },
      { name: 'xn--fiq228c.xn--fiqs8s', exDate: inDays(100) },
      { name: 'sim-info.info', exDate: inDays(45) },
      { name: 'other-member.com', exDate: inDays(90), owner: OTHER_MEMBER.clid },
    ];
    for (const d of seed) this.addDomain(d);
    this.services.clear();
    this.services.points.set(SIM_ACCOUNT.clid, SEED_POINTS);
    for (const s of seedServices(inDays, now)) this.addService(s);
    this.transfers = [
      {
        domain: 'incoming-transfer.com',
        kind: 'reg',
        owner: SIM_ACCOUNT.clid,
        status: 'pendingTransfer',
        reDate: inDays(-2),
      },
      {
        domain: 'done-transfer.net',
        kind: 'reg',
        owner: SIM_ACCOUNT.clid,
        status: 'transferSuccessfully',
        reDate: inDays(-30),
      },
      {
        domain: 'member-move.info',
        kind: 'cust',
        owner: SIM_ACCOUNT.clid,
        status: 'clientApproved',
        reDate: inDays(-3),
        otherId: OTHER_MEMBER.clid,
      },
    ];
  }

  addDomain(input: SeedDomainInput): SimDomain {
    const name = wireName(input.name);
    const type = domainTypeOf(name);
    if (type === undefined) throw new Error(`35.com has no domain type for ${input.name}`);
    const now = this.now();
    const domain: SimDomain = {
      name,
      type,
      owner: input.owner ?? SIM_ACCOUNT.clid,
      crDate: input.crDate ?? day(now - 400 * 86_400_000),
      exDate: input.exDate ?? day(now + 365 * 86_400_000),
      dns: input.dns ?? ['ns1.sim-dns.com', 'ns2.sim-dns.com'],
      password: 'Sim-dom-pw-1!',
      status: input.locked ? [LOCK] : [],
      extras: input.autoRenew ? [AUTO_RENEW] : [],
    };
    this.domains.set(domain.name, domain);
    return domain;
  }

  addService(input: SeedServiceInput) {
    return this.services.add(input, SIM_ACCOUNT.clid);
  }

  balanceText(clid: string): string {
    const fen = this.accounts.get(clid)?.balanceFen ?? 0;
    return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  }

  state() {
    return {
      balance: this.balanceText(SIM_ACCOUNT.clid),
      currency: 'CNY',
      domains: [...this.domains.values()].filter((d) => d.owner === SIM_ACCOUNT.clid),
      transfers: this.transfers,
      renewals: this.renewals,
      services: [...this.services.services.values()].filter((s) => s.owner === SIM_ACCOUNT.clid),
      points: this.services.pointsOf(SIM_ACCOUNT.clid),
      serviceRenewals: this.services.renewals,
      config: this.config,
      ...this.counters,
    };
  }

  private signerOf(clid: string | undefined): Signer {
    const account = clid ? this.accounts.get(clid) : undefined;
    // Before Login with an unknown clid there is no password to sign with: an empty one (decision).
    return account
      ? { clid: account.clid, passwordMd5: md5(account.password) }
      : { clid: clid ?? '', passwordMd5: '' };
  }

  private reply(
    session: Session,
    req: { category: string; action: string; cltrid: string },
    code: number,
    opts: {
      value?: string;
      data?: Param[];
      close?: boolean;
      resData?: 'absent' | 'empty';
      signAs?: string;
      /** The success `msg` where one action has several (GetInfo of a host or of a mail domain). */
      msg?: string;
    } = {},
  ): Reply {
    const msg =
      code === 1000
        ? (opts.msg ?? SUCCESS_MSG[req.action] ?? 'Command completed successfully')
        : (ERROR_MSG[code] ?? 'Command fail');
    const value = opts.value ?? (code === 1000 ? (SUCCESS_VALUE[req.action] ?? 'no value') : 'no value');
    const svtrid = svtridOf(req.cltrid);
    const chksum = replyChecksum(this.signerOf(opts.signAs ?? session.clid), {
      cltrid: req.cltrid,
      svtrid,
      code,
      msg,
      value,
    });
    this.counters.codes[String(code)] = (this.counters.codes[String(code)] ?? 0) + 1;
    return {
      action: req.action,
      close: opts.close ?? false,
      text: renderReply({
        category: req.category,
        action: req.action,
        code,
        msg,
        value,
        data: opts.data ?? [],
        noData: opts.resData ?? 'empty',
        cltrid: req.cltrid,
        svtrid,
        chksum,
      }),
    };
  }

  /** A session that never logged in within the login timeout (2501, §8.4). */
  loginTimeout(session: Session): Reply {
    return this.reply(session, { category: 'client', action: 'Login', cltrid: '' }, 2501, { close: true });
  }

  handle(session: Session, text: string): Reply {
    let req: IncomingRequest;
    try {
      req = readRequest(text);
    } catch (error) {
      return this.reply(session, { category: '', action: '', cltrid: '' }, 2001, {
        value: error instanceof Error ? error.message : 'not a request document',
      });
    }
    const counted = operationNameOf(req);
    this.counters.commands[counted] = (this.counters.commands[counted] ?? 0) + 1;
    const key = `${req.category}/${req.action}`;
    const formula = formulaOf(req.category, req.action);
    if (!formula) {
      // The other hosting and mail commands (7.3, 7.4) exist at 35.com but the gateway never sends
      // them: not simulated.
      if ((req.category === 'vhost' || req.category === 'mail') && session.clid) {
        return this.reply(session, req, 2400, { value: 'not simulated' });
      }
      return this.reply(session, req, 2000, { value: req.action });
    }

    if (req.action === 'Login') return this.login(session, req);
    if (!session.clid) return this.reply(session, req, 5500);
    if (req.action === 'Logout') {
      if (!this.checksumOk(session.clid, req)) {
        this.counters.checksumFailures++;
        // Logout closes the connection "whether or not it succeeded" (§7.1.6.5).
        return this.reply(session, req, 6000, { close: true });
      }
      this.counters.logouts++;
      return this.reply(session, req, 1500, { value: 'L46:no value', close: true });
    }
    if (session.commands >= this.config.commandLimit) {
      this.counters.commandLimitHits++;
      return this.reply(session, req, 2500, {
        value: `session command limit (${this.config.commandLimit}) reached`,
        close: true,
      });
    }
    session.commands++;
    this.counters.maxCommandsInSession = Math.max(this.counters.maxCommandsInSession, session.commands);

    const terms = termsText(formula, req.params);
    if ('missing' in terms) return this.reply(session, req, 2003, { value: terms.missing });
    const missing = this.services.missingParam(req.category, req.action, req.params);
    if (missing) return this.reply(session, req, 2003, { value: missing });
    if (!this.checksumOk(session.clid, req)) {
      this.counters.checksumFailures++;
      return this.reply(session, req, 6000);
    }
    if (DOCUMENTED_NOT_SIMULATED.has(key)) return this.reply(session, req, 2400, { value: 'not simulated' });
    try {
      return this.execute(session, session.clid, req);
    } catch (error) {
      if (error instanceof Refusal) return this.reply(session, req, error.code, { value: error.value });
      throw error;
    }
  }

  private checksumOk(clid: string, req: IncomingRequest): boolean {
    const account = this.accounts.get(clid);
    const formula = formulaOf(req.category, req.action);
    if (!account || !formula) return false;
    return acceptedRequestChecksums(formula, this.signerOf(clid), req.cltrid, req.params).includes(
      req.chksum,
    );
  }

  private login(session: Session, req: IncomingRequest): Reply {
    if (session.clid) return this.reply(session, req, 2400, { value: 'already logged in' });
    const clid = req.params.find((p) => p.name === 'clid')?.value;
    if (!clid) return this.reply(session, req, 2003, { value: 'clid' });
    if (!this.clientAllowed(session.clientAddress)) {
      this.counters.loginFailures++;
      // The manual is silent on allow-lists (docs/decisions.md, 35.com: a caller outside the
      // allow-list): a refused Login, 2500 "used at login" (§8.4), which ends the session.
      return this.reply(session, req, 2500, {
        value: `${STRANGER_REFUSED}: ${session.clientAddress ?? ''}`,
        close: true,
        signAs: clid,
      });
    }
    if (!this.accounts.has(clid) || !this.checksumOk(clid, req)) {
      this.counters.loginFailures++;
      // 2500 "used at login" (§8.4): the checksum is the only proof of the password.
      return this.reply(session, req, 2500, { value: 'invalid clid or password', close: true, signAs: clid });
    }
    session.clid = clid;
    session.commands = 0;
    this.counters.logins++;
    return this.reply(session, req, 1000);
  }

  private param(req: IncomingRequest, name: string): string | undefined {
    return req.params.find((p) => p.name === name)?.value;
  }

  private domainOf(clid: string, req: IncomingRequest): SimDomain {
    const name = this.param(req, 'domain')!;
    const type = this.param(req, 'domaintype')!;
    if (name.length < 1 || name.length > 68) throw new Refusal(2004, 'domain: length 1-68');
    this.checkType(name, type);
    const domain = this.domains.get(name.toLowerCase());
    if (!domain || domain.owner !== clid) throw new Refusal(2303, 'no value');
    return domain;
  }

  private checkType(name: string, type: string): void {
    const expected = domainTypeOf(name);
    if (expected === undefined) throw new Refusal(2306, `domain: ${name} is not a supported domain`);
    if (!/^\d+$/.test(type)) throw new Refusal(2005, 'domaintype: digits');
    if (expected !== type) throw new Refusal(2306, `domaintype: ${type} does not match ${name}`);
  }

  private execute(session: Session, clid: string, req: IncomingRequest): Reply {
    if (req.category === 'vhost' || req.category === 'mail') {
      const answer = this.services.execute(clid, req.category, req.action, req.params);
      return this.reply(session, req, 1000, { data: answer.data, msg: answer.msg, value: 'no value' });
    }
    switch (req.action) {
      case 'CheckDomain': {
        const name = this.param(req, 'domain')!;
        const type = this.param(req, 'domaintype')!;
        if (name.length < 1 || name.length > 68) throw new Refusal(2004, 'domain: length 1-68');
        this.checkType(name, type);
        const lower = name.toLowerCase();
        const registered = this.domains.has(lower) || this.taken.has(lower);
        return this.reply(session, req, 1000, {
          data: [
            { name: 'domain', value: name },
            { name: 'avail', value: registered ? '0' : '1' },
          ],
        });
      }
      case 'InfoDomain': {
        const d = this.domainOf(clid, req);
        const contact = (p: string): Param[] => [
          { name: `${p}_name`, value: 'Sim Holder' },
          { name: `${p}_org`, value: 'Sim Org' },
          { name: `${p}_country`, value: 'CN' },
          { name: `${p}_province`, value: 'FJ' },
          { name: `${p}_city`, value: '厦门市' },
          { name: `${p}_email`, value: 'holder@sim.example' },
        ];
        return this.reply(session, req, 1000, {
          data: [
            { name: 'domain', value: d.name },
            { name: 'crDate', value: d.crDate },
            { name: 'exDate', value: d.exDate },
            { name: 'password', value: md5(d.password).slice(0, 31) },
            ...d.dns.map((ns) => ({ name: 'dns', value: ns })),
            ...contact('r'),
            ...contact('a'),
            ...contact('t'),
            ...contact('b'),
          ],
        });
      }
      case 'InfoDomainExtra': {
        const d = this.domainOf(clid, req);
        return this.reply(session, req, 1000, {
          data: [
            { name: 'domain', value: d.name },
            ...(d.extras.length ? d.extras : ['ok']).map((e) => ({ name: 'extra', value: e })),
            ...(d.status.length ? d.status : ['ok']).map((s) => ({ name: 'status', value: s })),
          ],
        });
      }
      case 'RenewDomain':
        return this.renew(session, clid, req);
      case 'UpdateDomainDns': {
        const d = this.domainOf(clid, req);
        const ns = req.params.filter((p) => p.name === 'nameserver').map((p) => p.value);
        // "至少 2 个, 其他为空不传" (§7.2.2.9.1): 2 to 6 name servers.
        if (ns.length < 2) throw new Refusal(2003, 'nameserver');
        if (ns.length > 6) throw new Refusal(2004, 'nameserver: 2-6');
        if (ns.some((n) => n.length < 1 || n.length > 120 || !/^[a-z0-9.-]+$/i.test(n))) {
          throw new Refusal(2005, 'nameserver: host name, 1-120 characters');
        }
        d.dns = ns.map((n) => n.toLowerCase());
        return this.reply(session, req, 1000);
      }
      case 'UpdateDomainStatus':
        return this.toggle(session, clid, req, 'addstatus', 'remstatus', LOCK, LOCK_TYPES, 'status');
      case 'UpdateDomainExtra':
        return this.toggle(
          session,
          clid,
          req,
          'addextra',
          'remextra',
          AUTO_RENEW,
          AUTO_RENEW_TYPES,
          'extras',
        );
      case 'QueryRegTransfer': {
        const name = this.param(req, 'domain')!;
        this.checkType(name, this.param(req, 'domaintype')!);
        const t = this.transfers.find((x) => x.kind === 'reg' && x.domain === name && x.owner === clid);
        if (!t) return this.reply(session, req, 1300);
        return this.reply(session, req, 1000, {
          data: [
            { name: 'domain', value: t.domain },
            { name: 'status', value: t.status },
          ],
        });
      }
      case 'QueryCustTransfer': {
        const name = this.param(req, 'domain')!;
        this.checkType(name, this.param(req, 'domaintype')!);
        const op = this.param(req, 'op')!.toLowerCase();
        // `In`/`Out` (§7.2.5.2.1) although the example sends `out`: accepted in any case.
        if (op !== 'in' && op !== 'out') throw new Refusal(2005, 'op: In or Out');
        const t = this.transfers.find((x) => x.kind === 'cust' && x.domain === name && x.owner === clid);
        if (!t || op !== 'in') return this.reply(session, req, 1300);
        return this.reply(session, req, 1000, {
          data: [
            { name: 'domain', value: t.domain },
            { name: 'status', value: t.status },
            { name: 'outID', value: t.otherId ?? '' },
            { name: 'reDate', value: t.reDate },
          ],
        });
      }
      case 'GetAccountBalance':
        return this.reply(session, req, 1000, { data: [{ name: 'balance', value: this.balanceText(clid) }] });
      case 'GetCustomerInfo':
        return this.reply(session, req, 1000, {
          data: [
            { name: 'clid', value: clid },
            { name: 'crDate', value: '2020-01-01 10:00:00' },
            { name: 'r_name', value: 'Sim Reseller' },
            { name: 'r_city', value: '厦门市' },
          ],
        });
      default:
        return this.reply(session, req, 2000, { value: req.action });
    }
  }

  private renew(session: Session, clid: string, req: IncomingRequest): Reply {
    const d = this.domainOf(clid, req);
    const periodText = this.param(req, 'period')!;
    if (!/^\d+$/.test(periodText)) throw new Refusal(2005, 'period: whole years 1-10');
    const period = Number(periodText);
    if (period < 1 || period > 10) throw new Refusal(2004, 'period: 1-10');
    const now = this.now();
    // "5 分钟内不能重复续费" (§7.2.2.5.4): 2105, whose §8.4 text names exactly this case.
    if (d.lastRenewAt !== undefined && now - d.lastRenewAt < RENEW_REPEAT_WINDOW_MS) {
      throw new Refusal(2105, 'renewed within the last 5 minutes');
    }
    const newExpiry = addYearsToDay(d.exDate, period);
    // "所续费的域名必符合域名的有效期为（1-10）年" (§7.2.2.5.2): at most ten years from today.
    if (newExpiry > addYearsToDay(day(now), 10))
      throw new Refusal(2004, 'period: validity must stay within 10 years');
    const account = this.accounts.get(clid)!;
    const tld = asciiName(d.name).split('.').pop()!;
    const price = (RENEW_PRICE_FEN[tld] ?? DEFAULT_RENEW_PRICE_FEN) * period;
    if (account.balanceFen < price) throw new Refusal(2104, this.balanceText(clid));
    account.balanceFen -= price;
    d.exDate = newExpiry;
    d.lastRenewAt = now;
    this.renewals.push({
      domain: asciiName(d.name),
      years: period,
      at: new Date(now).toISOString(),
      chargedFen: price,
    });
    return this.reply(session, req, 1000, {
      data: [
        { name: 'domain', value: d.name },
        { name: 'exDate', value: d.exDate },
      ],
    });
  }

  private toggle(
    session: Session,
    clid: string,
    req: IncomingRequest,
    addName: string,
    remName: string,
    flag: string,
    types: Set<string>,
    field: 'status' | 'extras',
  ): Reply {
    const d = this.domainOf(clid, req);
    const add = this.param(req, addName);
    const rem = this.param(req, remName);
    // Neither or both: the manual is silent; exactly one is required (decision).
    if ((add === undefined) === (rem === undefined)) throw new Refusal(2003, `${addName} or ${remName}`);
    const value = (add ?? rem)!;
    if (value !== flag) throw new Refusal(2005, `${add !== undefined ? addName : remName}: ${flag}`);
    if (!types.has(d.type)) throw new Refusal(2306, `domaintype: ${d.type} does not support ${flag}`);
    const set = new Set(d[field]);
    if (add !== undefined) set.add(flag);
    else set.delete(flag);
    d[field] = [...set];
    return this.reply(session, req, 1000, { resData: field === 'status' ? 'absent' : 'empty' });
  }
}
