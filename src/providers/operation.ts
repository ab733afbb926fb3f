/**
 * What one call to a registrar does, declared once where the call is defined (a client method, a
 * bridge command, a capability). The HTTP layer (`callUpstream`, `httpFailure`), the 35.com bridge
 * client, the retry policy (core/retry.ts) and the account gate's priority read this kind, never
 * the operation's name, so no name can make a spend look like a read:
 *
 * - `query` only reads: a lost reply changed nothing, the call may be repeated.
 * - `change` sets something that costs nothing (name servers, lock, auto-renew); setting the same
 *   value again is harmless, so over HTTP it is repeated like a query. The 35.com bridge keeps its
 *   `outcome_unknown` for a change whose reply was lost (the change may or may not be in place).
 * - `spend` costs money (renewals today; service renewals and registrations later): a reply lost
 *   or unreadable after the request may have left is `outcome_unknown`, never retried blindly,
 *   and the call is admitted before waiting queries at the account gate.
 */
import { CAPABILITIES, type Capability } from './types';

export type CallKind = 'query' | 'change' | 'spend';

export interface Operation {
  /** Our name for it, in logs and errors (a capability, or the registrar's command). */
  readonly name: string;
  readonly kind: CallKind;
}

/**
 * Whether a lost reply to this call may have spent money. Anything not declared a query or a
 * change counts: a kind that reached here undeclared (only by casting past the type) is read the
 * safe way, as a spend.
 */
export function spends(operation: { readonly kind: CallKind }): boolean {
  return operation.kind !== 'query' && operation.kind !== 'change';
}

export const query = (name: string): Operation => ({ name, kind: 'query' });
export const change = (name: string): Operation => ({ name, kind: 'change' });
export const spend = (name: string): Operation => ({ name, kind: 'spend' });

/** The kind of every capability: a new capability does not compile until it says whether it spends. */
export const CAPABILITY_KINDS = {
  checkAvailability: 'query',
  getDomain: 'query',
  listDomains: 'query',
  renew: 'spend',
  getBalance: 'query',
  getPrices: 'query',
  getNameservers: 'query',
  setNameservers: 'change',
  setAutoRenew: 'change',
  setLock: 'change',
  getTransferStatus: 'query',
  listServices: 'query',
  getService: 'query',
  renewService: 'spend',
  quoteServiceRenewal: 'query',
} as const satisfies Record<Capability, CallKind>;

/**
 * Each capability's operation, for the upstream call that carries it out. A read made on the way to
 * another capability (the expiry read before a renewal) is a `query` of its own, not this one.
 */
export const OPERATIONS = Object.fromEntries(
  CAPABILITIES.map((c) => [c, { name: c, kind: CAPABILITY_KINDS[c] }]),
) as { readonly [C in Capability]: Operation & { readonly name: C } };
