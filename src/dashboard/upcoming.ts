/**
 * The renewals coming up, per account, priced: what the timeline and money pages show. The
 * inventory says which domains and services expire when (domainsExpiringBetween,
 * servicesExpiringBetween). A domain is priced by its account's price list (renewalPricesByTld, as
 * the low-balance alert prices them); a service by the 1-year quote its last sync or read kept. An
 * account whose prices cannot be read still counts its domains; they are "unpriced", never priced
 * at a guess. A quote in 35.com exclusive-sale points is kept apart from money: points are prepaid
 * units, so they are listed as points and never added to a total in money.
 */

import { tldOf } from '../core/domain-name';
import { domainsExpiringBetween } from '../core/domains';
import { isGatewayError } from '../core/errors';
import { itemKey } from '../core/items';
import type { ItemKind, Money } from '../core/model';
import type { ProviderLookup } from '../core/provider-lookup';
import { renewalPricesByTld } from '../core/renewals/forecast';
import { type InventoryService, servicesExpiringBetween } from '../core/services';
import { isPoints } from './item-format';

export const DAY_MS = 86_400_000;

export interface UpcomingItem {
  kind: ItemKind;
  /** The item's key: the domain name, or `<kind>:<id>` for a service. */
  key: string;
  expiresAt: string;
  /** One year's renewal in money, when known. */
  price?: Money;
  /** One year's renewal in points (a 35.com exclusive-sale mail): never part of a money total. */
  points?: string;
}

export interface AccountUpcoming {
  account: string;
  provider: string;
  /** Domains and services, soonest first. */
  items: UpcomingItem[];
  /** Why none of its domains is priced, when the price list could not be read. */
  priceProblem?: string;
}

interface Held {
  provider: string;
  domains: Array<{ domain: string; expiresAt: string }>;
  services: InventoryService[];
}

function serviceItem(s: InventoryService & { expiresAt: string }): UpcomingItem {
  const base = { kind: s.kind, key: itemKey(s), expiresAt: s.expiresAt };
  if (!s.renewalPrice) return base;
  return isPoints(s.renewalPrice)
    ? { ...base, points: s.renewalPrice.amount }
    : { ...base, price: s.renewalPrice };
}

async function accountUpcoming(
  accounts: ProviderLookup,
  account: string,
  held: Held,
  signal?: AbortSignal,
): Promise<AccountUpcoming> {
  const services = held.services.flatMap((s) =>
    s.expiresAt ? [serviceItem({ ...s, expiresAt: s.expiresAt })] : [],
  );
  const sorted = (domains: UpcomingItem[]) =>
    [...domains, ...services].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  const plain = held.domains.map((d) => ({ kind: 'domain' as const, key: d.domain, expiresAt: d.expiresAt }));
  if (plain.length === 0) return { account, provider: held.provider, items: sorted([]) };
  try {
    const prices = await renewalPricesByTld(accounts.get(account), held.domains, signal);
    const priced = plain.map((d) => {
      const price = prices.get(tldOf(d.key));
      return price ? { ...d, price } : d;
    });
    return { account, provider: held.provider, items: sorted(priced) };
  } catch (error) {
    // An account no longer configured, or its registrar not answering: counted, not priced.
    if (!isGatewayError(error)) throw error;
    return { account, provider: held.provider, items: sorted(plain), priceProblem: error.message };
  }
}

/**
 * Every held domain and live service expiring from `now` to `days` ahead, grouped by account
 * (accounts in name order). Accounts' price lists are read in parallel.
 */
export async function upcomingRenewals(
  db: D1Database,
  accounts: ProviderLookup,
  now: number,
  days: number,
  signal?: AbortSignal,
): Promise<AccountUpcoming[]> {
  const from = new Date(now).toISOString();
  const to = new Date(now + days * DAY_MS).toISOString();
  const [domains, services] = await Promise.all([
    domainsExpiringBetween(db, { from, to }),
    servicesExpiringBetween(db, from, to),
  ]);
  const byAccount = new Map<string, Held>();
  const heldBy = (account: string, provider: string) => {
    const held = byAccount.get(account) ?? { provider, domains: [], services: [] };
    byAccount.set(account, held);
    return held;
  };
  for (const d of domains) heldBy(d.account, d.provider).domains.push(d);
  for (const s of services) heldBy(s.account, s.provider).services.push(s);
  const names = [...byAccount.keys()].sort();
  return Promise.all(
    names.map((account) => accountUpcoming(accounts, account, byAccount.get(account)!, signal)),
  );
}
