/**
 * The renewals coming up, per account, priced: what the timeline and money pages show. The
 * inventory says which domains expire when (domainsExpiringBetween), each account's price list
 * what one year costs (renewalPricesByTld, as the low-balance alert prices them). An account whose
 * prices cannot be read still counts its domains; they are "unpriced", never priced at a guess.
 */

import { tldOf } from '../core/domain-name';
import { domainsExpiringBetween } from '../core/domains';
import { isGatewayError } from '../core/errors';
import type { Money } from '../core/model';
import type { ProviderLookup } from '../core/provider-lookup';
import { renewalPricesByTld } from '../core/renewals/forecast';

export const DAY_MS = 86_400_000;

export interface UpcomingDomain {
  domain: string;
  expiresAt: string;
  /** One year's renewal at the account, when its price list has the TLD. */
  price?: Money;
}

export interface AccountUpcoming {
  account: string;
  provider: string;
  /** Soonest first. */
  domains: UpcomingDomain[];
  /** Why none of them is priced, when the price list could not be read. */
  priceProblem?: string;
}

/**
 * Every held domain expiring from `now` to `days` ahead, grouped by account (accounts in name
 * order), each priced at its account. Accounts' price lists are read in parallel.
 */
export async function upcomingRenewals(
  db: D1Database,
  accounts: ProviderLookup,
  now: number,
  days: number,
  signal?: AbortSignal,
): Promise<AccountUpcoming[]> {
  const due = await domainsExpiringBetween(db, {
    from: new Date(now).toISOString(),
    to: new Date(now + days * DAY_MS).toISOString(),
  });
  const byAccount = new Map<string, typeof due>();
  for (const d of due) byAccount.set(d.account, [...(byAccount.get(d.account) ?? []), d]);
  const names = [...byAccount.keys()].sort();
  return Promise.all(
    names.map(async (account): Promise<AccountUpcoming> => {
      const held = byAccount.get(account)!;
      const plain = held.map((d) => ({ domain: d.domain, expiresAt: d.expiresAt }));
      const provider = held[0]!.provider;
      try {
        const prices = await renewalPricesByTld(accounts.get(account), held, signal);
        return {
          account,
          provider,
          domains: plain.map((d) => ({ ...d, price: prices.get(tldOf(d.domain)) })),
        };
      } catch (error) {
        // An account no longer configured, or its registrar not answering: counted, not priced.
        if (!isGatewayError(error)) throw error;
        return { account, provider, domains: plain, priceProblem: error.message };
      }
    }),
  );
}
