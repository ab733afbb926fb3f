/**
 * Pieces every v1 route module shares (the sub-app factory and `route()` are in scoped-routes.ts):
 * the problem+json schema and the error responses each route declares, and the parameter schemas
 * that route every domain name through the one normalizer.
 */
import { z } from '@hono/zod-openapi';
import { ACCOUNT_NAME, ACCOUNT_NAME_RULE } from '../../core/account-names';
import { normalizeDomainName } from '../../core/domain-name';
import { ERROR_KINDS } from '../../core/errors';
import { PROBLEM_CONTENT_TYPE } from '../problem';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    kind: z.enum([...ERROR_KINDS, 'internal']),
    provider: z.string().optional(),
    operation: z.string().optional(),
    upstreamCode: z.string().optional(),
    requestId: z.string().optional(),
    retryable: z.boolean().optional(),
    errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    code: z.string().optional().openapi({
      description:
        'Why a request was refused where the kind alone does not say it, e.g. `renewal_in_progress`, `recently_renewed`, `idempotency_key_reused`',
    }),
    renewalId: z.string().optional().openapi({ description: 'The renewal the refusal is about' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

/** The error responses every authenticated route can give. */
export const commonErrors = {
  400: problem('Invalid request: `errors` names each field and the reason'),
  401: problem('Missing or invalid API key'),
  403: problem('The API key lacks the scope this route needs'),
  429: {
    ...problem('Rate limit of this API key exceeded'),
    headers: z.object({ 'retry-after': z.string().openapi({ description: 'Seconds to wait' }) }),
  },
  500: problem('Internal error or misconfiguration'),
} as const;

/**
 * The largest request body of the API: a bulk availability check of 1,000 names of up to 300
 * characters is below it; anything larger is refused while it streams.
 */
export const API_MAX_BODY_BYTES = 512 * 1024;

/** Errors of routes that read a JSON body, before the body is validated. */
export const bodyErrors = {
  413: problem(`Body larger than ${API_MAX_BODY_BYTES / 1024} KiB (\`code: body_too_large\`)`),
  415: problem('The body is not `application/json` (`code: unsupported_media_type`)'),
} as const;

/** Errors of routes that call a registrar. */
export const upstreamErrors = {
  ...commonErrors,
  404: problem('No such account or domain'),
  402: problem('Insufficient funds at the registrar'),
  409: problem('Conflict with the registrar state'),
  501: problem('The registrar of this account does not support this operation'),
  502: problem(
    "The registrar could not be reached, replied in an unexpected way, or refused the gateway's own credentials (`kind: authentication`, with `provider`: the gateway's configuration, not your key)",
  ),
  503: problem('The registrar is unavailable or rate-limited us'),
  504: problem('Outcome unknown: the registrar may or may not have acted'),
} as const;

/** A domain name in any accepted spelling, normalized to its A-label form (or a 400 naming why). */
export const DomainName = z
  .string()
  .min(1)
  .max(300)
  .transform((value, ctx) => {
    const result = normalizeDomainName(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }
    return result.name;
  });

/** An account's name as configured in `ACCOUNTS` (see GET /v1/accounts). */
export const AccountName = z.string().regex(ACCOUNT_NAME, ACCOUNT_NAME_RULE);

export const Money = z
  .object({
    amount: z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .openapi({ example: '10.99' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .openapi({ example: 'USD' }),
  })
  .openapi('Money', { description: 'A decimal amount as a string and an ISO 4217 currency' });

export const DomainStatusSchema = z
  .enum([
    'active',
    'expired',
    'grace',
    'redemption',
    'pending',
    'transfer_pending',
    'locked',
    'hold',
    'suspended',
    'deleted',
    'unknown',
  ])
  .openapi('DomainStatus');

export const DomainRefSchema = z.record(z.string(), z.string().optional()).openapi('DomainRef', {
  description: 'Registrar-specific identifiers (order id, instance id…)',
});

export const DomainPathParam = z.object({
  domain: DomainName.openapi({
    param: { name: 'domain', in: 'path' },
    description: 'Domain name (Unicode or A-label; normalized)',
    example: 'example.com',
  }),
});

export const AccountQueryParam = AccountName.optional().openapi({
  param: { name: 'account', in: 'query' },
  description: 'A configured registrar account’s name (see GET /v1/accounts)',
  example: 'dynadot',
});

/** `30d`: a number of days, up to ten years (the inventory listings' `expiringWithin`). */
export const ExpiringWithin = z
  .string()
  .regex(/^\d{1,4}d$/, 'must be a number of days such as 30d')
  .transform((v) => Number(v.slice(0, -1)))
  .refine((d) => d <= 3650, 'must be at most 3650d');
