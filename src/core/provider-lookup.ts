import type { Provider } from '../providers/types';

/**
 * The part of `Accounts` (core/accounts.ts) that the fan-out functions need: the configured
 * account names and a provider per name. Kept structural so these functions (and their unit
 * tests) do not pull in the worker-only gate.
 */
export interface ProviderLookup {
  list(): ReadonlyArray<{ name: string }>;
  /** Throws `not_found` for an account that is not configured. */
  get(name: string): Provider;
}

/** What a fan-out decides an account's part by, before it calls it. */
export type ProviderFacts = Pick<Provider, 'account' | 'key' | 'capabilities' | 'limits'>;

/**
 * Facts per configured account entry. They follow from the account's configuration alone (a
 * provider's registrar, capabilities and limits never depend on the request it serves), and the
 * entries are the isolate's parsed configuration, so one build per isolate tells them for good.
 */
const factsByEntry = new WeakMap<object, ProviderFacts>();

/**
 * An account's facts without building its provider for this request, once any request of the
 * isolate has built it: a fan-out over every account (one-name availability without `account`)
 * then builds only the providers it calls (docs/benchmark-methods.md, the request profile).
 */
export function accountFacts(lookup: ProviderLookup, name: string): ProviderFacts {
  const entry = lookup.list().find((a) => a.name === name);
  const known = entry && factsByEntry.get(entry);
  if (known) return known;
  const { account, key, capabilities, limits } = lookup.get(name);
  const facts = { account, key, capabilities, limits };
  if (entry) factsByEntry.set(entry, facts);
  return facts;
}
