/**
 * Pure decisions of the engine, kept apart so each rule has its own tests: which registrar
 * errors prove nothing was spent, which registrars make a resubmission safe, and what a re-read
 * expiry says about a renewal.
 */
import { addYears, toLocalDate } from '../dates';
import type { ErrorKind } from '../errors';
import type { ItemKind, Money, Price } from '../model';
import { multiplyAmount, normalizeCurrency } from '../money';

/**
 * Errors of `renew` that prove the registrar did not act: the guard refused, the money was not
 * there, the request was invalid or not allowed. Anything else after the request may have left
 * (transport, 5xx, garbage, timeouts, rate limits answered by a proxy) is `outcome_unknown`.
 */
const REFUSALS: ReadonlySet<ErrorKind> = new Set([
  'conflict',
  'insufficient_funds',
  'not_found',
  'invalid_request',
  'authentication',
  'permission',
  'unsupported',
]);

export function isRefusal(kind: ErrorKind | undefined): boolean {
  return kind !== undefined && REFUSALS.has(kind);
}

/**
 * Registrars whose renew command carries a current-expiry guard the registrar itself checks
 * (LogicBoxes `exp-date`, MrDomain `curExpDate`, Alibaba `CurrentExpirationDate`): a second
 * submission after a lost reply is refused once the first one has moved the expiry, so a
 * resubmission after the expiry is seen unchanged cannot renew twice. Dynadot and 35.com have no
 * guard: a lost reply there ends in `needs_attention` when the expiry stays unchanged.
 */
export const GUARDED_REGISTRARS: ReadonlySet<string> = new Set(['logicboxes', 'mrdomain', 'alibaba']);

/**
 * Only domain renewals carry such a guard. 35.com's RenewVhost/RenewMail take `currentexpiredate`
 * but its manual never says the server refuses a wrong one, and MrDomain's `service/renew` and
 * `ssl/renew` take none: a service whose reply was lost and whose expiry stays unchanged goes to a
 * person (needs_attention), never back to the registrar.
 */
export function resubmissionIsSafe(provider: string, kind: ItemKind = 'domain'): boolean {
  return kind === 'domain' && GUARDED_REGISTRARS.has(provider);
}

export type ExpiryVerdict = 'renewed' | 'unchanged' | 'other';

const DAY_MS = 86_400_000;

/**
 * What the registrar's current expiry says about a renewal of `years` from `expectedDay`
 * (`YYYY-MM-DD`). Registrars disagree by a day around 29 February and time zones, so "renewed"
 * accepts the target day ± 1; "unchanged" is the same UTC day.
 */
export function judgeExpiry(currentExpiry: string, expectedDay: string, years: number): ExpiryVerdict {
  const current = toLocalDate(currentExpiry);
  if (current === expectedDay) return 'unchanged';
  const target = Date.parse(addYears(`${expectedDay}T00:00:00.000Z`, years));
  const now = Date.parse(`${current}T00:00:00.000Z`);
  return Math.abs(now - target) <= DAY_MS ? 'renewed' : 'other';
}

function bareTld(tld: string): string {
  return tld.replace(/^\./, '').toLowerCase();
}

/** The renewal price of `years` for `tld`: the registrar's own multi-year price, else 1 year × years. */
export function renewalPrice(prices: readonly Price[], tld: string, years: number): Money | undefined {
  const renew = prices.filter((p) => p.operation === 'renew' && bareTld(p.tld) === bareTld(tld));
  const exact = renew.find((p) => p.years === years);
  if (exact) return exact.amount;
  const one = renew.find((p) => p.years === 1);
  return one
    ? { amount: multiplyAmount(one.amount.amount, years), currency: one.amount.currency }
    : undefined;
}

export function sameCurrency(a: Money, b: Money): boolean {
  try {
    return normalizeCurrency(a.currency) === normalizeCurrency(b.currency);
  } catch {
    return false;
  }
}

/** Reminder window a domain falls in: the tightest window (days) that contains its expiry. */
export function reminderWindow(
  expiresAt: string,
  now: number,
  windowsDays: readonly number[],
): number | undefined {
  const daysLeft = (Date.parse(expiresAt) - now) / DAY_MS;
  if (Number.isNaN(daysLeft)) return undefined;
  const fitting = windowsDays.filter((w) => daysLeft <= w);
  return fitting.length > 0 ? Math.min(...fitting) : undefined;
}
