/**
 * Dynadot provider: the domain model on top of the API3 client.
 *
 * Notes about this registrar's API (Dynadot's Advanced Domain API command list, Chinese edition —
 * "the API3 document"):
 * - One request at a time per key (API3 document, introduction); Dynadot's current command list gives
 *   bulk accounts 5 "threads" and super/premium bulk 25 to 35. The gate below is `{concurrency:
 *   DYNADOT_CONCURRENCY}`, 1 unless the operator raises it: every call of the account goes through its
 *   AccountGate Durable Object (core/account-gate.ts), a single instance per account worldwide, which
 *   admits that many upstream calls at a time. That is what makes the rule hold across worker isolates
 *   and machines; an in-memory mutex could not. A registrar that still says `system_busy` (another
 *   client on the same key, or a concurrency above the account's threads) becomes
 *   `upstream_unavailable`, retryable.
 * - `search` prices come as the document's `77.00 in USD` or, live, as `Registration Price: … and
 *   Renewal price: … and Domain is [not] a Premium Domain` (docs/decisions.md). The registration price
 *   is reported, `premium` from the marker; a price we cannot read is dropped for that name with a
 *   warning, never failing the other names of the batch.
 * - `search` takes `domain0..domain99` (API3 document, `search`): 100 names per call for bulk accounts, 1 for
 *   regular accounts (`DYNADOT_SEARCH_BATCH`).
 * - `renew` has no usable current-expiry guard (the optional `year` parameter is undocumented in
 *   meaning), so we read `domain_info` first and refuse with `conflict` when the expiry is
 *   not the one the caller expects. After a lost or unreadable reply we wait until `is_processing`
 *   says `no` (API3 document, `is_processing`), re-read the expiry and report `confirmed` if it moved by the
 *   renewed years; otherwise `outcome_unknown` stands for the renewal engine to settle (a later
 *   attempt passes the read-first guard again, which refuses once the first renewal has landed).
 * - There is no unlock command in API3 (only `lock_domain`; API3 document, `lock_domain`), so
 *   `setLock(false)` is `unsupported`.
 * - `get_order_status` and `is_processing` are exposed by the client; `renew` returns no order
 *   id (API3 document, `renew`), so renewals reconcile by re-reading the domain, not by order.
 */
import { addYears, sameDay } from '../../core/dates';
import { normalizeDomainName, requireDomainName } from '../../core/domain-name';
import { GatewayError, invalidRequest, isGatewayError, protocolError, unsupported } from '../../core/errors';
import type {
  Availability,
  DomainInfo,
  DomainSummary,
  Price,
  PriceOperation,
  RenewalResult,
  TransferState,
} from '../../core/model';
import { multiplyAmount, normalizeCurrency } from '../../core/money';
import { defineProvider, defineProviderDefinition } from '../define';
import type { Provider, ProviderDeps } from '../types';
import { createDynadotClient, type DynadotClient } from './client';
import { type DynadotDomain, NAMESERVERS_MAX } from './codec';
import { type DynadotConfig, dynadotConfig } from './config';

const KEY = 'dynadot';

function summaryOf(d: DynadotDomain): DomainSummary {
  return {
    domain: d.name,
    expiresAt: d.expiresAt,
    status: d.status,
    autoRenew: d.autoRenew,
    locked: d.locked,
    ref: { renewOption: d.renewOption },
  };
}

function infoOf(d: DynadotDomain): DomainInfo {
  return {
    domain: d.name,
    expiresAt: d.expiresAt,
    createdAt: d.registeredAt,
    status: d.status,
    rawStatus: d.rawStatus,
    autoRenew: d.autoRenew,
    locked: d.locked,
    nameservers: d.nameservers,
    ref: { renewOption: d.renewOption, nameServerType: d.nameServerType },
  };
}

/** Dynadot's transfer words (API3 document, `get_transfer_status`, translated) → the model's states. */
function transferStateOf(raw: string): TransferState {
  const s = raw.trim().toLowerCase();
  if (s === 'none') return 'none';
  if (s === 'approved') return 'approved';
  if (s === 'waiting' || s === 'auth code needed' || s === 'pending') return 'pending';
  if (s === 'completed' || s === 'complete') return 'completed';
  if (s === 'cancelled' || s === 'canceled') return 'cancelled';
  if (s === 'rejected' || s === 'denied' || s === 'failed') return 'rejected';
  return 'unknown';
}

function checkYears(years: number): void {
  if (!Number.isInteger(years) || years < 1 || years > 10) {
    throw invalidRequest('years must be a whole number from 1 to 10', [
      { field: 'years', reason: 'out of range' },
    ]);
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Build the provider for one Dynadot key. */
export function createDynadotProvider(account: string, config: DynadotConfig, deps: ProviderDeps): Provider {
  const client: DynadotClient = createDynadotClient(
    {
      apiKey: config.API_KEY,
      baseUrl: config.BASE_URL,
      timeoutMs: config.TIMEOUT_MS,
    },
    deps,
  );
  const sleep = deps.sleep ?? delay;
  const log = deps.logger.child({ provider: KEY });

  /** After a lost renew reply: wait (bounded) for the account to be idle, then re-read. */
  async function reconcileRenewal(
    domain: string,
    years: number,
    before: string,
    lost: GatewayError,
    signal?: AbortSignal,
  ): Promise<RenewalResult> {
    let after: DynadotDomain;
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (!(await client.isProcessing(signal))) break;
        await sleep(500 * (attempt + 1));
      }
      after = await client.domainInfo(domain, signal);
    } catch {
      // The re-read failed too: the original verdict stands, for the reconciler to settle later.
      throw lost;
    }
    if (sameDay(after.expiresAt, addYears(before, years))) {
      log.warn('renewal reply was lost; re-read shows it happened', { domain, years });
      return { domain, outcome: 'confirmed', newExpiry: after.expiresAt, ref: {} };
    }
    log.warn('renewal reply was lost; re-read shows no change', {
      domain,
      years,
      expiresAt: after.expiresAt,
    });
    const unchanged = sameDay(after.expiresAt, before);
    throw new GatewayError('outcome_unknown', {
      message: unchanged
        ? `dynadot renew ${domain}: the reply was lost; once the account was idle the expiry had not moved (still ${after.expiresAt}), so the renewal most likely did not happen`
        : `dynadot renew ${domain}: the reply was lost and the expiry is now ${after.expiresAt}, neither the old one nor ${years} year(s) later; check the domain before acting`,
      provider: KEY,
      operation: 'renew',
      retryable: false,
      cause: lost,
    });
  }

  return defineProvider(
    {
      key: KEY,
      account,
      limits: { availabilityBatch: config.SEARCH_BATCH, concurrency: config.CONCURRENCY },
      ping: async (opts) => {
        await client.accountInfo(opts.signal);
      },
    },
    {
      async checkAvailability(domains, opts) {
        const names = domains.map((d, i) => requireDomainName(d, `domains[${i}]`));
        const out: Availability[] = [];
        for (let i = 0; i < names.length; i += config.SEARCH_BATCH) {
          const batch = names.slice(i, i + config.SEARCH_BATCH);
          const results = await client.search(
            batch,
            { withPrices: opts.withPrices, currency: config.CURRENCY },
            opts.signal,
          );
          const byName = new Map(results.map((r) => [normalizeName(r.domain), r]));
          for (const name of batch) {
            const r = byName.get(name);
            if (!r)
              throw protocolError(`dynadot search: no result for ${name}`, {
                provider: KEY,
                operation: 'search',
              });
            if (r.unreadablePrice !== undefined) {
              // One odd price must not cost the other 99 names their answer: drop it, say so.
              log.warn('dynadot search: price text not understood; the name is answered without a price', {
                domain: name,
                price: r.unreadablePrice.slice(0, 200),
              });
            }
            out.push({
              domain: name,
              available: r.available,
              premium: r.premium,
              ...(r.price && r.available ? { price: r.price } : {}),
              ...(r.error ? { reason: r.error } : {}),
              ...(r.unknown ? { unknown: r.unknown } : {}),
            });
          }
        }
        return out;
      },

      async getDomain(domain, opts) {
        return infoOf(await client.domainInfo(requireDomainName(domain), opts.signal));
      },

      listDomains(opts) {
        return {
          async *[Symbol.asyncIterator]() {
            // Decoded one <Domain> at a time from the single reply (codec.decodeListDomain):
            // summaries are yielded as they are read and never collected here.
            for (const d of await client.listDomain(opts.signal)) yield summaryOf(d);
          },
        };
      },

      async renew(domain, req, opts) {
        const name = requireDomainName(domain);
        checkYears(req.years);
        const current = await client.domainInfo(name, opts.signal);
        if (!sameDay(current.expiresAt, req.expectedExpiry)) {
          throw new GatewayError('conflict', {
            message: `dynadot renew ${name}: the domain expires ${current.expiresAt}, not ${req.expectedExpiry}; it may have been renewed already`,
            provider: KEY,
            operation: 'renew',
          });
        }
        let result: Awaited<ReturnType<DynadotClient['renew']>>;
        try {
          result = await client.renew(name, req.years, opts.signal);
        } catch (error) {
          if (isGatewayError(error) && error.kind === 'outcome_unknown') {
            return reconcileRenewal(name, req.years, current.expiresAt, error, opts.signal);
          }
          throw error;
        }
        if (result.expiresAt)
          return { domain: name, outcome: 'confirmed', newExpiry: result.expiresAt, ref: {} };
        // Code 0 without the new expiry (not in any example): believe only a re-read.
        const unproven = new GatewayError('outcome_unknown', {
          message: `dynadot renew ${name}: success without a new expiry (status ${result.status ?? 'none'})`,
          provider: KEY,
          operation: 'renew',
          retryable: false,
        });
        return reconcileRenewal(name, req.years, current.expiresAt, unproven, opts.signal);
      },

      async getBalance(opts) {
        const balances = await client.getAccountBalance(opts.signal);
        const wanted = config.CURRENCY ? normalizeCurrency(config.CURRENCY) : undefined;
        const chosen = (wanted && balances.find((b) => b.currency === wanted)) ?? balances[0];
        if (!chosen)
          throw protocolError('dynadot get_account_balance: no balance in the reply', { provider: KEY });
        return { available: chosen };
      },

      async getPrices(query, opts) {
        const table = await client.tldPrice(query.currency ?? config.CURRENCY, opts.signal);
        const tld = query.tld?.replace(/^\./, '').toLowerCase();
        const years = query.years ?? 1;
        checkYears(years);
        const operations: PriceOperation[] = query.operation
          ? [query.operation]
          : ['register', 'renew', 'transfer'];
        const prices: Price[] = [];
        for (const row of table.tlds) {
          if (tld && row.tld !== tld) continue;
          for (const operation of operations) {
            const perPeriod = operation === 'restore' ? undefined : row[operation];
            if (perPeriod === undefined) continue;
            // Prices are per `(Price/1 year)`; longer terms are that price times the years
            // (the API3 document gives no multi-year table; transfers are always one year).
            const term = operation === 'transfer' ? 1 : years;
            // A table priced per N years cannot give an exact price for a term that is not a
            // multiple of N (and BigInt refuses a fractional factor): no price rather than a guess.
            if (row.years < 1 || term % row.years !== 0) continue;
            prices.push({
              tld: row.tld,
              operation,
              years: term,
              amount: { amount: multiplyAmount(perPeriod, term / row.years), currency: table.currency },
            });
          }
        }
        return prices;
      },

      async getNameservers(domain, opts) {
        return client.getNs(requireDomainName(domain), opts.signal);
      },

      async setNameservers(domain, nameservers, opts) {
        const name = requireDomainName(domain);
        if (nameservers.length < 1 || nameservers.length > NAMESERVERS_MAX) {
          throw invalidRequest(`give 1 to ${NAMESERVERS_MAX} name servers`, [
            { field: 'nameservers', reason: 'count' },
          ]);
        }
        const hosts = nameservers.map((ns, i) => requireDomainName(ns, `nameservers[${i}]`));
        await client.setNs(name, hosts, opts.signal);
      },

      async setAutoRenew(domain, enabled, opts) {
        await client.setRenewOption(requireDomainName(domain), enabled ? 'auto' : 'donot', opts.signal);
      },

      async setLock(domain, locked, opts) {
        const name = requireDomainName(domain);
        if (!locked) {
          const refusal = unsupported(KEY, 'setLock');
          throw new GatewayError('unsupported', {
            message:
              'dynadot has no unlock command in its API (only lock_domain); unlock in the control panel',
            provider: KEY,
            operation: 'setLock',
            cause: refusal,
          });
        }
        await client.lockDomain(name, opts.signal);
      },

      async getTransferStatus(domain, opts) {
        const name = requireDomainName(domain);
        const transfers = await client.getTransferStatus(name, 'in', opts.signal);
        const latest = transfers.at(-1);
        if (!latest) return { domain: name, state: 'none' };
        return { domain: name, state: transferStateOf(latest.status), rawStatus: latest.status };
      },
    },
  );
}

function normalizeName(name: string): string {
  const r = normalizeDomainName(name);
  return r.ok ? r.name : name;
}

export const dynadot = defineProviderDefinition<DynadotConfig>({
  key: KEY,
  displayName: 'Dynadot',
  config: dynadotConfig,
  // The account's threads (one by default, as the document says), enforced across isolates by the
  // AccountGate DO.
  gate: (config) => ({ concurrency: config.CONCURRENCY }),
  create: (account, config, deps) => createDynadotProvider(account, config, deps),
});
