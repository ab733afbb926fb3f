/**
 * MrDomain Simple-POST client: one method per upstream action, each returning decoded data or
 * throwing a GatewayError. All I/O goes through `callUpstream`.
 *
 * Notes about this registrar's API (seed 004):
 * - POST only, form body, credentials `apiuser`/`apipasswd` in the body (seed L38, L101-L108); we
 *   also send `output-format=json` (seed L118-L123) so a changed account default cannot switch us
 *   to XML.
 * - "Is expressly prohibited to use the API to perform mass requests and queries (domain capture,
 *   mass availability checks...)" and `domain/check` abuse gets the account blocked (seed L26-L28,
 *   L728). No number is published. `domain/check` therefore carries a per-request gate policy
 *   (concurrency 1, `minIntervalMs` = the configured pace) so checks are spaced across every worker
 *   isolate by the account's AccountGate Durable Object, and this client also spaces its own checks.
 * - The document states no HTTP status semantics (every example is an envelope); a non-2xx reply
 *   whose body is not an envelope is mapped by `httpFailure`.
 */
import { GatewayError, isGatewayError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { classifyOperation } from '../../core/retry';
import { callUpstream, httpFailure } from '../http';
import { GATE_POLICY_HEADER, type GatePolicy } from '../types';
import {
  accountInfoSchema,
  actionPath,
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

/** Identify an existing domain by name or by MrDomain's numeric id (seed L1220-L1225). */
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

  async function post(action: string, operation: string, params: Record<string, FormValue>, opts: CallOpts) {
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
        const env = decodeEnvelope(res.text, { operation });
        if (!env.success) throw errorFromEnvelope(env, { operation });
      } catch (error) {
        if (isGatewayError(error) && error.kind !== 'protocol') throw error;
      }
      throw httpFailure({ provider: PROVIDER, operation }, res);
    }
    return res.text;
  }

  /**
   * Decode with the money rule: after a paid call, a reply we cannot read does not prove the
   * registrar did nothing, so it is `outcome_unknown`, never a plain protocol error.
   */
  function decodeOrUnknown<T>(operation: string, decode: () => T): T {
    try {
      return decode();
    } catch (error) {
      if (classifyOperation(operation) === 'money' && isGatewayError(error) && error.kind === 'protocol') {
        throw new GatewayError('outcome_unknown', {
          message: `MrDomain ${operation}: the reply could not be read (${error.message}); the registrar may have acted`,
          provider: PROVIDER,
          operation,
          retryable: false,
          cause: error,
        });
      }
      throw error;
    }
  }

  async function call<S extends Parameters<typeof decodeReply>[1]>(
    action: string,
    operation: string,
    schema: S,
    params: Record<string, FormValue>,
    opts: CallOpts = {},
  ) {
    const text = await post(action, operation, params, opts);
    return decodeOrUnknown(operation, () => decodeReply(text, schema, { operation }));
  }

  return {
    /** `tool/hello` (seed L183-L219): the cheapest authenticated call. */
    hello: (opts: CallOpts = {}) => call('tool/hello', 'ping', helloSchema, {}, opts),

    /** `account/info` (seed L506-L548): balance, threshold, currency. */
    accountInfo: (operation: string, opts: CallOpts = {}) =>
      call('account/info', operation, accountInfoSchema, {}, opts),

    /** `account/zones` (seed L608-L692), one page. */
    accountZones: (q: { page: number; pageLength: number; tld?: string }, opts: CallOpts = {}) =>
      call(
        'account/zones',
        'getPrices',
        zonesSchema,
        { page: q.page, pageLength: q.pageLength, tld: q.tld },
        opts,
      ),

    /**
     * `domain/check` (seed L726-L775): exactly one name. Spaced by `checkIntervalMs` here and, across
     * isolates, by the account gate through the per-request policy header.
     */
    async domainCheck(domain: string, opts: CallOpts = {}) {
      const wait = lastCheckAt + config.checkIntervalMs - now();
      if (wait > 0) await sleep(wait);
      lastCheckAt = now();
      const policy: GatePolicy = { concurrency: 1, minIntervalMs: config.checkIntervalMs };
      return call(
        'domain/check',
        'checkAvailability',
        checkSchema,
        { domain },
        { ...opts, headers: { [GATE_POLICY_HEADER]: JSON.stringify(policy) } },
      );
    },

    /** `domain/getinfo` with one `infoType` (seed L1676-L1977). */
    getInfoStatus: (ref: DomainRefParam, operation: string, opts: CallOpts = {}) =>
      call('domain/getinfo', operation, getInfoStatusSchema, { ...ref, infoType: 'status' }, opts),

    /** `domain/getnameservers` (seed L2029-L2090). */
    getNameservers: (ref: DomainRefParam, operation: string, opts: CallOpts = {}) =>
      call('domain/getnameservers', operation, nameserversSchema, { ...ref }, opts),

    /** `domain/updatenameservers` (seed L1288-L1338): CSV of 2-7 hosts, or `default`. */
    updateNameservers: (ref: DomainRefParam, nameservers: string, opts: CallOpts = {}) =>
      call('domain/updatenameservers', 'setNameservers', domainSummarySchema, { ...ref, nameservers }, opts),

    /** `domain/update` (seed L1206-L1286): the value param is named like its `updateType`. */
    update: (
      ref: DomainRefParam,
      operation: string,
      change:
        | { updateType: 'transferBlock'; transferBlock: boolean }
        | { updateType: 'block'; block: boolean }
        | { updateType: 'renewalMode'; renewalMode: 'autorenew' | 'manual' | 'letexpire' },
      opts: CallOpts = {},
    ) => call('domain/update', operation, domainSummarySchema, { ...ref, ...change }, opts),

    /** `domain/list` (seed L1592-L1674), one page. */
    async domainList(q: { page: number; pageLength: number }, opts: CallOpts = {}): Promise<DomainListPage> {
      const text = await post('domain/list', 'listDomains', { page: q.page, pageLength: q.pageLength }, opts);
      return decodeDomainList(text);
    },

    /** `domain/renew` (seed L2355-L2418): `curExpDate` is the registrar's double-renewal guard. */
    renew: (ref: DomainRefParam, curExpDate: string, period: number, opts: CallOpts = {}) =>
      call('domain/renew', 'renew', renewSchema, { ...ref, curExpDate, period }, opts),
  };
}

export type MrdomainClient = ReturnType<typeof createMrdomainClient>;
