/**
 * Decimal money on strings, exact: amounts are scaled to integer minor units as BigInt, so no
 * binary float ever touches a price or a balance.
 */
import { protocolError } from './errors';
import type { Money } from './model';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Normalize a registrar's number or numeric string (`"12.5"`, `12.50`, `" 8 "`) to a decimal string. */
export function toDecimalString(value: unknown, what = 'amount'): string {
  const text = typeof value === 'number' ? numberToDecimal(value) : String(value ?? '').trim();
  const cleaned = text.replace(/,/g, '');
  if (!DECIMAL.test(cleaned)) throw protocolError(`${what} is not a decimal number: ${JSON.stringify(text)}`);
  return trimDecimal(cleaned);
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // toString gives the shortest round-tripping form, which is what the registrar sent in its JSON.
  const s = n.toString();
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

function trimDecimal(s: string): string {
  let [int, frac = ''] = s.split('.') as [string, string?];
  const negative = int.startsWith('-');
  if (negative) int = int.slice(1);
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

export function money(amount: unknown, currency: string): Money {
  return { amount: toDecimalString(amount), currency: normalizeCurrency(currency) };
}

/** ISO 4217, upper case; 35.com's `RMB` is `CNY`. */
export function normalizeCurrency(currency: string): string {
  const c = currency.trim().toUpperCase();
  return c === 'RMB' ? 'CNY' : c;
}

function scaled(amount: string, scale: number): bigint {
  const [int, frac = ''] = amount.replace('-', '').split('.') as [string, string?];
  const v = BigInt(int + frac.padEnd(scale, '0').slice(0, scale));
  return amount.startsWith('-') ? -v : v;
}

function scaleOf(...amounts: string[]): number {
  return Math.max(0, ...amounts.map((a) => a.split('.')[1]?.length ?? 0));
}

/** -1, 0 or 1. Both amounts must be in the same currency; the caller checks that. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const s = scaleOf(a, b);
  const x = scaled(a, s);
  const y = scaled(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addAmounts(a: string, b: string): string {
  const s = scaleOf(a, b);
  const sum = scaled(a, s) + scaled(b, s);
  return fromScaled(sum, s);
}

export function multiplyAmount(a: string, factor: number): string {
  const s = scaleOf(a);
  return fromScaled(scaled(a, s) * BigInt(factor), s);
}

function fromScaled(v: bigint, scale: number): string {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return trimDecimal(`${negative ? '-' : ''}${int}${scale ? `.${frac}` : ''}`);
}
