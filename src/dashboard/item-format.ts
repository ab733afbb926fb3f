/** How the dashboard writes an item's dates and prices, the same on every page that shows them. */
import { itemLabel as labelOfItem } from '../core/items';
import { type ItemKind, type Money, POINTS_CURRENCY } from '../core/model';
import type { Translate } from './i18n';

const DAY_MS = 86_400_000;

/** Whole days from now to an expiry (negative once expired); undefined for an unknown expiry. */
export function daysLeft(expiresAt: string | undefined, now: Date): number | undefined {
  return expiresAt === undefined ? undefined : Math.floor((Date.parse(expiresAt) - now.getTime()) / DAY_MS);
}

/** Whether a price is in 35.com exclusive-sale points: listed, never added to money. */
export function isPoints(price: Money): boolean {
  return price.currency.toUpperCase() === POINTS_CURRENCY;
}

/** `138 CNY`, or `120 points` for a price in points. */
export function priceText(price: Money, t: Translate): string {
  return isPoints(price) ? `${price.amount} ${t('pointsUnit')}` : `${price.amount} ${price.currency}`;
}

/** A renewal's item as a person reads it: the domain name, or `hosting weipeng1`. */
export function itemLabel(r: { kind: ItemKind; item: string }): string {
  return labelOfItem({ kind: r.kind, id: r.item });
}
