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
