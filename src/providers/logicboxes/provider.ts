/**
 * ResellerClub / LogicBoxes provider: maps the domain model onto the HTTP API.
 *
 * Notes about this registrar's API (see docs/providers/logicboxes.md for the whole picture):
 * - Everything is keyed by ORDER ID, not domain name (renew takes `order-id`: renew document, Parameters):
 *   each domain operation first resolves the name with `domains/orderid.json`.
 * - Renewal guard: `exp-date` must be the order's current expiry in epoch seconds (renew document,
 *   Parameters). We read `endtime` first, refuse (`conflict`) when it is not the caller's expected day, and
 *   send `endtime` verbatim, so a repeat after a lost reply is refused by LogicBoxes itself.
 * - `invoice-option` (renew document, Parameters) decides whether the renewal executes now: `NoInvoice`,
 *   `KeepInvoice` and a paid `PayInvoice` do; `OnlyAdd` and an unpaid `PayInvoice` leave the
 *   action pending until the invoice is paid (→ outcome `pending`).
 * - Privacy is renewed with the domain only when the order has it and the TLD supports it (renew document,
 *   Parameters); premium names need `attr-name1=premium&attr-value1=true` (renew document, premium example).
 * - The balance reply may not name its currency, and the price lists never do: the account's
 *   currency is the balance's `sellingcurrencysymbol` when present, else `parentsellingcurrencysymbol`
 *   of `resellers/details.json`, where LogicBoxes' own billing modules read it (docs/decisions.md).
 */
import { sameDay } from '../../core/dates';
import { requireDomainName, tldOf } from '../../core/domain-name';
import { GatewayError, invalidRequest } from '../../core/errors';
import type { Availability, DomainInfo, DomainSummary, RenewalResult, TransferState } from '../../core/model';
import { defineProvider, defineProviderDefinition } from '../define';
import { OPERATIONS, type Operation, query } from '../operation';
import type { CallOptions, PriceQuery, RenewRequest } from '../types';
import { createLogicboxesClient } from './client';
import { privacySupported } from './codec';
import { type LogicboxesConfig, logicboxesConfig } from './config';
import { PROVIDER } from './errors';

/** Names per `domains/available.json` call (one TLD per call, up to this many SLDs). */
const AVAILABILITY_BATCH = 20;
/** `no-of-records` accepts 10–500 (LogicBoxes' public API reference); fewer pages means fewer calls for inventory sync. */
const SEARCH_PAGE_SIZE = 500;
/** NS records per order (LogicBoxes' public API reference). */
const MAX_NAMESERVERS = 13;
/**
 * The reads a renewal makes before it spends (order id, current `endtime`): queries, since a lost
 * reply there spent nothing, under the renewal's name in logs and errors.
 */
const RENEWAL_READ = query('renew');

export const logicboxes = defineProviderDefinition<LogicboxesConfig>({
  key: 'logicboxes',
  displayName: 'ResellerClub / LogicBoxes',
  config: logicboxesConfig,
  // No concurrency, pacing or session rule in the registrar's document (docs/decisions.md, "The
  // account gate admits only where a registrar has a rule"): its calls skip the gate, and 4 is
  // one request's fan-out (`limits.concurrency`), not a limit across requests.
  gate: () => ({ concurrency: 4, admission: 'none' }),
  create: (account, config, deps) => createLogicboxesProvider(account, config, deps),
});

export function createLogicboxesProvider(
  account: string,
  config: LogicboxesConfig,
  deps: Parameters<typeof createLogicboxesClient>[1],
) {
  const client = createLogicboxesClient(
    {
      authUserId: config.AUTH_USERID,
      apiKey: config.API_KEY,
      baseUrl: config.BASE_URL,
    },
    deps,
  );
  /**
   * The account's currency, learned once per provider instance (one request or job): from the
   * balance reply when it names one, else from `resellers/details.json`, where LogicBoxes' own
   * billing modules read it (docs/decisions.md, LogicBoxes: balance currency).
   */
  let currency: string | undefined;
  async function accountCurrency(operation: Operation, signal?: AbortSignal): Promise<string> {
    currency ??= (await client.resellerDetails(operation, signal)).currency;
    return currency;
  }

  async function resolve(domain: string, operation: Operation, opts: CallOptions) {
    const name = requireDomainName(domain);
    const orderId = await client.orderId(name, operation, opts.signal);
    return { name, orderId };
  }

  function toInfo(d: Awaited<ReturnType<typeof client.details>>): DomainInfo {
    return {
      domain: d.domain,
      expiresAt: d.expiresAt,
      createdAt: d.createdAt,
      status: d.status,
      rawStatus: d.rawStatus,
      autoRenew: d.autoRenew,
      locked: d.locked,
      nameservers: d.nameservers,
      ref: { id: d.orderId, orderId: d.orderId, customerId: d.customerId, productKey: d.productKey },
    };
  }

  return defineProvider(
    {
      key: PROVIDER,
      account,
      limits: { availabilityBatch: AVAILABILITY_BATCH, concurrency: 4 },
      // The reseller balance is the cheapest authenticated read.
      ping: async (opts) => void (await client.resellerBalance(query('ping'), opts.signal)),
      /**
       * A `pending` renewal (OnlyAdd, or PayInvoice the customer could not pay) executes when its
       * invoice is paid. It is done once the order's expiry has moved past the `exp-date` we sent.
       */
      resumeRenewal: async (domain, ref, opts): Promise<RenewalResult> => {
        const name = requireDomainName(domain);
        const sent = Number(ref.expDate);
        if (!ref.orderId || !Number.isInteger(sent)) {
          throw invalidRequest(
            'this renewal reference has no LogicBoxes order id and exp-date to resume from',
          );
        }
        const d = await client.details(ref.orderId, OPERATIONS.getDomain, ['OrderDetails'], opts.signal);
        if (d.endtimeSeconds > sent)
          return { domain: name, outcome: 'confirmed', newExpiry: d.expiresAt, ref };
        return { domain: name, outcome: 'pending', ref };
      },
    },
    {
      async checkAvailability(domains, opts) {
        const names = [...new Set(domains.map((d) => requireDomainName(d)))];
        // One call carries SLDs × TLDs; grouping by TLD asks for exactly the names we want.
        const byTld = new Map<string, string[]>();
        for (const name of names) {
          const tld = tldOf(name);
          byTld.set(tld, [...(byTld.get(tld) ?? []), name]);
        }
        const batches: Array<{ tld: string; names: string[] }> = [];
        for (const [tld, group] of byTld) {
          for (let i = 0; i < group.length; i += AVAILABILITY_BATCH) {
            batches.push({ tld, names: group.slice(i, i + AVAILABILITY_BATCH) });
          }
        }
        const results = await Promise.all(
          batches.map((b) =>
            client.available(
              b.names.map((n) => n.slice(0, n.length - b.tld.length - 1)),
              [b.tld],
              b.names,
              opts.signal,
            ),
          ),
        );
        const byName = new Map<string, Availability>(results.flat().map((a) => [a.domain, a]));
        return names.map((n) => byName.get(n)!);
      },

      async getDomain(domain, opts) {
        const { orderId } = await resolve(domain, OPERATIONS.getDomain, opts);
        return toInfo(await client.details(orderId, OPERATIONS.getDomain, ['All'], opts.signal));
      },

      listDomains(opts): AsyncIterable<DomainSummary> {
        return {
          async *[Symbol.asyncIterator]() {
            for (let page = 1; ; page++) {
              const result = await client.search(page, SEARCH_PAGE_SIZE, opts.signal);
              yield* result.rows;
              if (result.rows.length === 0 || page * SEARCH_PAGE_SIZE >= result.total) return;
            }
          },
        };
      },

      async renew(domain: string, req: RenewRequest, opts: CallOptions): Promise<RenewalResult> {
        if (!Number.isInteger(req.years) || req.years < 1 || req.years > 10) {
          throw invalidRequest('years must be a whole number from 1 to 10', [
            { field: 'years', reason: 'must be 1–10' },
          ]);
        }
        if (!Number.isFinite(Date.parse(req.expectedExpiry))) {
          throw invalidRequest('expectedExpiry is not a date', [
            { field: 'expectedExpiry', reason: 'not ISO-8601' },
          ]);
        }
        const { name, orderId } = await resolve(domain, RENEWAL_READ, opts);
        const details = await client.details(orderId, RENEWAL_READ, ['All'], opts.signal);
        // Registrars disagree about the hour of an expiry; the caller's intent is the day.
        if (!sameDay(details.expiresAt, req.expectedExpiry)) {
          throw new GatewayError('conflict', {
            message: `${name} expires ${details.expiresAt}, not ${req.expectedExpiry}: it was renewed or changed since; nothing was renewed`,
            provider: PROVIDER,
            operation: 'renew',
            retryable: false,
          });
        }
        const reply = await client.renew(
          {
            orderId,
            years: req.years,
            // `endtime` verbatim: if someone renews between our read and this call, LogicBoxes refuses.
            expDate: details.endtimeSeconds,
            invoiceOption: config.INVOICE_OPTION,
            purchasePrivacy: details.privacyProtected && details.privacyAllowed && privacySupported(name),
            premium: details.premium,
          },
          opts.signal,
        );
        const ref = {
          id: orderId,
          orderId,
          expDate: String(details.endtimeSeconds),
          eaqid: reply.eaqid,
          actionStatus: reply.actionStatus,
          invoiceId: reply.invoiceId,
          invoiceOption: config.INVOICE_OPTION,
          privacy: reply.privacy
            ? reply.privacy.ok
              ? 'renewed'
              : `failed: ${reply.privacy.message ?? ''}`
            : undefined,
        };
        if (!reply.executed) {
          // OnlyAdd / unpaid PayInvoice: the invoice must be paid before LogicBoxes renews.
          return { domain: name, outcome: 'pending', charged: reply.charged, ref };
        }
        let newExpiry: string | undefined;
        try {
          newExpiry = (await client.details(orderId, OPERATIONS.getDomain, ['OrderDetails'], opts.signal))
            .expiresAt;
        } catch (error) {
          deps.logger.warn('renewed, but re-reading the new expiry failed', {
            domain: name,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        return { domain: name, outcome: 'confirmed', newExpiry, charged: reply.charged, ref };
      },

      async getBalance(opts) {
        const balance = await client.resellerBalance(OPERATIONS.getBalance, opts.signal);
        if (balance.currency) currency = balance.currency;
        return {
          available: {
            amount: balance.amount,
            currency: await accountCurrency(OPERATIONS.getBalance, opts.signal),
          },
        };
      },

      async getPrices(query: PriceQuery, opts) {
        // The price lists carry no currency: prices are in the account's currency.
        const listCurrency = await accountCurrency(OPERATIONS.getPrices, opts.signal);
        const tld = query.tld ? query.tld.toLowerCase().replace(/^\./, '') : undefined;
        return client.prices(
          config.PRICE_LIST,
          listCurrency,
          {
            tld,
            operation: query.operation,
            years: query.years,
          },
          opts.signal,
        );
      },

      async getNameservers(domain, opts) {
        const { orderId } = await resolve(domain, OPERATIONS.getNameservers, opts);
        return (await client.details(orderId, OPERATIONS.getNameservers, ['NsDetails'], opts.signal))
          .nameservers;
      },

      async setNameservers(domain, nameservers, opts) {
        if (nameservers.length < 1 || nameservers.length > MAX_NAMESERVERS) {
          throw invalidRequest(`give 1 to ${MAX_NAMESERVERS} name servers`, [
            { field: 'nameservers', reason: `1 to ${MAX_NAMESERVERS} names` },
          ]);
        }
        const hosts = nameservers.map((ns, i) => requireDomainName(ns, `nameservers[${i}]`));
        const { orderId } = await resolve(domain, OPERATIONS.setNameservers, opts);
        await client.modifyNs(orderId, hosts, opts.signal);
      },

      async setLock(domain, locked, opts) {
        const { orderId } = await resolve(domain, OPERATIONS.setLock, opts);
        await client.theftProtection(orderId, locked, opts.signal);
      },

      async getTransferStatus(domain, opts) {
        const { name, orderId } = await resolve(domain, OPERATIONS.getTransferStatus, opts);
        const d = await client.details(orderId, OPERATIONS.getTransferStatus, ['All'], opts.signal);
        if (!d.action || !/transfer/i.test(d.action.type)) return { domain: name, state: 'none' };
        return { domain: name, state: transferState(d.action.status), rawStatus: d.action.status };
      },
    },
  );
}

/** The current action's status of a transfer order (LogicBoxes' public API reference: `Success`, `Failed`, anything else pending). */
function transferState(actionStatus: string): TransferState {
  const s = actionStatus.toLowerCase();
  if (s === 'success') return 'completed';
  if (s === 'failed') return 'rejected';
  if (/cancel/.test(s)) return 'cancelled';
  return 'pending';
}
