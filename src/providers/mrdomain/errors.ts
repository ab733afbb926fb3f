/**
 * MrDomain's error codes mapped onto the gateway's error kinds: a pure table.
 *
 * Notes about this registrar's API (error codes):
 * - The table of MrDomain's API User Manual 1.0.20, §10.1.1 Error codes, has 66 codes including
 *   0 Success. Several share a definition with no documented difference (1004/1005/1009 "Account
 *   invalid pass", 1000/1006/1010-1013 "Account blocked", 1007/1014 "Account filtered"); we map
 *   each group alike.
 * - "Account filtered" is read as the refusal of a client address outside the account's registered
 *   IPs (§1.1 Getting started: "Each of these IP address must be registered"; the table names no
 *   other code for it; docs/decisions.md, MrDomain: a caller outside the allow-list).
 * - The User Manual never says which code a mass-query block uses (§1.2 API Intended use and
 *   §1.3 Limits only promise a temporary block): every "Account blocked" code is `rate_limited` and
 *   NOT retryable, because "repeated attempts will result in blocking and/or terminating the
 *   account" (§1.2). 1030 "Account banned" is a definitive `permission` refusal.
 * - 4009 "Failure to renew the service" is a refusal (`conflict`): the registrar did not renew.
 *   5000 "SSL Error" is what `ssl/renew` answers a request it refuses (a CSR it cannot read);
 *   its `messages` are the only reason given, so they go into our message (docs/decisions.md,
 *   MrDomain services and certificates).
 * - Clients must branch on `errorCode` only; `errorCodeMsg` wording differs from the table
 *   (§2.1's example says "Object action invalid", §10.1.1's table "Invalid object/action").
 */
import { UNSUPPORTED_TLD } from '../../core/availability-unknown';
import { type ErrorKind, GatewayError, isGatewayError } from '../../core/errors';

export interface CodeMapping {
  kind: ErrorKind;
  /** The table's own definition text (User Manual §10.1.1 Error codes). */
  definition: string;
  /** Overrides the kind's default retryability. */
  retryable?: boolean;
  /** The GatewayError `code`, where callers branch on more than the kind. */
  code?: string;
  /** The refusal of a client address outside the account's registered IPs (User Manual §1.1). */
  allowList?: true;
  /** The definition alone says too little: the registrar's `messages` go into our message too. */
  explained?: true;
}

const blocked = (definition = 'Account blocked'): CodeMapping => ({
  kind: 'rate_limited',
  definition,
  retryable: false,
});

/** Every code of User Manual §10.1.1 Error codes (0 Success included, so the count matches the document). */
export const MRDOMAIN_ERROR_CODES: Readonly<Record<number, CodeMapping>> = {
  0: { kind: 'protocol', definition: 'Success' },
  1: { kind: 'upstream_unavailable', definition: 'Undefined error', retryable: false },
  100: { kind: 'invalid_request', definition: 'Syntax error' },
  101: { kind: 'invalid_request', definition: 'Syntax error: parameter fault' },
  102: { kind: 'unsupported', definition: 'Invalid object/action' },
  103: { kind: 'permission', definition: 'Not allowed object/action' },
  104: { kind: 'unsupported', definition: 'Not implemented object/action' },
  105: { kind: 'invalid_request', definition: 'Syntax error: invalid parameter' },
  200: { kind: 'authentication', definition: 'Login required' },
  201: { kind: 'authentication', definition: 'Login invalid' },
  210: { kind: 'authentication', definition: 'Session invalid' },
  300: { kind: 'permission', definition: 'Action not allowed' },
  1000: blocked(),
  1001: { kind: 'permission', definition: 'Account deleted' },
  1002: { kind: 'permission', definition: 'Account inactive' },
  1003: { kind: 'authentication', definition: 'Account not exists' },
  1004: { kind: 'authentication', definition: 'Account invalid pass' },
  1005: { kind: 'authentication', definition: 'Account invalid pass' },
  1006: blocked(),
  1007: { kind: 'permission', definition: 'Account filtered', allowList: true },
  1009: { kind: 'authentication', definition: 'Account invalid pass' },
  1010: blocked(),
  1011: blocked(),
  1012: blocked(),
  1013: blocked(),
  1014: { kind: 'permission', definition: 'Account filtered', allowList: true },
  1030: { kind: 'permission', definition: 'Account banned' },
  1100: { kind: 'insufficient_funds', definition: 'Insufficient balance' },
  2001: { kind: 'invalid_request', definition: 'Invalid domain name' },
  // Not sold here, which is not "taken": domain/check reports the name as unsupported_tld.
  2002: { kind: 'unsupported', definition: 'TLD not supported', code: UNSUPPORTED_TLD },
  2003: { kind: 'upstream_unavailable', definition: 'TLD in maintenance' },
  2004: { kind: 'upstream_unavailable', definition: 'Domain check error' },
  2005: { kind: 'conflict', definition: 'Domain transfer not allowed' },
  2006: { kind: 'permission', definition: 'Domain Whois not allowed' },
  2007: { kind: 'upstream_unavailable', definition: 'Domain Whois error' },
  2008: { kind: 'not_found', definition: 'Domain not found' },
  2009: { kind: 'conflict', definition: 'Domain create error' },
  2010: { kind: 'conflict', definition: 'Domain create error: taken' },
  2011: { kind: 'invalid_request', definition: 'Domain create error: Domain premium' },
  2012: { kind: 'conflict', definition: 'Domain transfer error' },
  2100: { kind: 'conflict', definition: 'Domain renew error' },
  2101: { kind: 'conflict', definition: 'Domain renew not allowed' },
  2102: { kind: 'conflict', definition: 'Domain renew blocked' },
  2200: { kind: 'conflict', definition: 'Domain update error' },
  2201: { kind: 'unsupported', definition: 'Domain update not allowed' },
  2202: { kind: 'conflict', definition: 'Domain update blocked' },
  2210: {
    kind: 'conflict',
    definition: 'Invalid operation due to the owner contact data verification status',
  },
  3001: { kind: 'not_found', definition: 'Contact not exists' },
  3002: { kind: 'invalid_request', definition: 'Contact data error' },
  3003: { kind: 'conflict', definition: 'Invalid operation due to the contact data verification' },
  3500: { kind: 'not_found', definition: 'User not exists' },
  3501: { kind: 'conflict', definition: 'User create error' },
  3502: { kind: 'conflict', definition: 'User update error' },
  4001: { kind: 'not_found', definition: 'Service not found' },
  4002: { kind: 'not_found', definition: 'Service entity not found' },
  4003: { kind: 'conflict', definition: 'Maximum amount of entities error (FTP/Mails/etc.)' },
  4004: { kind: 'upstream_unavailable', definition: 'Failure to create the entity', retryable: false },
  4005: { kind: 'upstream_unavailable', definition: 'Failure to update the entity', retryable: false },
  4006: { kind: 'upstream_unavailable', definition: 'Failure to delete the entity', retryable: false },
  4007: { kind: 'upstream_unavailable', definition: 'Failure to create the service', retryable: false },
  4008: { kind: 'upstream_unavailable', definition: 'Failure to upgrade the service', retryable: false },
  // A refusal: the registrar did not renew (service/renew of a service outside its renew period).
  4009: { kind: 'conflict', definition: 'Failure to renew the service' },
  4010: {
    kind: 'upstream_unavailable',
    definition: 'Failure to motify the parking system',
    retryable: false,
  },
  // What ssl/renew answers a request it refuses (a CSR it cannot read…): the messages say what.
  5000: { kind: 'invalid_request', definition: 'SSL Error', explained: true },
  5001: { kind: 'not_found', definition: 'SSL Not Found' },
  10001: { kind: 'upstream_unavailable', definition: 'WebConstructor Error', retryable: false },
};

/**
 * Codes meaning the account is blocked for abuse or limits (User Manual §1.2 API Intended use; §1.3 Limits;
 * §10.1.1 Error codes).
 */
export const BLOCK_CODES: ReadonlySet<number> = new Set([1000, 1006, 1010, 1011, 1012, 1013]);

/** A code the table does not list: reported as the registrar's, never guessed into a kind. */
const UNKNOWN: CodeMapping = {
  kind: 'upstream_unavailable',
  definition: 'Unknown error code',
  retryable: false,
};

export function mappingFor(code: number): CodeMapping {
  return MRDOMAIN_ERROR_CODES[code] ?? UNKNOWN;
}

export function isKnownCode(code: number): boolean {
  return MRDOMAIN_ERROR_CODES[code] !== undefined;
}

/**
 * What a paid call's refusal means for the money. "Undefined error" (code 1) or a code the table
 * lacks does not say whether MrDomain charged: only re-reading the item can tell, so it becomes
 * `outcome_unknown`. Every other error is returned as it is.
 */
export function outcomeUnknownAfterSpend(error: unknown, operation: string, what: string): unknown {
  if (!isGatewayError(error)) return error;
  const code = error.upstreamCode;
  if (code === undefined || !/^\d+$/.test(code) || (code !== '1' && isKnownCode(Number(code)))) return error;
  return new GatewayError('outcome_unknown', {
    message: `MrDomain ${operation} of ${what} failed with an undefined error (errorCode ${code}); the registrar may have acted`,
    provider: 'mrdomain',
    operation,
    retryable: false,
    upstreamCode: error.upstreamCode,
    upstreamMessage: error.upstreamMessage,
    cause: error,
  });
}
