/**
 * The one error type of the gateway. Every provider maps its registrar's codes onto these kinds
 * (in its own pure `errors.ts` table) and every surface maps kinds onto its own output in one place
 * (HTTP problem+json in `handlers/problem.ts`, bot sentences, webhook replies).
 */
export const ERROR_KINDS = [
  'invalid_request',
  'authentication',
  'permission',
  'not_found',
  'conflict',
  'insufficient_funds',
  'rate_limited',
  'unsupported',
  'upstream_unavailable',
  'transport',
  'protocol',
  'outcome_unknown',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Kinds whose failure says nothing about the request itself: trying again later may succeed. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorKind> = new Set([
  'rate_limited',
  'upstream_unavailable',
  'transport',
]);

export interface GatewayErrorInit {
  /** Human-readable, safe to show to a user: never contains a secret. */
  message: string;
  provider?: string;
  operation?: string;
  retryable?: boolean;
  upstreamCode?: string;
  upstreamMessage?: string;
  requestId?: string;
  /** Seconds the caller should wait before retrying, when the upstream said so. */
  retryAfter?: number;
  /** Field-level details for `invalid_request` (name of the field and what is wrong with it). */
  fields?: ReadonlyArray<{ field: string; reason: string }>;
  /**
   * The request provably never left the gateway (withdrawn from the account gate's queue, or
   * refused by the 35.com bridge before any session took it). Only this makes a failed money call
   * safe to try again: every other failure after the call started may have reached the registrar.
   */
  notSent?: boolean;
  /**
   * A stable name for why a request was refused, where the kind alone does not say it (a `conflict`
   * may be `renewal_in_progress`, `recently_renewed`, `idempotency_key_reused`…): callers branch on it.
   */
  code?: string;
  /** The renewal a refusal is about (the one in progress, the one just confirmed). */
  renewalId?: string;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly provider?: string;
  readonly operation?: string;
  readonly retryable: boolean;
  readonly upstreamCode?: string;
  readonly upstreamMessage?: string;
  readonly requestId?: string;
  readonly retryAfter?: number;
  readonly fields?: ReadonlyArray<{ field: string; reason: string }>;
  readonly notSent: boolean;
  readonly code?: string;
  readonly renewalId?: string;

  constructor(kind: ErrorKind, init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.kind = kind;
    this.provider = init.provider;
    this.operation = init.operation;
    this.retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(kind);
    this.upstreamCode = init.upstreamCode;
    this.upstreamMessage = init.upstreamMessage;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.fields = init.fields;
    this.notSent = init.notSent === true;
    this.code = init.code;
    this.renewalId = init.renewalId;
  }

  /** A copy with context filled in where it is missing (provider, operation, request id). */
  withContext(ctx: { provider?: string; operation?: string; requestId?: string }): GatewayError {
    return new GatewayError(this.kind, {
      message: this.message,
      provider: this.provider ?? ctx.provider,
      operation: this.operation ?? ctx.operation,
      retryable: this.retryable,
      upstreamCode: this.upstreamCode,
      upstreamMessage: this.upstreamMessage,
      requestId: this.requestId ?? ctx.requestId,
      retryAfter: this.retryAfter,
      fields: this.fields,
      notSent: this.notSent,
      code: this.code,
      renewalId: this.renewalId,
      cause: this.cause,
    });
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

/** Shorthand used by codecs: a reply that does not have the shape the document promises. */
export function protocolError(message: string, init: Omit<GatewayErrorInit, 'message'> = {}): GatewayError {
  return new GatewayError('protocol', { ...init, message });
}

export function invalidRequest(
  message: string,
  fields?: ReadonlyArray<{ field: string; reason: string }>,
): GatewayError {
  return new GatewayError('invalid_request', { message, fields });
}

export function unsupported(provider: string, operation: string): GatewayError {
  return new GatewayError('unsupported', {
    message: `${provider} does not support ${operation}`,
    provider,
    operation,
  });
}
