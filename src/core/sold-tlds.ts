/**
 * TLD lists as the availability fan-out reads them: pure, so the fan-out and its unit tests need
 * no D1 (the lists live in D1, see core/account-tlds.ts).
 */
import { normalizeTld } from './domain-name';

/** Account name → the TLDs it sells (A-labels, no dot). An account missing here has no list yet. */
export type SoldTlds = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Whether an account with this list may sell `name` (a normalized A-label name): true when a
 * suffix of the name at a label boundary is on the list (`co.uk` or `uk` for `shop.co.uk`), or
 * when the account has no list at all (it is asked, and says so itself if it does not).
 */
export function maySell(tlds: ReadonlySet<string> | undefined, name: string): boolean {
  if (tlds === undefined) return true;
  for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
    if (tlds.has(name.slice(dot + 1))) return true;
  }
  return false;
}

/** A TLD as a price list spells it (`.COM`, `中国`) in the list's form (`com`, `xn--fiqs8s`). */
export function tldAsListed(tld: string): string | undefined {
  const normalized = normalizeTld(tld);
  return normalized.ok ? normalized.name : undefined;
}
