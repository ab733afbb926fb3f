/**
 * The expiry timeline: the next 90 days cut into weeks from now (the last one shorter), with how
 * many domains each account has expiring in each week and what renewing them for a year costs,
 * summed per currency (never converted).
 */
import type { Money } from '../core/model';
import { totalsByCurrency } from '../core/renewals/forecast';
import { type AccountUpcoming, DAY_MS } from './upcoming';

/** The window (the intro text of both languages in i18n.ts names it). */
export const TIMELINE_DAYS = 90;
const WEEK_MS = 7 * DAY_MS;

export interface TimelineWeek {
  /** First and last day (UTC, `YYYY-MM-DD`). */
  from: string;
  to: string;
  /** Domains expiring this week, by account (every account of the timeline, zeros included). */
  counts: Record<string, number>;
  total: number;
  /** One year's renewal of this week's priced domains, per currency. */
  cost: Money[];
  /** Domains of this week with no price (no price list, no price for the TLD, prices unreadable). */
  unpriced: number;
}

export interface Timeline {
  /** Accounts with a domain expiring in the window, in name order. */
  accounts: string[];
  weeks: TimelineWeek[];
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
      unpriced: 0,
    };
  });
  for (const { account, domains } of upcoming) {
    for (const d of domains) {
      const week = weeks[Math.floor((Date.parse(d.expiresAt) - now) / WEEK_MS)];
      if (!week) continue; // the query bounds the window; this only guards the index
      week.counts[account]!++;
      week.total++;
      if (d.price) week.prices.push(d.price);
      else week.unpriced++;
    }
  }
  return {
    accounts,
    weeks: weeks.map(({ prices, ...week }) => ({ ...week, cost: totalsByCurrency(prices) })),
    problems: upcoming.flatMap((a) =>
      a.priceProblem ? [{ account: a.account, message: a.priceProblem }] : [],
    ),
  };
}
