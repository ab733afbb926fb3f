/**
 * A registrar's "I cannot say" for one name, in one shape for every provider: `available: null`
 * with why (`unknown`) and the registrar's words. Never `available: false`, which means taken.
 *
 * A provider that learns from an error that the registrar does not sell a name's TLD puts
 * `code: UNSUPPORTED_TLD` on the GatewayError (35.com's codec, MrDomain's error table), so
 * `unknownFromError` can tell "not sold here" from "failed here".
 */
import type { GatewayError } from './errors';
import type { Availability, UnknownAvailability } from './model';

/** The GatewayError `code` of a registrar's "this TLD is not sold here". */
export const UNSUPPORTED_TLD = 'unsupported_tld' satisfies UnknownAvailability;

export function unknownAvailability(domain: string, why: UnknownAvailability, words: string): Availability {
  return { domain, available: null, premium: false, unknown: why, reason: words };
}

/** Why an error leaves a name without a yes or no: "not sold here", or a failed check. */
export function unknownReasonOf(error: GatewayError): UnknownAvailability {
  return error.code === UNSUPPORTED_TLD ? 'unsupported_tld' : 'check_failed';
}

/** The per-name answer for an error that concerned this one name. */
export function unknownFromError(domain: string, error: GatewayError): Availability {
  return unknownAvailability(domain, unknownReasonOf(error), error.message);
}
