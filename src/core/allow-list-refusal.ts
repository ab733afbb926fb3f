/**
 * A registrar refusing the gateway's client address: the account has an API allow-list and the
 * call left from an address outside it (a Worker's shared egress, or a call that bypassed the
 * relay). Every provider reports it the same way, as a `permission` error that tells the operator
 * what to do, so it is never mistaken for a protocol fault or an outage. Not retryable: the same
 * address will be refused again.
 */
import { GatewayError } from './errors';

export const ALLOW_LIST_CODE = 'client_address_not_allowed';

export const ALLOW_LIST_ADVICE =
  "the registrar refused this client address: add the gateway's egress IP to the account's API allow-list";

export function allowListRefusal(init: {
  provider: string;
  operation?: string;
  upstreamCode?: string;
  upstreamMessage?: string;
  /** Where the registrar's refusal can also mean something else, what else to check. */
  orElse?: string;
}): GatewayError {
  const orElse = init.orElse ? `; ${init.orElse}` : '';
  const upstream = init.upstreamMessage ? ` (${init.upstreamMessage})` : '';
  return new GatewayError('permission', {
    message: `${init.provider}: ${ALLOW_LIST_ADVICE}${orElse}${upstream}`,
    code: ALLOW_LIST_CODE,
    provider: init.provider,
    operation: init.operation,
    upstreamCode: init.upstreamCode,
    upstreamMessage: init.upstreamMessage,
    retryable: false,
  });
}
