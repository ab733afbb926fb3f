/**
 * Prices side by side: every configured account's price for one TLD, operation and term,
 * cheapest first. Amounts stay in the registrar's currency; they are converted (for sorting and
 * as an extra `converted` field) only when the operator configured rates, because a silently
 * guessed exchange rate would make the comparison wrong.
 */

import { isGatewayError } from './errors';
import type { Money, PriceOperation } from './model';
import { compareAmounts } from './money';
import type { ProviderLookup as Accounts } from './provider-lookup';

export interface PriceQuote {
  account: string;
  provider: string;
  tld: string;
  operation: PriceOperation;
  years: number;
  price: Money;
  /** The price in the base currency, when rates are configured for its currency. */
  converted?: Money;
}

export interface PriceFailure {
  account: string;
  provider: string;
  kind: string;
  message: string;
}

export interface PriceComparison {
  tld: string;
  operation: PriceOperation;
  years: number;
  /** Cheapest first (by `converted` when every quote has one, else by currency then amount). */
  prices: PriceQuote[];
  /** True when the order is a true cheapest-first across all quotes (one currency, or all converted). */
  comparable: boolean;
  baseCurrency?: string;
  /** Accounts that could not quote (no capability, upstream error, no price for this TLD/term). */
  unavailable: PriceFailure[];
}

/** `PRICE_BASE_CURRENCY` + `PRICE_RATES` (`CNY=0.138,EUR=1.08`: one unit in the base currency). */
export interface ExchangeRates {
  base: string;
  rates: Map<string, string>;
}

/** Exact decimal product of two decimal strings (no float), trimmed to `scale` places, half up. */
export function multiplyDecimals(a: string, b: string, scale = 4): string {
  const split = (x: string) => {
    const [int, frac = ''] = x.split('.') as [string, string?];
    return { digits: BigInt(int.replace('-', '') + frac), places: frac.length, negative: x.startsWith('-') };
  };
  const x = split(a);
  const y = split(b);
  let product = x.digits * y.digits;
  let places = x.places + y.places;
  if (places > scale) {
    const divisor = 10n ** BigInt(places - scale);
    product = (product + divisor / 2n) / divisor;
    places = scale;
  }
  const text = product.toString().padStart(places + 1, '0');
  const int = text.slice(0, text.length - places);
  const frac = text.slice(text.length - places).replace(/0+$/, '');
  const negative = x.negative !== y.negative && product !== 0n;
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export interface PriceQueryOptions {
  tld: string;
  operation: PriceOperation;
  years: number;
  /** Only this account. */
  account?: string;
  rates?: ExchangeRates;
  signal?: AbortSignal;
}

/** Asks every account (in parallel; each account's gate paces its own calls) and sorts. */
export async function comparePrices(accounts: Accounts, query: PriceQueryOptions): Promise<PriceComparison> {
  const names = query.account === undefined ? accounts.list().map((a) => a.name) : [query.account];
  const prices: PriceQuote[] = [];
  const unavailable: PriceFailure[] = [];
  await Promise.all(
    names.map(async (name) => {
      const provider = accounts.get(name);
      const fail = (kind: string, message: string) =>
        unavailable.push({ account: name, provider: provider.key, kind, message });
      if (!provider.capabilities.has('getPrices')) {
        fail('unsupported', 'this registrar has no price list operation');
        return;
      }
      try {
        const list = await provider.getPrices(
          { tld: query.tld, operation: query.operation, years: query.years },
          { signal: query.signal },
        );
        const match = list.find(
          (p) => p.tld === query.tld && p.operation === query.operation && p.years === query.years,
        );
        if (!match) {
          fail('not_found', `no ${query.operation} price for .${query.tld} over ${query.years} year(s)`);
          return;
        }
        const quote: PriceQuote = {
          account: name,
          provider: provider.key,
          tld: query.tld,
          operation: query.operation,
          years: query.years,
          price: match.amount,
        };
        const rate = query.rates?.rates.get(match.amount.currency);
        if (query.rates && rate !== undefined) {
          quote.converted = {
            amount: multiplyDecimals(match.amount.amount, rate),
            currency: query.rates.base,
          };
        }
        prices.push(quote);
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        fail(error.kind, error.message);
      }
    }),
  );
  const allConverted = prices.every((p) => p.converted !== undefined);
  const oneCurrency = new Set(prices.map((p) => p.price.currency)).size <= 1;
  prices.sort((a, b) => {
    if (allConverted && a.converted && b.converted) {
      return compareAmounts(a.converted.amount, b.converted.amount) || a.account.localeCompare(b.account);
    }
    return (
      a.price.currency.localeCompare(b.price.currency) ||
      compareAmounts(a.price.amount, b.price.amount) ||
      a.account.localeCompare(b.account)
    );
  });
  unavailable.sort((a, b) => a.account.localeCompare(b.account));
  return {
    tld: query.tld,
    operation: query.operation,
    years: query.years,
    prices,
    comparable: oneCurrency || (allConverted && prices.length > 0),
    baseCurrency: query.rates?.base,
    unavailable,
  };
}
