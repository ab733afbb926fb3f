/** How values and errors read in chat, per language. */
import { isGatewayError } from '../core/errors';
import { type Money, POINTS_CURRENCY } from '../core/model';
import type { Messages } from './i18n';

/** An amount as people read it; 35.com's exclusive-sale points are points, never a currency. */
export function formatMoney(m: Money | undefined, t: Messages): string {
  if (!m) return t.unknown();
  return m.currency === POINTS_CURRENCY ? t.points(m.amount) : `${m.amount} ${m.currency}`;
}

/** Calendar day in UTC: registrars' expiry hours mean nothing to a person. */
export function formatDate(iso: string | undefined, t: Messages): string {
  return iso ? iso.slice(0, 10) : t.unknown();
}

export function formatFlag(value: boolean | undefined, t: Messages): string {
  return value === undefined ? t.unknown() : value ? t.yes() : t.no();
}

/** One sentence for any error: a GatewayError's kind in the user's language, never internals. */
export function errorSentence(error: unknown, t: Messages, redact: (s: string) => string): string {
  if (isGatewayError(error)) return t.errorKind(error.kind, redact(error.message));
  return t.internalError();
}
