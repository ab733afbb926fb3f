/**
 * What upcoming renewals will cost: each domain at its account's 1-year renewal price for its TLD
 * (the registrar's price list, read once per TLD). The daily low-balance alert and the
 * dashboard's timeline and money pages price renewals through here, so they agree.
 */

import type { Provider } from '../../providers/types';
import { tldOf } from '../domain-name';
import type { Money } from '../model';
import { addAmounts, normalizeCurrency } from '../money';
import { renewalPrice } from './policy';

/**
 * The 1-year renewal price at this account of every TLD among `domains`; a TLD maps to undefined
 * where the account lists no price for it, and every TLD does when the account has no price list.
 * Sequential, one read per TLD: the account's gate paces them anyway. A failed read throws.
 */
export async function renewalPricesByTld(
  provider: Provider,
  domains: readonly { domain: string }[],
  signal?: AbortSignal,
): Promise<Map<string, Money | undefined>> {
  const prices = new Map<string, Money | undefined>();
  for (const { domain } of domains) prices.set(tldOf(domain), undefined);
  if (!provider.capabilities.has('getPrices')) return prices;
  for (const tld of prices.keys()) {
    const list = await provider.getPrices({ tld, operation: 'renew', years: 1 }, { signal });
    prices.set(tld, renewalPrice(list, tld, 1));
  }
  return prices;
}

/** Amounts summed per currency (upper-case codes, sorted): no exchange rate is ever guessed. */
export function totalsByCurrency(amounts: readonly Money[]): Money[] {
  const totals = new Map<string, string>();
  for (const { amount, currency } of amounts) {
    const code = normalizeCurrency(currency);
    totals.set(code, addAmounts(totals.get(code) ?? '0', amount));
  }
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => ({ amount, currency }));
}
