/**
 * Alibaba error codes → gateway error kinds, as a pure table.
 *
 * Notes about this registrar's API (the Alibaba Cloud Domain "API Reference (New)", issue 20190517; § = its sections):
 * - Errors come as HTTP 4xx/5xx with `{RequestId, HostId, Code, Message, Recommend}` (§3.4
 *   Returned results). Every code in the document's tables is HTTP 400, including
 *   `NetworkIOError` and `Busy`, so the status alone says little: the code decides.
 * - `Missing<Param>` ("<Param> is mandatory for this action.", e.g. §5.1, §5.5, §5.17) and the
 *   gateway's dotted codes (`InvalidDomainName.Format`, `QuotaExceeded.TTL`, real fixtures) are
 *   matched by prefix.
 * - `InvaieldParameter` is the document's own spelling (§5.2 CheckDomain); `InvalidParameter` is
 *   mapped alike.
 * - `TaskIsBeingProcessed` (§5.33): another task runs for the domain; nothing was done, so it
 *   is a retryable conflict.
 * - For a renewal, `NetworkIOError` and server errors do not prove the registrar did nothing: they
 *   become `outcome_unknown` so the renewal engine reconciles instead of retrying.
 */

import { allowListRefusal } from '../../core/allow-list-refusal';
import { UNSUPPORTED_TLD } from '../../core/availability-unknown';
import { type ErrorKind, GatewayError } from '../../core/errors';
import { type Operation, spends } from '../operation';

export interface AlibabaErrorBody {
  code: string;
  message?: string;
  requestId?: string;
  hostId?: string;
  recommend?: string;
}

interface Mapping {
  kind: ErrorKind;
  retryable?: boolean;
  /** The registrar may have acted before failing: after a `spend` this becomes `outcome_unknown`. */
  ambiguous?: boolean;
  /** The refusal of a client address outside the AccessKey's allowed source IPs. */
  allowList?: true;
}

/** Exact codes, from the document's error tables and the POP gateway (replies recorded from the real service). */
export const ALIBABA_ERROR_TABLE: Readonly<Record<string, Mapping>> = {
  // Gateway: signature and credentials.
  SignatureDoesNotMatch: { kind: 'authentication' },
  IncompleteSignature: { kind: 'authentication' },
  'InvalidAccessKeyId.NotFound': { kind: 'authentication' },
  'InvalidAccessKeyId.Inactive': { kind: 'authentication' },
  InvalidAccessKeyId: { kind: 'authentication' },
  // A clock far off or a replayed nonce: nothing was done; a fresh request may pass.
  'InvalidTimeStamp.Expired': { kind: 'authentication', retryable: false },
  'InvalidTimeStamp.Format': { kind: 'invalid_request' },
  SignatureNonceUsed: { kind: 'invalid_request', retryable: true },
  UnsupportedSignatureMethod: { kind: 'invalid_request' },
  InvalidVersion: { kind: 'invalid_request' },
  'InvalidAction.NotFound': { kind: 'unsupported' },
  'InvalidApi.NotFound': { kind: 'unsupported' },
  Forbidden: { kind: 'permission' },
  // What a RAM policy's source-IP condition answers a caller outside it, and also what a missing
  // permission answers (docs/decisions.md, Alibaba Cloud Domain: a caller outside the allow-list).
  'Forbidden.RAM': { kind: 'permission', allowList: true },
  'Forbidden.AccessKeyDisabled': { kind: 'permission' },
  Throttling: { kind: 'rate_limited' },
  'Throttling.User': { kind: 'rate_limited' },
  'Throttling.Api': { kind: 'rate_limited' },
  ServiceUnavailable: { kind: 'upstream_unavailable', ambiguous: true },
  InternalError: { kind: 'upstream_unavailable', ambiguous: true },
  UnknownError: { kind: 'upstream_unavailable', ambiguous: true },
  // Domain API (the document's error tables).
  ParameterIllegal: { kind: 'invalid_request' },
  InvaieldParameter: { kind: 'invalid_request' },
  InvalidParameter: { kind: 'invalid_request' },
  NetworkIOError: { kind: 'upstream_unavailable', ambiguous: true },
  Busy: { kind: 'upstream_unavailable' },
  Failed: { kind: 'upstream_unavailable' },
  QueryRegistryFailed: { kind: 'upstream_unavailable' },
  DomainNotExist: { kind: 'not_found' },
  ContactTemplateNotExist: { kind: 'not_found' },
  DomainTransferPendingNotExist: { kind: 'not_found' },
  TaskIsBeingProcessed: { kind: 'conflict', retryable: true },
  TokenFailed: { kind: 'invalid_request' },
};

/**
 * Refusals that mean "this TLD is not sold here", by operation. CheckDomain has no such code (§5.2,
 * error codes): its one refusal of the name itself is `InvaieldParameter`, and the gateway's
 * normalizer has already accepted the name's syntax, so what it refuses is the suffix (as the
 * simulator does). Availability reports that name as `unsupported_tld`, never as taken.
 */
const UNSUPPORTED_TLD_CODES: Readonly<Record<string, ReadonlySet<string>>> = {
  checkAvailability: new Set(['InvaieldParameter', 'InvalidParameter']),
};

/** Families of codes by prefix (`Missing<Param>`, `InvalidDomainName.Format`, `QuotaExceeded.TTL`). */
const PREFIXES: ReadonlyArray<[RegExp, Mapping]> = [
  [/^missing/i, { kind: 'invalid_request' }],
  [/^Invalid[A-Za-z]*\./, { kind: 'invalid_request' }],
  [/^QuotaExceeded/, { kind: 'invalid_request' }],
  [/^Throttling/, { kind: 'rate_limited' }],
  [/^Forbidden/, { kind: 'permission' }],
];

/** The mapping for a code: exact match (case-insensitive, the document prints some lower-cased), then prefix, then HTTP status. */
export function mappingFor(code: string, status: number): Mapping {
  const exact = ALIBABA_ERROR_TABLE[code];
  if (exact) return exact;
  const lower = code.toLowerCase();
  for (const [name, mapping] of Object.entries(ALIBABA_ERROR_TABLE)) {
    if (name.toLowerCase() === lower) return mapping;
  }
  for (const [re, mapping] of PREFIXES) if (re.test(code)) return mapping;
  if (status === 429) return { kind: 'rate_limited' };
  if (status === 401) return { kind: 'authentication' };
  if (status === 403) return { kind: 'permission' };
  if (status === 404) return { kind: 'not_found' };
  if (status >= 500) return { kind: 'upstream_unavailable', ambiguous: true };
  return { kind: 'invalid_request' };
}

/** The gateway error for an Alibaba error body. Never includes request parameters or signatures. */
export function alibabaError(
  body: AlibabaErrorBody,
  ctx: { status: number; operation: Operation; retryAfter?: number },
): GatewayError {
  const mapping = mappingFor(body.code, ctx.status);
  const operation = ctx.operation.name;
  const base = {
    provider: 'alibaba',
    operation,
    upstreamCode: body.code,
    upstreamMessage: safeMessage(body),
    requestId: body.requestId,
    retryAfter: ctx.retryAfter,
  };
  if (mapping.allowList) {
    return allowListRefusal({
      ...base,
      orElse: "if the AccessKey's RAM policy does not limit source IPs, grant its RAM user this action",
    });
  }
  if (spends(ctx.operation) && mapping.ambiguous) {
    return new GatewayError('outcome_unknown', {
      ...base,
      message: `alibaba ${operation}: ${body.code}; the registrar may have acted`,
      retryable: false,
    });
  }
  return new GatewayError(mapping.kind, {
    ...base,
    message: `alibaba ${operation} failed: ${body.code}${base.upstreamMessage ? ` (${base.upstreamMessage})` : ''}`,
    retryable: mapping.retryable,
    code: UNSUPPORTED_TLD_CODES[operation]?.has(body.code) ? UNSUPPORTED_TLD : undefined,
  });
}

/**
 * `SignatureDoesNotMatch` messages carry the server's string-to-sign, which includes our
 * AccessKeyId (real fixture 2019): keep only the sentence before it.
 */
function safeMessage(body: AlibabaErrorBody): string | undefined {
  if (!body.message) return undefined;
  const cut = body.message.search(/server string to sign is/i);
  return (cut >= 0 ? body.message.slice(0, cut) : body.message).trim() || undefined;
}

/**
 * A renewal task detail that ended `EXECUTE_FAILURE` (async failure: a decision, docs/decisions.md).
 * The document gives no list of task failure messages, so the kind is read from the message's words.
 */
export function taskFailureKind(errorMsg: string | undefined): ErrorKind {
  const text = (errorMsg ?? '').toLowerCase();
  if (/balance|insufficient|not enough|余额/.test(text)) return 'insufficient_funds';
  if (/expir|redemption|already|mismatch|does not match/.test(text)) return 'conflict';
  if (/not exist|not found|not belong/.test(text)) return 'not_found';
  if (/illegal|invalid|parameter/.test(text)) return 'invalid_request';
  return 'conflict';
}
