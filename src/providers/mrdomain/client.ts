/**
 * MrDomain Simple-POST client: one method per upstream action, each returning decoded data or
 * throwing a GatewayError. All I/O goes through `callUpstream`.
 *
 * Notes about this registrar's API (MrDomain's API User Manual 1.0.20, "the User Manual"):
 * - POST only, form body, credentials `apiuser`/`apipasswd` in the body (User Manual §2 Simple-POST
 *   Interface, §2.2 Credentials); we also send `output-format=json` (§2.3) so a changed account
 *   default cannot switch us to XML.
 * - "Is expressly prohibited to use the API to perform mass requests and queries (domain capture,
 *   mass availability checks...)" and `domain/check` abuse gets the account blocked (User Manual
 *   §1.2 API Intended use, §5.1 Check). No number is published. `domain/check` therefore carries a
 *   per-request gate policy
 *   (concurrency 1, `minIntervalMs` = the configured pace) so checks are spaced across every worker
 *   isolate by the account's AccountGate Durable Object, and this client also spaces its own checks.
 * - The document states no HTTP status semantics (every example is an envelope); a non-2xx reply
 *   whose body is not an envelope is mapped by `httpFailure`.
 */
import { GatewayError, isGatewayError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { callUpstream, httpFailure } from '../http';
import { OPERATIONS, type Operation, query, spends } from '../operation';
import { GATE_POLICY_HEADER, type GatePolicy } from '../types';
import {
  accountInfoSchema,
  actionPath,
  certificateListSchema,
  certificateRenewSchema,
  certificateSchema,
  checkSchema,
  type DomainListPage,
  decodeDomainList,
  decodeEnvelope,
  decodeReply,
  domainSummarySchema,
  encodeForm,
  errorFromEnvelope,
  type FormValue,
  getInfoStatusSchema,
  helloSchema,
  nameserversSchema,
  PROVIDER,
  renewSchema,
  serviceInfoSchema,
  serviceListSchema,
  serviceRenewSchema,
  zonesSchema,
} from './codec';

export interface MrdomainClientConfig {
  apiUser: string;
  apiPassword: string;
  /** Origin only, e.g. `https://simple-api.dondominio.net`. */
  baseUrl: string;
  /** Minimum spacing of `domain/check` calls for this account, in ms. */
  checkIntervalMs: number;
  timeoutMs?: number;
}

export interface MrdomainClientDeps {
  fetch: typeof fetch;
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Identify an existing domain by name or by MrDomain's numeric id (User Manual §5.6 Update). */
export type DomainRefParam = { domain: string } | { domainID: string };

interface CallOpts {
  signal?: AbortSignal;
  /** Extra headers (the gate policy of `domain/check`). */
  headers?: Record<string, string>;
}

export function createMrdomainClient(config: MrdomainClientConfig, deps: MrdomainClientDeps) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let lastCheckAt = Number.NEGATIVE_INFINITY;

  async function post(
    action: string,
    operation: Operation,
    params: Record<string, FormValue>,
    opts: CallOpts,
  ) {
    const res = await callUpstream(deps, {
      provider: PROVIDER,
      operation,
      url: `${config.baseUrl}${actionPath(action)}`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...opts.headers },
      body: encodeForm({
        apiuser: config.apiUser,
        apipasswd: config.apiPassword,
        'output-format': 'json',
        ...params,
      }),
      timeoutMs: config.timeoutMs,
      signal: opts.signal,
    });
    if (res.status < 200 || res.status > 299) {
      // A registrar error behind a non-2xx status is still its envelope; anything else is HTTP's.
      try {
        const env = decodeEnvelope(res.text, { operation: operation.name });
        if (!env.success) throw errorFromEnvelope(env, { operation: operation.name });
      } catch (error) {
        if (isGatewayError(error) && error.kind !== 'protocol') throw error;
      }
      throw httpFailure({ provider: PROVIDER, operation }, res);
    }
    return res.text;
  }

  /**
   * Decode with the spend rule: after a paid call, a reply we cannot read does not prove the
   * registrar did nothing, so it is `outcome_unknown`, never a plain protocol error.
   */
  function decodeOrUnknown<T>(operation: Operation, decode: () => T): T {
    try {
      return decode();
    } catch (error) {
      if (spends(operation) && isGatewayError(error) && error.kind === 'protocol') {
        throw new GatewayError('outcome_unknown', {
          message: `MrDomain ${operation.name}: the reply could not be read (${error.message}); the registrar may have acted`,
          provider: PROVIDER,
          operation: operation.name,
          retryable: false,
          cause: error,
        });
      }
      throw error;
    }
  }

  async function call<S extends Parameters<typeof decodeReply>[1]>(
    action: string,
    operation: Operation,
    schema: S,
    params: Record<string, FormValue>,
    opts: CallOpts = {},
  ) {
    const text = await post(action, operation, params, opts);
    return decodeOrUnknown(operation, () => decodeReply(text, schema, { operation: operation.name }));
  }

  return {
    /** `tool/hello` (User Manual §3.1 Hello): the cheapest authenticated call. */
    hello: (opts: CallOpts = {}) => call('tool/hello', query('ping'), helloSchema, {}, opts),

    /** `account/info` (User Manual §4.1 Info): balance, threshold, currency. */
    accountInfo: (operation: Operation, opts: CallOpts = {}) =>
      call('account/info', operation, accountInfoSchema, {}, opts),

    /** `account/zones` (User Manual §4.3 Zones), one page. */
    accountZones: (q: { page: number; pageLength: number; tld?: string }, opts: CallOpts = {}) =>
      call(
        'account/zones',
        OPERATIONS.getPrices,
        zonesSchema,
        { page: q.page, pageLength: q.pageLength, tld: q.tld },
        opts,
      ),

    /**
     * `domain/check` (User Manual §5.1 Check): exactly one name. Spaced by `checkIntervalMs` here and, across
     * isolates, by the account gate through the per-request policy header.
     */
    async domainCheck(domain: string, opts: CallOpts = {}) {
      const wait = lastCheckAt + config.checkIntervalMs - now();
      if (wait > 0) await sleep(wait);
      lastCheckAt = now();
      const policy: GatePolicy = { concurrency: 1, minIntervalMs: config.checkIntervalMs };
      return call(
        'domain/check',
        OPERATIONS.checkAvailability,
        checkSchema,
        { domain },
        { ...opts, headers: { [GATE_POLICY_HEADER]: JSON.stringify(policy) } },
      );
    },

    /** `domain/getinfo` with one `infoType` (User Manual §5.13 Get Info). */
    getInfoStatus: (ref: DomainRefParam, operation: Operation, opts: CallOpts = {}) =>
      call('domain/getinfo', operation, getInfoStatusSchema, { ...ref, infoType: 'status' }, opts),

    /** `domain/getnameservers` (User Manual §5.15 Get NameServers). */
    getNameservers: (ref: DomainRefParam, operation: Operation, opts: CallOpts = {}) =>
      call('domain/getnameservers', operation, nameserversSchema, { ...ref }, opts),

    /** `domain/updatenameservers` (User Manual §5.7 Update NameServers): CSV of 2-7 hosts, or `default`. */
    updateNameservers: (ref: DomainRefParam, nameservers: string, opts: CallOpts = {}) =>
      call(
        'domain/updatenameservers',
        OPERATIONS.setNameservers,
        domainSummarySchema,
        { ...ref, nameservers },
        opts,
      ),

    /** `domain/update` (User Manual §5.6 Update): the value param is named like its `updateType`. */
    update: (
      ref: DomainRefParam,
      operation: Operation,
      change:
        | { updateType: 'transferBlock'; transferBlock: boolean }
        | { updateType: 'block'; block: boolean }
        | { updateType: 'renewalMode'; renewalMode: 'autorenew' | 'manual' | 'letexpire' },
      opts: CallOpts = {},
    ) => call('domain/update', operation, domainSummarySchema, { ...ref, ...change }, opts),

    /** `domain/list` (User Manual §5.12 List), one page. */
    async domainList(q: { page: number; pageLength: number }, opts: CallOpts = {}): Promise<DomainListPage> {
      const text = await post(
        'domain/list',
        OPERATIONS.listDomains,
        { page: q.page, pageLength: q.pageLength },
        opts,
      );
      return decodeDomainList(text);
    },

    /** `domain/renew` (User Manual §5.20 Renew): `curExpDate` is the registrar's double-renewal guard. */
    renew: (ref: DomainRefParam, curExpDate: string, period: number, opts: CallOpts = {}) =>
      call('domain/renew', OPERATIONS.renew, renewSchema, { ...ref, curExpDate, period }, opts),

    /** `service/list` (User Manual §7.1 List), one page. */
    serviceList: (q: { page: number; pageLength: number }, opts: CallOpts = {}) =>
      call('service/list', OPERATIONS.listServices, serviceListSchema, { ...q }, opts),

    /** `service/getinfo` with `infoType=status` (User Manual §7.2 Get Info). */
    serviceInfo: (serviceName: string, operation: Operation, opts: CallOpts = {}) =>
      call('service/getinfo', operation, serviceInfoSchema, { serviceName, infoType: 'status' }, opts),

    /** `service/renew` (User Manual §7.4 Renew): no current-expiry guard exists in this command. */
    serviceRenew: (serviceName: string, period: number, opts: CallOpts = {}) =>
      call('service/renew', OPERATIONS.renewService, serviceRenewSchema, { serviceName, period }, opts),

    /** `ssl/list` (User Manual §8.5 List), one page. */
    sslList: (q: { page: number; pageLength: number }, opts: CallOpts = {}) =>
      call('ssl/list', OPERATIONS.listServices, certificateListSchema, { ...q }, opts),

    /** `ssl/getinfo` with `infoType=status` (User Manual §8.6 Get Info). */
    sslInfo: (certificateID: string, operation: Operation, opts: CallOpts = {}) =>
      call('ssl/getinfo', operation, certificateSchema, { certificateID, infoType: 'status' }, opts),

    /**
     * `ssl/renew` (User Manual §8.8 Renew): a reissue from a new CSR, the admin contact by its
     * MrDomain id (§8.8.1). No current-expiry guard exists in this command either.
     */
    sslRenew: (
      req: { certificateID: string; csrData: string; period: number; adminContactID: string },
      opts: CallOpts = {},
    ) => call('ssl/renew', OPERATIONS.renewService, certificateRenewSchema, { ...req }, opts),
  };
}

export type MrdomainClient = ReturnType<typeof createMrdomainClient>;
