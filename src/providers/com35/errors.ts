/**
 * 35.com result codes (35.com API user manual §8.4 错误代码) → gateway error kinds. Pure table.
 *
 * Notes about this registrar's API:
 * - 1000-1999 are successes (1001 pending, 1105 done-but-not-recorded, 1300 "no messages");
 *   2000+ are refusals: the registrar did NOT do the operation, so even for a renewal they are
 *   definite failures, never `outcome_unknown`.
 * - `value` carries the detail (the missing parameter for 2003, the balance for 2104, the reason
 *   for 2105/2306/2400), so it becomes `upstreamMessage`.
 * - 2500/2501/5500 end or lack a session: the bridge handles sessions, so for us they mean the
 *   registrar is not serving us right now (retryable).
 * - 6000 (checksum error) means our bridge signed wrongly or has the wrong password.
 */
import { type ErrorKind, GatewayError } from '../../core/errors';

interface Mapping {
  kind: ErrorKind;
  retryable?: boolean;
  text: string;
}

export const COM35_ERRORS: Readonly<Record<number, Mapping>> = {
  2000: { kind: 'protocol', text: 'unknown command' },
  2001: { kind: 'protocol', text: 'command syntax error' },
  2003: { kind: 'invalid_request', text: 'a required parameter is missing' },
  2004: { kind: 'invalid_request', text: 'a parameter is out of range' },
  2005: { kind: 'invalid_request', text: 'a parameter has the wrong format' },
  2104: { kind: 'insufficient_funds', text: 'the account balance is too low' },
  2105: {
    kind: 'conflict',
    text: 'the domain may not be renewed now (e.g. renewed within the last 5 minutes)',
  },
  2106: { kind: 'conflict', text: 'the domain may not be transferred now' },
  2201: { kind: 'permission', text: 'wrong password' },
  2202: { kind: 'authentication', text: 'invalid authorization information' },
  2300: { kind: 'conflict', text: 'the domain is pending transfer' },
  2302: { kind: 'conflict', text: 'the object already exists' },
  2303: { kind: 'not_found', text: 'no such domain in this account' },
  2304: { kind: 'conflict', text: 'the domain status prohibits the operation' },
  2305: { kind: 'conflict', text: 'an associated product prohibits the operation' },
  2306: { kind: 'invalid_request', text: 'a parameter breaks a registrar policy' },
  2307: { kind: 'conflict', text: 'the domain has no ID Shield' },
  2400: { kind: 'upstream_unavailable', retryable: false, text: 'the command failed' },
  2500: { kind: 'upstream_unavailable', retryable: true, text: 'the server ended the session' },
  2501: { kind: 'upstream_unavailable', retryable: true, text: 'the session timed out' },
  5000: { kind: 'upstream_unavailable', retryable: true, text: 'the registry operation failed' },
  5500: { kind: 'upstream_unavailable', retryable: true, text: 'the bridge session was not logged in' },
  6000: {
    kind: 'authentication',
    retryable: false,
    text: 'checksum error (wrong credentials on the bridge?)',
  },
  6001: { kind: 'upstream_unavailable', retryable: true, text: 'the registrar database failed' },
};

/** The GatewayError for a 35.com failure code (2000+). Unknown codes are `upstream_unavailable`. */
export function com35Error(
  reply: { code: number; msg: string; value: string },
  ctx: { operation: string; domain?: string },
): GatewayError {
  const m = COM35_ERRORS[reply.code] ?? {
    kind: 'upstream_unavailable' as const,
    retryable: false,
    text: 'unexpected result',
  };
  const detail = reply.value.trim();
  const about = ctx.domain ? ` (${ctx.domain})` : '';
  return new GatewayError(m.kind, {
    message: `35.com ${ctx.operation}${about}: ${m.text}${detail && !/^(L\d+:)?no[t]? value$/.test(detail) ? `: ${detail}` : ''}`,
    provider: 'com35',
    operation: ctx.operation,
    retryable: m.retryable,
    upstreamCode: String(reply.code),
    upstreamMessage: `${reply.msg.trim()}${detail ? ` — ${detail}` : ''}`,
  });
}
