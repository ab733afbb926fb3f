/**
 * The expiry timeline: the next 90 days cut into weeks from now (the last one shorter), with how
 * many domains and services each account has expiring in each week and what renewing them for a
 * year costs, summed per currency (never converted). Points (35.com exclusive-sale mail) are summed
 * apart: they are not money.
 */
import type { Money } from '../core/model';
import { addAmounts } from '../core/money';
import { totalsByCurrency } from '../core/renewals/forecast';
import { type AccountUpcoming, DAY_MS } from './upcoming';

/** The window (the intro text of both languages in i18n.ts names it). */
export const TIMELINE_DAYS = 90;
const WEEK_MS = 7 * DAY_MS;

export interface TimelineWeek {
  /** First and last day (UTC, `YYYY-MM-DD`). */
  from: string;
  to: string;
  /** Items (domains and services) expiring this week, by account (every account, zeros included). */
  counts: Record<string, number>;
  total: number;
  /** One year's renewal of this week's items priced in money, per currency. */
  cost: Money[];
  /** One year's renewal of this week's items priced in points (`0` when none). */
  points: string;
  /** Items of this week with no price (no price list, no price for the TLD, prices unreadable). */
  unpriced: number;
}

export interface Timeline {
  /** Accounts with an item expiring in the window, in name order. */
  accounts: string[];
  weeks: TimelineWeek[];
  /** Whether any week has items priced in points (the table then shows their column). */
  hasPoints: boolean;
  /** Accounts whose prices could not be read, and why. */
  problems: Array<{ account: string; message: string }>;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function buildTimeline(upcoming: readonly AccountUpcoming[], now: number): Timeline {
  const end = now + TIMELINE_DAYS * DAY_MS;
  const accounts = upcoming.map((a) => a.account);
  const weeks = Array.from({ length: Math.ceil(TIMELINE_DAYS / 7) }, (_, i) => {
    const start = now + i * WEEK_MS;
    return {
      from: day(start),
      to: day(Math.min(start + WEEK_MS - DAY_MS, end)),
      counts: Object.fromEntries(accounts.map((a) => [a, 0])) as Record<string, number>,
      total: 0,
      prices: [] as Money[],
      points: '0',
      unpriced: 0,
    };
  });
  for (const { account, items } of upcoming) {
    for (const item of items) {
      const week = weeks[Math.floor((Date.parse(item.expiresAt) - now) / WEEK_MS)];
      if (!week) continue; // the query bounds the window; this only guards the index
      week.counts[account]!++;
      week.total++;
      if (item.price) week.prices.push(item.price);
      else if (item.points !== undefined) week.points = addAmounts(week.points, item.points);
      else week.unpriced++;
    }
  }
  return {
    accounts,
    hasPoints: weeks.some((w) => w.points !== '0'),
    weeks: weeks.map(({ prices, ...week }) => ({ ...week, cost: totalsByCurrency(prices) })),
    problems: upcoming.flatMap((a) =>
      a.priceProblem ? [{ account: a.account, message: a.priceProblem }] : [],
    ),
  };
}
