/**
 * The Provider contract: one registrar account behind the domain model of `core/model.ts`.
 *
 * A provider declares the capabilities it has; calling one it lacks throws `unsupported`
 * (never a silent no-op). Build providers with `defineProvider`, which fills every missing
 * operation with that refusal and derives `capabilities` from what was given.
 */
import type { Logger } from '../core/log';
import type {
  Availability,
  Balance,
  DomainInfo,
  DomainRef,
  DomainSummary,
  IsoDateTime,
  Money,
  Price,
  PriceOperation,
  RenewalResult,
  ServiceInfo,
  ServiceKind,
  ServiceRef,
  TransferStatus,
} from '../core/model';
import type { ProviderConfigDeclaration } from './provider-config';

export const CAPABILITIES = [
  'checkAvailability',
  'getDomain',
  'listDomains',
  'renew',
  'getBalance',
  'getPrices',
  'getNameservers',
  'setNameservers',
  'setAutoRenew',
  'setLock',
  'getTransferStatus',
  'listServices',
  'getService',
  'renewService',
  'quoteServiceRenewal',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export interface CallOptions {
  signal?: AbortSignal;
  /** The caller's idempotency key, passed to registrars that accept one. */
  idempotencyKey?: string;
}

export interface AvailabilityOptions extends CallOptions {
  /** Ask for prices too where the registrar can give them in the same call. */
  withPrices?: boolean;
}

export interface RenewRequest {
  years: number;
  /** The expiry the caller believes is current: the registrar's guard where it has one. */
  expectedExpiry: IsoDateTime;
}

/** A service renewal: a domain's renewal request, plus what a certificate's reissue needs. */
export interface ServiceRenewRequest extends RenewRequest {
  /** Certificates only (MrDomain `ssl/renew`): the CSR in PEM and the admin contact id. */
  certificate?: { csr: string; adminContactId?: string };
}

export interface PriceQuery {
  tld?: string;
  operation?: PriceOperation;
  years?: number;
  /** Currency the caller prefers, where the registrar lets us choose. */
  currency?: string;
}

/** How many names one availability call may carry and how many calls may run at once. */
export interface BatchLimits {
  availabilityBatch: number;
  concurrency: number;
}

export interface ProviderOperations {
  checkAvailability(domains: string[], opts: AvailabilityOptions): Promise<Availability[]>;
  getDomain(domain: string, opts: CallOptions): Promise<DomainInfo>;
  listDomains(opts: CallOptions): AsyncIterable<DomainSummary>;
  /**
   * Must be safe to call twice for one intent: pass the registrar's own current-expiry guard where
   * it has one; where it has none, read the expiry first and refuse (`conflict`) when it differs.
   * A reply lost after the request left throws `outcome_unknown`, never a plain failure.
   */
  renew(domain: string, req: RenewRequest, opts: CallOptions): Promise<RenewalResult>;
  getBalance(opts: CallOptions): Promise<Balance>;
  getPrices(query: PriceQuery, opts: CallOptions): Promise<Price[]>;
  getNameservers(domain: string, opts: CallOptions): Promise<string[]>;
  setNameservers(domain: string, nameservers: string[], opts: CallOptions): Promise<void>;
  setAutoRenew(domain: string, enabled: boolean, opts: CallOptions): Promise<void>;
  setLock(domain: string, locked: boolean, opts: CallOptions): Promise<void>;
  getTransferStatus(domain: string, opts: CallOptions): Promise<TransferStatus>;
  /** Every service of the account, of every kind in `serviceKinds`. */
  listServices(opts: CallOptions): AsyncIterable<ServiceInfo>;
  getService(ref: ServiceRef, opts: CallOptions): Promise<ServiceInfo>;
  /** The same contract as `renew`: safe to call twice for one intent, a lost reply is `outcome_unknown`. */
  renewService(ref: ServiceRef, req: ServiceRenewRequest, opts: CallOptions): Promise<RenewalResult>;
  /**
   * What the renewal would cost, asked of the registrar without spending (35.com `GetPrice=1`,
   * which also validates the request: a renewal past the ten-year ceiling is refused here).
   * Points of an exclusive-sale account come back as `currency: 'POINTS'`.
   */
  quoteServiceRenewal(ref: ServiceRef, req: ServiceRenewRequest, opts: CallOptions): Promise<Money>;
}

export interface Provider extends ProviderOperations {
  /** Registrar key (`dynadot`, …). */
  readonly key: string;
  /** Account name: one set of credentials at this registrar. */
  readonly account: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** The service kinds this account can list, read and renew (none for a domain-only registrar). */
  readonly serviceKinds: readonly ServiceKind[];
  readonly limits: BatchLimits;
  /**
   * Where the registrar finishes a renewal asynchronously (Alibaba tasks), continue watching a
   * renewal whose `ref` came back from `renew` with outcome `pending`.
   */
  resumeRenewal?(domain: string, ref: DomainRef, opts: CallOptions): Promise<RenewalResult>;
  /** A cheap call that proves the credentials work, for `/v1/health` (at most once a minute per account). */
  ping?(opts: CallOptions): Promise<void>;
}

/** What every provider factory is given: no globals, no env reads inside a provider. */
export interface ProviderDeps {
  /** Upstream fetch; in the worker it goes through the account's gate (serialization, pacing). */
  fetch: typeof fetch;
  logger: Logger;
  /** The worker request these calls serve, for a hop of our own that logs it (the 35.com bridge). */
  requestId?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The header that carries a GatePolicy to the AccountGate with each request. A provider may set it
 * on one request to tighten the account's default for that call (MrDomain paces `domain/check`).
 * It lives here, in a pure module, so provider code can use it without the Durable Object's
 * `cloudflare:workers` import.
 */
export const GATE_POLICY_HEADER = 'x-gateway-gate-policy';

/**
 * The header that tells the AccountGate how urgent one call is. `callUpstream` sets it from the
 * operation's declared kind (operation.ts: a `spend` is a `spend`), never from its name.
 */
export const GATE_PRIORITY_HEADER = 'x-gateway-gate-priority';

/**
 * The caller's time budget for one call (ms left when it was made), set by `callUpstream`. It
 * bounds how long an admitted call may hold its lease at the AccountGate, and what is left of it
 * goes to the bridge's relay, which gives up before the caller.
 */
export const GATE_DEADLINE_HEADER = 'x-gateway-gate-deadline-ms';

/**
 * Admission order at the AccountGate when calls wait: every waiting `spend` (a renewal) goes
 * before every waiting `query`, and `background` work (health pings) goes last. FIFO within one.
 */
export const GATE_PRIORITIES = ['spend', 'query', 'background'] as const;
export type GatePriority = (typeof GATE_PRIORITIES)[number];

/** Per-account call discipline, enforced by the AccountGate Durable Object across isolates. */
export interface GatePolicy {
  /** Calls in flight at once for one account (Dynadot: 1). */
  concurrency: number;
  /** Minimum time between the starts of two calls (MrDomain's no-mass-query rule). */
  minIntervalMs?: number;
  /**
   * `none`: the registrar publishes no rule the gate would enforce (no one-at-a-time, no pacing, no
   * session limit), so the account's calls go straight out without asking the AccountGate; then
   * `concurrency` only bounds one request's own fan-out. Absent: every call is admitted first.
   */
  admission?: 'none';
}

/** One folder per registrar exports one of these from its `provider.ts`; `registry.ts` lists them. */
export interface ProviderDefinition<Config = unknown> {
  key: string;
  displayName: string;
  /** Its variables, declared once in `providers/<x>/config.ts`: all `required` set configures it. */
  config: ProviderConfigDeclaration<Config>;
  /** Its config from the variables; throws ConfigError naming every problem (tests build providers so). */
  parseConfig(vars: Readonly<Record<string, string | undefined>>): Config;
  /** The account's default call discipline (see core/account-gate.ts). */
  gate(config: Config): GatePolicy;
  create(account: string, config: Config, deps: ProviderDeps): Provider;
}
