/**
 * Renewal routes of the REST API:
 *   POST /v1/domains/{domain}/renew   (scope `renew`; `Idempotency-Key` header) → 202 + renewal
 *   GET  /v1/renewals/{id}            (scope `read`) → renewal with its audit trail
 *   GET  /v1/renewals?state=&domain=&source=&cursor=&limit=  (scope `read`)
 * The engine (core/renewals) does the work; these routes only translate HTTP.
 */
import { z } from '@hono/zod-openapi';
import { normalizeDomainName } from '../../core/domain-name';
import { GatewayError } from '../../core/errors';
import { ITEM_KINDS } from '../../core/model';
import {
  getRenewal,
  listRenewals,
  RENEWAL_SOURCES,
  RENEWAL_STATES,
  renewalHistory,
  requestRenewal,
  resolveRenewal,
} from '../../core/renewals';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { bodyErrors, commonErrors, ProblemSchema, upstreamErrors } from './common';
import { newRoutes, route } from './scoped-routes';

const MoneySchema = z.object({ amount: z.string().openapi({ example: '10.99' }), currency: z.string() });

export const RenewalSchema = z
  .object({
    id: z.string().openapi({ example: 'rnw_3f2a9c0e6b1d4e7f8a9b0c1d2e3f4a5b' }),
    domain: z.string().openapi({
      description: 'The renewed item’s key: the domain name, or `<kind>:<id>` for a service',
      example: 'example.com',
    }),
    kind: z.enum(ITEM_KINDS).openapi({ description: 'What was renewed', example: 'domain' }),
    item: z.string().openapi({ description: 'The item’s id at the account (the domain name for a domain)' }),
    account: z.string(),
    provider: z.string(),
    years: z.number().int(),
    expectedExpiry: z
      .string()
      .openapi({ description: 'Expected current expiry (UTC day)', example: '2027-03-01' }),
    state: z.enum(RENEWAL_STATES),
    reason: z.string().optional(),
    newExpiry: z.string().optional(),
    charged: MoneySchema.optional(),
    source: z.enum(RENEWAL_SOURCES),
    actor: z.string(),
    idempotencyKey: z.string().optional(),
    upstreamRef: z.record(z.string(), z.string()).optional(),
    attempts: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Renewal');

const RenewalEventSchema = z
  .object({
    at: z.string(),
    action: z.string(),
    from: z.string().optional(),
    to: z.string().optional(),
    actor: z.string(),
    source: z.string(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('RenewalEvent');

const RenewalWithHistory = RenewalSchema.extend({ history: z.array(RenewalEventSchema) }).openapi(
  'RenewalWithHistory',
);

// Strict: a renewal spends money, so a misspelt field (`yeras`) is a 400 naming it, never a
// default, and `years` has no default either.
const RenewBody = z
  .strictObject({
    years: z.number().int().min(1).max(10).openapi({ description: 'Years to add (required)', example: 1 }),
    expectedExpiry: z.string().optional().openapi({
      description:
        'The expiry you believe is current (date or ISO timestamp); read from the registrar when omitted. Pinning it is explicit: it is never refused as `recently_renewed`',
    }),
    account: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Registrar account; found from the inventory when omitted' }),
    force: z.boolean().optional().openapi({
      description:
        'Renew even though the domain was renewed within RENEWAL_COOLDOWN_HOURS (otherwise 409 `recently_renewed`). Never overrides a renewal still in progress',
    }),
  })
  .openapi('RenewRequest');

/** The `Idempotency-Key` header of every route that asks for a renewal. */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({ description: 'Your key for this request; retries with it never renew twice' }),
});

/** The 202 of every route that asks for a renewal. */
export const renewalAccepted = {
  description: 'The renewal (new, or the existing one of this key or intent)',
  headers: z.object({ location: z.string(), 'idempotent-replayed': z.string().optional() }),
  content: { 'application/json': { schema: RenewalSchema } },
};

const conflict = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});
const notFound = conflict('No such renewal');

export function renewalRoutes() {
  // Mounted inside v1Routes(), whose `apiAuth()` and rate limit run first; each route's `scope`
  // is checked next.
  const app = newRoutes();

  app.openapi(
    route({
      method: 'post',
      path: '/domains/{domain}/renew',
      summary: 'Renew a domain, exactly once per domain period',
      description:
        'Records the intent (domain, expected current expiry, years) and queues it. The same Idempotency-Key, the same intent, or the same request while the domain has a renewal in progress returns that renewal. 409 (`code` says which, `renewalId` names the renewal; nothing is recorded): the same key with another body (`idempotency_key_reused`), a different request while a renewal of the domain is in progress (`renewal_in_progress`) or awaits an operator (`renewal_needs_attention`), or a request without `expectedExpiry` within RENEWAL_COOLDOWN_HOURS of a confirmed renewal of the domain (`recently_renewed`; send `force: true` or pin `expectedExpiry`). Poll GET /v1/renewals/{id} for the outcome.',
      tags: ['renewals'],
      scope: 'renew',
      request: {
        params: z.object({ domain: z.string().openapi({ example: 'example.com' }) }),
        headers: IdempotencyKeyHeader,
        body: { required: true, content: { 'application/json': { schema: RenewBody } } },
      },
      responses: {
        202: renewalAccepted,
        // Resolving the account or reading the expiry may call the registrar.
        ...upstreamErrors,
        409: conflict(
          'Refused, nothing recorded: `idempotency_key_reused`, `renewal_in_progress`, `renewal_needs_attention` or `recently_renewed` (see `code` and `renewalId`)',
        ),
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const normalized = normalizeDomainName(domain);
      const { renewal, created } = await requestRenewal(
        { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') },
        {
          domain: normalized.ok ? normalized.name : domain,
          years: body.years,
          expectedExpiry: body.expectedExpiry,
          account: body.account,
          force: body.force,
          idempotencyKey: c.req.header('idempotency-key'),
          source: 'api',
          actor: principal.name,
        },
      );
      c.header('location', `/v1/renewals/${renewal.id}`);
      if (!created) c.header('idempotent-replayed', 'true');
      return c.json(renewal, 202);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/renewals/{id}',
      summary: 'One renewal, with its audit trail',
      tags: ['renewals'],
      scope: 'read',
      request: { params: z.object({ id: z.string() }) },
      responses: {
        200: { description: 'The renewal', content: { 'application/json': { schema: RenewalWithHistory } } },
        ...commonErrors,
        404: notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const renewal = await getRenewal(c.env.DB, id);
      if (!renewal) throw new GatewayError('not_found', { message: `no renewal ${id}` });
      return c.json({ ...renewal, history: await renewalHistory(c.env.DB, id) }, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/renewals',
      summary: 'Renewals, newest first, filtered and paged',
      tags: ['renewals'],
      scope: 'read',
      request: {
        query: z.object({
          state: z.enum(RENEWAL_STATES).optional(),
          domain: z.string().optional(),
          kind: z.enum(ITEM_KINDS).optional(),
          source: z.enum(RENEWAL_SOURCES).optional(),
          account: z.string().optional(),
          cursor: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of renewals',
          content: {
            'application/json': {
              schema: z
                .object({ items: z.array(RenewalSchema), nextCursor: z.string().optional() })
                .openapi('RenewalPage'),
            },
          },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const domain = q.domain ? normalizeDomainName(q.domain) : undefined;
      const page = await listRenewals(c.env.DB, {
        ...q,
        domain: domain ? (domain.ok ? domain.name : q.domain) : undefined,
      });
      return c.json(page, 200);
    },
  );
  app.openapi(
    route({
      method: 'post',
      path: '/renewals/{id}/resolve',
      summary: 'Settle a renewal in needs_attention after checking the registrar (admin)',
      description:
        'confirmed: the registrar did renew; failed: it did not (a new renew request may then try again). Audited with the key name and the note.',
      tags: ['renewals'],
      // Resolution asserts what happened at the registrar: admins only.
      scope: 'admin',
      request: {
        params: z.object({ id: z.string() }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  outcome: z.enum(['confirmed', 'failed']),
                  note: z.string().min(1).max(500),
                  newExpiry: z.string().datetime({ offset: true }).optional(),
                })
                .openapi('RenewalResolution'),
            },
          },
        },
      },
      responses: {
        200: {
          description: 'The resolved renewal',
          content: { 'application/json': { schema: RenewalSchema } },
        },
        ...commonErrors,
        ...bodyErrors,
        404: notFound,
        409: conflict('The renewal is not in needs_attention'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const renewal = await resolveRenewal(
        { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') },
        id,
        { ...body, actor: c.get('principal').name, source: 'api' },
      );
      return c.json(renewal, 200);
    },
  );
  return app;
}
