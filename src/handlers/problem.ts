/**
 * The one place HTTP output is made from errors: RFC 9457 problem+json. Kinds map to statuses in
 * one table, with two refinements below it: a few `code`s have a status of their own (413, 415),
 * and a registrar's refusal of the gateway's own credentials is the gateway's fault (502), not the
 * caller's (401). Anything that is not a GatewayError becomes a bare 500 with no internals.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorKind, type GatewayError, isGatewayError } from '../core/errors';
import { ConfigError } from '../env';
import { isProviderKey, providers } from '../providers/registry';

export const STATUS_BY_KIND: Record<ErrorKind, ContentfulStatusCode> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  conflict: 409,
  insufficient_funds: 402,
  rate_limited: 429,
  unsupported: 501,
  upstream_unavailable: 503,
  transport: 502,
  protocol: 502,
  outcome_unknown: 504,
};

const TITLE_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'Invalid request',
  authentication: 'Authentication required',
  permission: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  insufficient_funds: 'Insufficient funds at the registrar',
  rate_limited: 'Too many requests',
  unsupported: 'Not supported by this registrar',
  upstream_unavailable: 'Registrar unavailable',
  transport: 'Could not reach the registrar',
  protocol: 'Unexpected reply from the registrar',
  outcome_unknown: 'Outcome unknown',
};

/**
 * Refusals whose HTTP status is more precise than their kind's (all `invalid_request`): the
 * request's size or media type, not its content, is what the route cannot take.
 */
const BY_CODE: Readonly<Record<string, { status: ContentfulStatusCode; title: string }>> = {
  body_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
};

/**
 * A registrar refusing the gateway's API key says the gateway's configuration is wrong. A 401
 * would tell the API caller that *their* key is wrong (and challenge them to send another), so it
 * is a 502: the upstream refused the gateway. The kind stays `authentication`.
 */
function refusedGatewayCredentials(error: GatewayError): boolean {
  return error.kind === 'authentication' && error.provider !== undefined;
}

function statusOf(error: GatewayError): { status: ContentfulStatusCode; title: string } {
  const byCode = error.code === undefined ? undefined : BY_CODE[error.code];
  if (byCode) return byCode;
  if (refusedGatewayCredentials(error))
    return { status: 502, title: "The registrar refused the gateway's credentials" };
  return { status: STATUS_BY_KIND[error.kind], title: TITLE_BY_KIND[error.kind] };
}

/** What the caller reads: for refused gateway credentials, whose they were, then the registrar's words. */
function detailOf(error: GatewayError): string {
  if (!refusedGatewayCredentials(error)) return error.message;
  const name = isProviderKey(error.provider!) ? providers[error.provider!].displayName : error.provider;
  return `the gateway's ${name} credentials were refused (${error.message}); the operator must fix the account's configuration`;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://gateway.invalid/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  kind: ErrorKind | 'internal';
  provider?: string;
  operation?: string;
  upstreamCode?: string;
  requestId?: string;
  retryable?: boolean;
  errors?: ReadonlyArray<{ field: string; reason: string }>;
  code?: string;
  renewalId?: string;
}

export function problemFromError(error: unknown, requestId?: string): Problem {
  if (isGatewayError(error)) {
    const { status, title } = statusOf(error);
    return {
      type: PROBLEM_TYPE_BASE + error.kind,
      title,
      status,
      detail: detailOf(error),
      kind: error.kind,
      provider: error.provider,
      operation: error.operation,
      upstreamCode: error.upstreamCode,
      requestId: error.requestId ?? requestId,
      retryable: error.retryable,
      errors: error.fields,
      code: error.code,
      renewalId: error.renewalId,
    };
  }
  if (error instanceof ConfigError) {
    // Names of missing variables are not secrets; values never reach a ConfigError.
    return {
      type: `${PROBLEM_TYPE_BASE}configuration`,
      title: 'Gateway misconfigured',
      status: 500,
      detail: error.message,
      kind: 'internal',
      requestId,
    };
  }
  return {
    type: `${PROBLEM_TYPE_BASE}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred. The request id identifies it in the logs.',
    kind: 'internal',
    requestId,
  };
}

/** The realm of the gateway's Bearer challenges. */
const AUTH_REALM = 'registrar-gateway';

/**
 * The `WWW-Authenticate` challenge of a 401 (RFC 7235 §3.1 requires one): how to authenticate,
 * and with RFC 6750's `invalid_token` when a bearer token was sent but is not valid.
 */
export function bearerChallenge(error?: 'invalid_token'): string {
  return `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}"` : ''}`;
}

export function problemResponse(problem: Problem, redact: (t: string) => string = (t) => t): Response {
  const headers = new Headers({ 'content-type': PROBLEM_CONTENT_TYPE });
  if (problem.status === 429 || problem.status === 503) headers.set('retry-after', '5');
  if (problem.status === 401) headers.set('www-authenticate', bearerChallenge());
  return new Response(redact(JSON.stringify(problem)), { status: problem.status, headers });
}
