/**
 * The money page's numbers: each configured account's balance (read from its registrar, as
 * GET /v1/accounts/{account}/balance reads it) against what its renewals of the next 30 and 90
 * days will cost (upcoming.ts: domains and services) and the low-balance threshold of its currency
 * (LOW_BALANCE_THRESHOLDS, the daily alert's). Points are listed beside a forecast, never in it.
 */
import { isGatewayError } from '../core/errors';
import type { Money } from '../core/model';
import { addAmounts, compareAmounts } from '../core/money';
import type { ProviderLookup } from '../core/provider-lookup';
import { totalsByCurrency } from '../core/renewals/forecast';
import { sameCurrency } from '../core/renewals/policy';
import { type AccountUpcoming, DAY_MS, upcomingRenewals } from './upcoming';

export const FORECAST_DAYS = [30, 90] as const;

export interface SpendForecast {
  days: number;
  /** Domains and services due. */
  items: number;
  /** Per currency; only the balance's currency can be compared with the balance. */
  cost: Money[];
  /** What the items priced in points will take (`0` when none): not money, not in `cost`. */
  points: string;
  unpriced: number;
  /** The balance is below this forecast's cost in the balance's currency. */
  short: boolean;
}

export interface AccountMoney {
  account: string;
  provider: string;
  balance?: Money;
  /** Why there is no balance (the registrar has none, or it did not answer). */
  balanceProblem?: string;
  threshold?: Money;
  belowThreshold: boolean;
  forecasts: SpendForecast[];
  priceProblem?: string;
}

/** `12.5 USD, 300 CNY`: amounts of several currencies are listed, never added up. */
export function moneyList(amounts: readonly Money[]): string {
  return amounts.map((m) => `${m.amount} ${m.currency}`).join(', ');
}

function forecastOf(upcoming: AccountUpcoming | undefined, until: number, days: number, balance?: Money) {
  const due = (upcoming?.items ?? []).filter((d) => Date.parse(d.expiresAt) <= until);
  const cost = totalsByCurrency(due.flatMap((d) => (d.price ? [d.price] : [])));
  const inBalanceCurrency = balance && cost.find((m) => sameCurrency(m, balance));
  return {
    days,
    items: due.length,
    cost,
    points: due.reduce((sum, d) => (d.points === undefined ? sum : addAmounts(sum, d.points)), '0'),
    unpriced: due.filter((d) => !d.price && d.points === undefined).length,
    short: !!inBalanceCurrency && compareAmounts(balance.amount, inBalanceCurrency.amount) < 0,
  };
}

async function balanceOf(accounts: ProviderLookup, account: string, signal?: AbortSignal) {
  const provider = accounts.get(account);
  if (!provider.capabilities.has('getBalance')) return { provider: provider.key, problem: 'unsupported' };
  try {
    return { provider: provider.key, balance: (await provider.getBalance({ signal })).available };
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { provider: provider.key, problem: error.message };
  }
}

/** Every configured account, in name order: balance, threshold and 30/90-day forecasts. */
export async function accountsMoney(
  db: D1Database,
  accounts: ProviderLookup,
  thresholds: Readonly<Record<string, string>>,
  now: number,
  signal?: AbortSignal,
): Promise<AccountMoney[]> {
  const widest = Math.max(...FORECAST_DAYS);
  const names = accounts
    .list()
    .map((a) => a.name)
    .sort();
  const [upcoming, balances] = await Promise.all([
    upcomingRenewals(db, accounts, now, widest, signal),
    Promise.all(names.map((name) => balanceOf(accounts, name, signal))),
  ]);
  return names.map((account, i) => {
    const { provider, balance, problem } = balances[i]!;
    const mine = upcoming.find((u) => u.account === account);
    const limit = balance && thresholds[balance.currency.toUpperCase()];
    const threshold =
      balance && limit !== undefined ? { amount: limit, currency: balance.currency } : undefined;
    return {
      account,
      provider,
      balance,
      balanceProblem: problem,
      threshold,
      belowThreshold: !!balance && !!threshold && compareAmounts(balance.amount, threshold.amount) < 0,
      forecasts: FORECAST_DAYS.map((days) => forecastOf(mine, now + days * DAY_MS, days, balance)),
      priceProblem: mine?.priceProblem,
    };
  });
}
