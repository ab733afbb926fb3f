/**
 * LogicBoxes error replies → gateway error kinds, as one pure table.
 *
 * Notes about this registrar's API (errors):
 * - The renew document says only "on any error `status` is `ERROR` with an error message" (its
 *   Note). There are no error codes: the message text is all there is, so the table matches messages.
 * - Real replies also spell the status `error` (with key `error`, e.g. the nested `privacydetails`
 *   of the renewal reply Pitchero/ResellerClub recorded, privacy unavailable) and `Failed`; an action
 *   can fail with `actionstatus: Failed` inside an otherwise normal reply.
 * - Errors come with HTTP 500 (FOSSBilling #1380, #2096), so the HTTP status says nothing; the
 *   body decides.
 * - Live messages known from other clients: `Required parameter missing: exp-date` (FOSSBilling
 *   #4229), `Domain already renewed.` and `There is already an action pending on this Order.`
 *   (Pitchero's ExceptionMapper), `Website doesn't exist for <name>` (orderid.json for a name not
 *   in the account).
 * - A server outside the reseller's API allow-list gets the ERROR envelope with "Access Denied. You
 *   are not authorized to perform this action." (what boxbilling #278 saw until the server's IP was
 *   allow-listed under Settings > API), with HTTP 500 (FOSSBilling #1380); a page saying "Access
 *   Denied" is read the same way. Both are the allow-list refusal every provider reports alike.
 */
import { allowListRefusal } from '../../core/allow-list-refusal';
import { type ErrorKind, GatewayError } from '../../core/errors';
import { type Operation, spends } from '../operation';

export const PROVIDER = 'logicboxes';

/** One rule: the first whose pattern matches the upstream message decides the kind. */
export interface ErrorRule {
  pattern: RegExp;
  kind: ErrorKind;
  /** Safe message for our users (the upstream message travels in `upstreamMessage`). */
  explain: string;
  /** The refusal of a client address outside the reseller's API allow-list. */
  allowList?: true;
}

/** Order matters: specific before general. */
export const ERROR_RULES: readonly ErrorRule[] = [
  {
    pattern: /access denied|whitelist/i,
    kind: 'permission',
    explain: "LogicBoxes refused this server's IP: it is not on the reseller's API allow-list",
    allowList: true,
  },
  {
    pattern: /not (allowed|authori[sz]ed)/i,
    kind: 'permission',
    explain: 'LogicBoxes does not allow this account to do that',
  },
  {
    pattern: /invalid (credentials|api[- ]?key|auth)|authentication|auth-userid/i,
    kind: 'authentication',
    explain: 'LogicBoxes rejected the reseller id or API key',
  },
  {
    pattern: /already renewed|exp-?date.*(match|differ|invalid|current)/i,
    kind: 'conflict',
    explain: 'the domain was already renewed: its current expiry differs from the one we sent',
  },
  {
    pattern: /action (is )?(already )?pending|already an action pending/i,
    kind: 'conflict',
    explain: 'another action (e.g. an unpaid renewal) is still pending on this order',
  },
  {
    pattern: /insufficient|not enough (funds|balance)|low balance/i,
    kind: 'insufficient_funds',
    explain: 'the LogicBoxes account has insufficient funds',
  },
  {
    pattern: /doesn'?t exist|does not exist|not found|no (entity|order|record)s? found|invalid order-?id/i,
    kind: 'not_found',
    explain: 'LogicBoxes has no such domain order in this account',
  },
  {
    pattern: /too many requests|rate limit|try again later/i,
    kind: 'rate_limited',
    explain: 'LogicBoxes is rate limiting this account',
  },
  {
    pattern: /required|missing|invalid|not supported|unsupported|method/i,
    kind: 'invalid_request',
    explain: 'LogicBoxes rejected the request parameters',
  },
];

export interface FailureContext {
  operation: Operation;
  httpStatus?: number;
  /** Values that must never appear in an error (the reseller id and API key). */
  secrets?: readonly string[];
}

/** Strip credentials from an upstream message before it is stored in an error. */
export function scrubMessage(message: string, secrets: readonly string[] = []): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

export function kindOfMessage(message: string): ErrorRule | undefined {
  return ERROR_RULES.find((r) => r.pattern.test(message));
}

/**
 * The error for a LogicBoxes error reply. An unrecognized message on a money operation is still a
 * refusal the registrar stated in words (it did not act), so it is `invalid_request`-like, not
 * `outcome_unknown`; an unrecognized message elsewhere is `upstream_unavailable` when the server
 * said 5xx without a recognizable reason, because that is what an internal failure looks like.
 */
export function errorFromFailure(
  failure: { status: string; message: string },
  ctx: FailureContext,
): GatewayError {
  const upstreamMessage = scrubMessage(failure.message, ctx.secrets);
  const rule = kindOfMessage(upstreamMessage);
  if (rule?.allowList) {
    return allowListRefusal({
      provider: PROVIDER,
      operation: ctx.operation.name,
      upstreamCode: failure.status,
      upstreamMessage,
    });
  }
  const kind: ErrorKind = rule?.kind ?? 'upstream_unavailable';
  return new GatewayError(kind, {
    message: rule
      ? `${rule.explain}: ${upstreamMessage}`
      : `LogicBoxes ${ctx.operation.name} failed: ${upstreamMessage}`,
    provider: PROVIDER,
    operation: ctx.operation.name,
    upstreamCode: failure.status,
    upstreamMessage,
    // An unexplained refusal of a spend is never repeated blindly.
    retryable: spends(ctx.operation) ? false : undefined,
  });
}

/**
 * A non-JSON page (HTML or plain text). Only the allow-list refusal is recognized here; anything
 * else is left to the generic HTTP fallback (`httpFailure`), which knows about spends.
 */
export function errorFromPage(text: string, ctx: FailureContext): GatewayError | undefined {
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!kindOfMessage(plain)?.allowList) return undefined;
  return allowListRefusal({
    provider: PROVIDER,
    operation: ctx.operation.name,
    upstreamCode: `HTTP ${ctx.httpStatus ?? '?'}`,
    upstreamMessage: scrubMessage(plain, ctx.secrets),
  });
}
