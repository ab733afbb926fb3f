/**
 * Which TLDs each registrar account sells: the `account_tlds` table of D1
 * (migrations/0008_account_tlds.sql), refreshed by the inventory sync from the account's price list
 * (`getPrices`, registration prices) and read by the availability fan-out through a short
 * in-isolate cache, so a name is only asked of accounts that sell its TLD.
 *
 * An account without rows has no list (before its first sync, or a registrar without a price list:
 * 35.com, Alibaba). It is asked anyway, and its own "unsupported TLD" reply becomes
 * `unsupported_tld` (core/availability-unknown.ts): never "taken".
 */
import type { Provider } from '../providers/types';
import { isGatewayError } from './errors';
import { type SoldTlds, tldAsListed } from './sold-tlds';

/**
 * How long an isolate trusts what it read. A sync in this isolate updates it at once; one in
 * another isolate is seen within this time.
 */
const SOLD_TLDS_CACHE_MS = 60_000;

let cached: { tlds: Map<string, ReadonlySet<string>>; until: number } | undefined;

/** The TLD lists of every account that has one (cached for SOLD_TLDS_CACHE_MS). */
export async function soldTlds(db: D1Database, now = Date.now()): Promise<SoldTlds> {
  if (cached && cached.until > now) return cached.tlds;
  const { results } = await db
    .prepare('SELECT account, json_group_array(tld) AS tlds FROM account_tlds GROUP BY account')
    .all<{ account: string; tlds: string }>();
  const tlds = new Map(results.map((r) => [r.account, new Set(JSON.parse(r.tlds) as string[])]));
  cached = { tlds, until: now + SOLD_TLDS_CACHE_MS };
  return tlds;
}

/** Drop this isolate's copy: the next read goes to D1 (tests that rewrite the table directly). */
export function forgetSoldTlds(): void {
  cached = undefined;
}

/** What a refresh did for one account; absent from a sync result when the registrar has no price list. */
export interface TldRefresh {
  /** TLDs now on the account's list. */
  count?: number;
  /** Why the list was not refreshed (the previous one, if any, is kept). */
  error?: { kind: string; message: string };
}

/**
 * Reads the account's registration price list and replaces its rows in one batch. A failed read,
 * or a list naming no TLD at all, keeps the previous rows: an empty answer proves nothing.
 * Undefined when the registrar has no price list.
 */
export async function refreshAccountTlds(
  db: D1Database,
  provider: Provider,
  opts: { now?: () => Date; signal?: AbortSignal } = {},
): Promise<TldRefresh | undefined> {
  if (!provider.capabilities.has('getPrices')) return undefined;
  let tlds: string[];
  try {
    const prices = await provider.getPrices({ operation: 'register' }, { signal: opts.signal });
    tlds = [...new Set(prices.flatMap((p) => tldAsListed(p.tld) ?? []))].sort();
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { error: { kind: error.kind, message: error.message } };
  }
  if (tlds.length === 0) {
    return {
      error: { kind: 'protocol', message: 'the price list named no TLD; the previous list is kept' },
    };
  }
  const stamp = (opts.now?.() ?? new Date()).toISOString();
  await db.batch([
    db.prepare('DELETE FROM account_tlds WHERE account = ?').bind(provider.account),
    db
      .prepare(
        'INSERT INTO account_tlds (account, tld, refreshed_at) SELECT ?1, value, ?2 FROM json_each(?3)',
      )
      .bind(provider.account, stamp, JSON.stringify(tlds)),
  ]);
  cached?.tlds.set(provider.account, new Set(tlds));
  return { count: tlds.length };
}
