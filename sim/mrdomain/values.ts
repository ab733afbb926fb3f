/**
 * Dates and money as the MrDomain simulator keeps them: dates `YYYY-MM-DD` (User Manual §5.3.2
 * Response), amounts in whole cents, written out as the JSON numbers PHP prints (§4.1 Info).
 */

export const DAY = 86_400_000;

/** The UTC day of a timestamp, `YYYY-MM-DD`. */
export function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A decimal string (`"12.50"`) in whole cents. */
export function cents(decimal: string): number {
  const [int, frac = ''] = decimal.split('.') as [string, string?];
  return Number(int) * 100 + Number(frac.padEnd(2, '0').slice(0, 2));
}

/** JSON numbers as the real service writes them (floats, 2 decimals): output only. */
export function amount(c: number): number {
  return c / 100;
}

/** `date` plus whole years; 29 Feb in a common year becomes 28 Feb, as registrars do. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** What a paid call bills: the per-year price times the years, plus VAT, rounded to the cent. */
export function billedCents(perYear: string, years: number, vatPercent: number): number {
  return Math.round((cents(perYear) * years * (100 + vatPercent)) / 100);
}
