/**
 * Registrars send dates in many forms; the API speaks ISO-8601 UTC only. Each converter names the
 * form it reads and throws a `protocol` error on anything else, so a bad upstream date is never
 * silently turned into "now" or NaN.
 */
import { protocolError } from './errors';
import type { IsoDateTime } from './model';

/** The largest instant a JS Date can hold (±100,000,000 days from the epoch). */
const MAX_DATE_MS = 8.64e15;

function iso(ms: number, raw: unknown): IsoDateTime {
  // Out of Date's range, toISOString() would throw a RangeError instead of a protocol error.
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS)
    throw protocolError(`not a date: ${JSON.stringify(raw)}`);
  return new Date(ms).toISOString();
}

/** Epoch milliseconds (Dynadot, Alibaba `...Long` fields). */
export function fromEpochMs(value: unknown): IsoDateTime {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number') throw protocolError(`not an epoch-ms date: ${JSON.stringify(value)}`);
  return iso(n, value);
}

/** Epoch seconds (LogicBoxes `endtime`, `creationtime`). */
export function fromEpochSeconds(value: unknown): IsoDateTime {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number') throw protocolError(`not an epoch-seconds date: ${JSON.stringify(value)}`);
  return iso(n * 1000, value);
}

const DATE_TIME = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * `YYYY-MM-DD`, `YYYYMMDD` or `YYYY-MM-DD HH:MM[:SS]`, read in a fixed UTC offset (minutes east of
 * UTC, e.g. 480 for China Standard Time, which 35.com and Alibaba use for their local strings).
 */
export function fromLocalDateTime(value: unknown, offsetMinutes = 0): IsoDateTime {
  if (typeof value !== 'string') throw protocolError(`not a date string: ${JSON.stringify(value)}`);
  const m = DATE_TIME.exec(value.trim());
  if (!m) throw protocolError(`not a date string: ${JSON.stringify(value)}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(ms);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) {
    throw protocolError(`not a calendar date: ${JSON.stringify(value)}`);
  }
  return iso(ms - offsetMinutes * 60_000, value);
}

/** ISO-8601 with an explicit zone (`2027-01-01T00:00:00Z`, `...+08:00`). */
export function fromIso(value: unknown): IsoDateTime {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) {
    throw protocolError(`not an ISO-8601 date with a zone: ${JSON.stringify(value)}`);
  }
  return iso(Date.parse(value), value);
}

/** `YYYY-MM-DD` of an ISO timestamp in a fixed offset, for registrars that take a date guard. */
export function toLocalDate(isoDate: IsoDateTime, offsetMinutes = 0): string {
  return new Date(Date.parse(isoDate) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** Same calendar day in UTC: expiry guards compare days, registrars disagree about the hour. */
export function sameDay(a: IsoDateTime, b: IsoDateTime, offsetMinutes = 0): boolean {
  return toLocalDate(a, offsetMinutes) === toLocalDate(b, offsetMinutes);
}

/** Add whole years, keeping month and day (29 Feb → 28 Feb in a common year, as registrars do). */
export function addYears(isoDate: IsoDateTime, years: number): IsoDateTime {
  const d = new Date(isoDate);
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return d.toISOString();
}
