/**
 * Dynadot's errors → the gateway's kinds. Pure table.
 *
 * Notes about this registrar's API: the API3 document gives exactly one error text (`cannot delete these
 * contacts … in use`, its `delete_contact` section) and only the codes `0`/`-1` (its introduction).
 * Everything else here comes from real replies recorded by level23/dynadot-api and
 * jsok/terraform-provider-dynadot (`invalid key`, `could not find domain in your account`, `could not find
 * exmple.com in your account`, `Cannot set nameservers to these domains`, `Status failure` with no text) and
 * from outcomes a client library saw live (code `1` + `not_available`, code `5` + `system_busy`,
 * `Please unlock your domain firstly.`, premium). Errors are matched on the registrar's text because it has
 * no error codes; the text is kept in `upstreamMessage`. Anything unrecognised stays a refusal
 * (`invalid_request`) with the registrar's own words, never a silent success.
 */
import { allowListRefusal } from '../../core/allow-list-refusal';
import { type ErrorKind, GatewayError } from '../../core/errors';

export interface DynadotFailure {
  command: string;
  /** `SuccessCode`/`ResponseCode`: `-1`, `1`, `5`… */
  code: string;
  status?: string;
  error?: string;
}

interface Rule {
  kind: ErrorKind;
  match: RegExp;
  /** What the user reads; the registrar's text is appended. */
  says: string;
  retryable?: boolean;
  /** The refusal of a client address outside the key's IP allow-list. */
  allowList?: true;
}

/** First match wins; matched against `Status` and `Error` together. */
export const DYNADOT_ERROR_RULES: readonly Rule[] = [
  {
    // Our choice of words (no document or recorded reply gives them; docs/decisions.md, Dynadot: a
    // caller outside the allow-list), and the words other registrars use for it.
    kind: 'permission',
    match: /\bip\b.*\b(not allowed|not authori[sz]ed|denied|restrict)|white ?list|allow ?list/i,
    says: "the key's IP allow-list refused this client address",
    allowList: true,
  },
  {
    kind: 'authentication',
    match: /invalid key|key is (invalid|disabled|expired)|api key/i,
    says: 'the API key was refused',
  },
  {
    kind: 'upstream_unavailable',
    match: /system_busy|system busy|another request|is processing|problem with connection to main server/i,
    says: 'Dynadot is busy with another request of this account or temporarily unavailable',
    retryable: true,
  },
  {
    kind: 'insufficient_funds',
    match: /(not enough|insufficient).*(balance|fund|credit)|balance.*(not enough|insufficient)/i,
    says: 'the account balance does not cover this order',
  },
  {
    kind: 'not_found',
    match: /could not find .*in your account|not in your account|could not find (domain|this contact)/i,
    says: 'the domain is not in this Dynadot account',
  },
  {
    kind: 'permission',
    match: /only available to resellers|reseller|skip lock agreement|not allowed|permission/i,
    says: 'this account may not do that',
  },
  {
    kind: 'conflict',
    match: /unlock your domain|late renew|grace period|not_available|not available|in use|pending/i,
    says: 'the domain is not in a state that allows this',
  },
  {
    kind: 'unsupported',
    match: /unsupported command|unknown command|invalid command/i,
    says: 'Dynadot does not know this command',
  },
  {
    kind: 'invalid_request',
    match: /missing parameter|invalid|too many|cannot set nameservers|premium|must be/i,
    says: 'Dynadot refused the request',
  },
];

/**
 * A `search` result's `Error` that means "Dynadot does not sell this TLD": that name is not sold
 * here, not taken. Unconfirmed: the API3 document shows no per-name error texts and no recorded
 * reply has one, so these are guesses (the simulator says `unsupported tld`). A text they miss
 * is `check_failed` — still unknown, never taken — so a wrong guess costs only the reason.
 */
export const UNSUPPORTED_TLD_WORDS = /unsupported tld|tld (is )?not supported|not a supported tld/i;

/** The GatewayError for a non-zero Dynadot reply. */
export function dynadotError(f: DynadotFailure): GatewayError {
  const words = [f.status, f.error].filter((w): w is string => !!w && w !== '').join(': ');
  const rule = DYNADOT_ERROR_RULES.find((r) => r.match.test(words));
  if (rule?.allowList) {
    return allowListRefusal({
      provider: 'dynadot',
      operation: f.command,
      upstreamCode: f.code,
      upstreamMessage: f.error ?? f.status,
    });
  }
  const kind = rule?.kind ?? 'invalid_request';
  const says = rule?.says ?? 'Dynadot refused the request';
  return new GatewayError(kind, {
    message: `dynadot ${f.command}: ${says}${words ? ` (${words})` : ` (code ${f.code})`}`,
    provider: 'dynadot',
    operation: f.command,
    upstreamCode: f.code,
    upstreamMessage: f.error ?? f.status,
    ...(rule?.retryable !== undefined ? { retryable: rule.retryable } : {}),
  });
}
