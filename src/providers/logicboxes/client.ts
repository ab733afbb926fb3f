/**
 * LogicBoxes HTTP client: one method per upstream command, each returning the decoded reply.
 *
 * Notes about this registrar's API (transport):
 * - URL pattern `<base>/api/<resource>/<action>.json` (renew document, example URL:
 *   `https://test.httpapi.com/api/
 *   domains/renew.json`); the live host `https://httpapi.com` is LogicBoxes' public API host.
 * - Reads are GET with everything in the query string; state-changing calls are POST (renew is POST: renew
 *   document, HTTP Method). For POST we send the parameters as a form body so the API key never sits in a URL
 *   (our choice: secrets stay out of URLs); the renew document's examples use the query string, which LogicBoxes also reads.
 * - Credentials are ordinary parameters (renew document, Parameters). They are scrubbed from every upstream
 *   message we keep, and no error message here ever contains a URL.
 * - Errors arrive with HTTP 500 and a JSON envelope (or a page for a blocked IP): the body decides.
 */

import { GatewayError } from '../../core/errors';
import type { Availability, Price, PriceOperation } from '../../core/model';
import { callUpstream, httpFailure, type UpstreamRequest, type UpstreamResponse } from '../http';
import { OPERATIONS, type Operation, spends } from '../operation';
import type { ProviderDeps } from '../types';
import {
  type ActionReply,
  type BalanceReply,
  type DecodedDetails,
  decodeAction,
  decodeAvailability,
  decodeBalance,
  decodeDetails,
  decodeOrderId,
  decodePrices,
  decodeRenew,
  decodeResellerDetails,
  decodeSearchPage,
  encodeParams,
  failureOf,
  type InvoiceOption,
  type ParamValue,
  parseBody,
  type RenewReply,
  type SearchPage,
} from './codec';
import { errorFromFailure, errorFromPage, PROVIDER } from './errors';

export interface LogicboxesClientConfig {
  authUserId: string;
  apiKey: string;
  /** Origin only, e.g. `https://httpapi.com`. */
  baseUrl: string;
  timeoutMs?: number;
}

interface CallSpec {
  path: string;
  method: 'GET' | 'POST';
  /** Our operation (its name for errors and logs, its kind for what a failure means). */
  operation: Operation;
  params: Readonly<Record<string, ParamValue>>;
  signal?: AbortSignal;
  /** The reply reports an action (`actionstatus`), so `actionstatus: Failed` is an error. */
  actionReply?: boolean;
}

export interface RenewParams {
  orderId: string;
  years: number;
  /** The order's current `endtime`, verbatim: the registrar's duplicate-renewal guard. */
  expDate: number;
  invoiceOption: InvoiceOption;
  purchasePrivacy?: boolean;
  premium?: boolean;
}

export type LogicboxesClient = ReturnType<typeof createLogicboxesClient>;

export function createLogicboxesClient(config: LogicboxesClientConfig, deps: ProviderDeps) {
  const secrets = [config.apiKey, config.authUserId];
  const now = deps.now ?? Date.now;

  /** One exchange: returns the JSON value of a reply that is not an error, or throws a GatewayError. */
  async function call(spec: CallSpec): Promise<unknown> {
    const params = encodeParams({
      'auth-userid': config.authUserId,
      'api-key': config.apiKey,
      ...spec.params,
    });
    const base = `${config.baseUrl}/api/${spec.path}.json`;
    const req: UpstreamRequest = {
      provider: PROVIDER,
      operation: spec.operation,
      url: spec.method === 'GET' ? `${base}?${params}` : base,
      method: spec.method,
      headers:
        spec.method === 'POST'
          ? { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
          : { accept: 'application/json' },
      body: spec.method === 'POST' ? params : undefined,
      timeoutMs: config.timeoutMs,
      signal: spec.signal,
    };
    const res: UpstreamResponse = await callUpstream(deps, req);
    const body = parseBody(res.text);
    const ctx = { operation: spec.operation, httpStatus: res.status, secrets };
    if (body.kind === 'page') {
      throw errorFromPage(body.text, ctx) ?? httpFailure(req, res);
    }
    const failure = failureOf(body.value, { actionReply: spec.actionReply });
    if (failure) throw errorFromFailure(failure, ctx);
    if (res.status >= 300) {
      // JSON that is not an error envelope but came with an error status: not a reply we can trust.
      throw httpFailure(req, res);
    }
    return body.value;
  }

  /** A read about our own reseller account (`reseller-id` = our id). */
  function ownReseller(path: string, operation: Operation, signal?: AbortSignal): Promise<unknown> {
    return call({ path, method: 'GET', operation, params: { 'reseller-id': config.authUserId }, signal });
  }

  /** A decoder's protocol error after a spend means we cannot tell what happened. */
  function decodeSpend<T>(operation: Operation, decode: () => T): T {
    try {
      return decode();
    } catch (error) {
      if (spends(operation) && error instanceof GatewayError && error.kind === 'protocol') {
        throw new GatewayError('outcome_unknown', {
          message: `LogicBoxes ${operation.name}: the reply could not be read; the registrar may have acted`,
          provider: PROVIDER,
          operation: operation.name,
          retryable: false,
          cause: error,
        });
      }
      throw error;
    }
  }

  return {
    /** GET domains/available.json: `domain-name` (SLDs) × `tlds`, both repeated. */
    async available(
      slds: string[],
      tlds: string[],
      requested: string[],
      signal?: AbortSignal,
    ): Promise<Availability[]> {
      const value = await call({
        path: 'domains/available',
        method: 'GET',
        operation: OPERATIONS.checkAvailability,
        params: { 'domain-name': slds, tlds },
        signal,
      });
      return decodeAvailability(value, requested);
    },

    /** GET domains/orderid.json: a bare integer; an unknown name is an ERROR with HTTP 500. */
    async orderId(domain: string, operation: Operation, signal?: AbortSignal): Promise<string> {
      try {
        const value = await call({
          path: 'domains/orderid',
          method: 'GET',
          operation,
          params: { 'domain-name': domain },
          signal,
        });
        return decodeOrderId(value);
      } catch (error) {
        // orderid.json fails only for credentials, the IP allow-list or a name that is not in the
        // account; the last is answered with an ERROR envelope whose wording we may not know.
        if (
          error instanceof GatewayError &&
          error.upstreamMessage !== undefined &&
          !['authentication', 'permission', 'rate_limited', 'not_found'].includes(error.kind)
        ) {
          throw new GatewayError('not_found', {
            message: `LogicBoxes has no order for ${domain} in this account`,
            provider: PROVIDER,
            operation: operation.name,
            upstreamCode: error.upstreamCode,
            upstreamMessage: error.upstreamMessage,
          });
        }
        throw error;
      }
    },

    /** GET domains/details.json with `options` (repeated; `All` for everything). */
    async details(
      orderId: string,
      operation: Operation,
      options: string[] = ['All'],
      signal?: AbortSignal,
    ): Promise<DecodedDetails> {
      const value = await call({
        path: 'domains/details',
        method: 'GET',
        operation,
        params: { 'order-id': orderId, options },
        signal,
      });
      return decodeDetails(value, now());
    },

    /** GET domains/search.json, one page (`no-of-records` 10–500, `page-no` from 1). */
    async search(page: number, perPage: number, signal?: AbortSignal): Promise<SearchPage> {
      const value = await call({
        path: 'domains/search',
        method: 'GET',
        operation: OPERATIONS.listDomains,
        params: { 'no-of-records': perPage, 'page-no': page, 'order-by': 'orderid' },
        signal,
      });
      return decodeSearchPage(value, now());
    },

    /**
     * POST domains/renew.json (the renew document). Money: a lost or unreadable reply is `outcome_unknown`.
     */
    async renew(p: RenewParams, signal?: AbortSignal): Promise<RenewReply> {
      const params: Record<string, ParamValue> = {
        'order-id': p.orderId,
        years: p.years,
        'exp-date': p.expDate,
        'invoice-option': p.invoiceOption,
      };
      if (p.purchasePrivacy) params['purchase-privacy'] = 'true';
      if (p.premium) {
        params['attr-name1'] = 'premium';
        params['attr-value1'] = 'true';
      }
      const value = await call({
        path: 'domains/renew',
        method: 'POST',
        operation: OPERATIONS.renew,
        params,
        signal,
        actionReply: true,
      });
      return decodeSpend(OPERATIONS.renew, () => decodeRenew(value));
    },

    /** POST domains/modify-ns.json with `ns` repeated. */
    async modifyNs(orderId: string, nameservers: string[], signal?: AbortSignal): Promise<ActionReply> {
      const value = await call({
        path: 'domains/modify-ns',
        method: 'POST',
        operation: OPERATIONS.setNameservers,
        params: { 'order-id': orderId, ns: nameservers },
        signal,
        actionReply: true,
      });
      return decodeAction(value, 'domains/modify-ns');
    },

    /** POST domains/enable-theft-protection.json / disable-theft-protection.json. */
    async theftProtection(orderId: string, enable: boolean, signal?: AbortSignal): Promise<ActionReply> {
      const path = enable ? 'domains/enable-theft-protection' : 'domains/disable-theft-protection';
      const value = await call({
        path,
        method: 'POST',
        operation: OPERATIONS.setLock,
        params: { 'order-id': orderId },
        signal,
        actionReply: true,
      });
      return decodeAction(value, path);
    },

    /** GET billing/reseller-balance.json for our own reseller id; the currency only when it says one. */
    async resellerBalance(
      operation: Operation = OPERATIONS.getBalance,
      signal?: AbortSignal,
    ): Promise<BalanceReply> {
      return decodeBalance(await ownReseller('billing/reseller-balance', operation, signal));
    },

    /** GET resellers/details.json for our own reseller id: the account's currency. */
    async resellerDetails(operation: Operation, signal?: AbortSignal): Promise<{ currency: string }> {
      return decodeResellerDetails(await ownReseller('resellers/details', operation, signal));
    },

    /** GET products/reseller-price.json (our cost) or products/customer-price.json (selling price). */
    async prices(
      list: 'reseller' | 'customer',
      currency: string,
      filter: { tld?: string; operation?: PriceOperation; years?: number },
      signal?: AbortSignal,
    ): Promise<Price[]> {
      const value = await call({
        path: list === 'reseller' ? 'products/reseller-price' : 'products/customer-price',
        method: 'GET',
        operation: OPERATIONS.getPrices,
        params: list === 'reseller' ? { 'reseller-id': config.authUserId } : {},
        signal,
      });
      return decodePrices(value, currency, filter);
    },
  };
}
