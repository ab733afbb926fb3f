/**
 * Renewal routes of the REST API:
 *   POST /v1/domains/{domain}/renew   (scope `renew`; `Idempotency-Key` header) → 202 + renewal
 *   GET  /v1/renewals/{id}            (scope `read`) → renewal with its audit trail
 *   GET  /v1/renewals?state=&domain=&source=&cursor=&limit=  (scope `read`)
 * The engine (core/renewals) does the work; these routes only translate HTTP.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { normalizeDomainName } from '../../core/domain-name';
import { GatewayError } from '../../core/errors';
import {
  getRenewal,
  listRenewals,
  RENEWAL_SOURCES,
  RENEWAL_STATES,
  renewalHistory,
  requestRenewal,
} from '../../core/renewals';
import { apiAuth, requireScope } from '../auth';
import type { AppBindings } from '../context';
import { rateLimit } from '../rate-limit';
import { ProblemSchema } from './common';

const MoneySchema = z.object({ amount: z.string().openapi({ example: '10.99' }), currency: z.string() });

export const RenewalSchema = z
  .object({
    id: z.string().openapi({ example: 'rnw_3f2a9c0e6b1d4e7f8a9b0c1d2e3f4a5b' }),
    domain: z.string().openapi({ example: 'example.com' }),
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

const RenewBody = z
  .object({
    years: z.number().int().min(1).max(10).default(1),
    expectedExpiry: z.string().optional().openapi({
      description:
        'The expiry you believe is current (date or ISO timestamp); read from the registrar when omitted',
    }),
    account: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'Registrar account; found from the inventory when omitted' }),
  })
  .openapi('RenewRequest');

// The API's one Problem schema: a second component of the same name replaced it in the served
// document (and in the generated client's types).
const Problem = ProblemSchema;

const problemResponses = {
  400: { description: 'Invalid request', content: { 'application/problem+json': { schema: Problem } } },
  401: { description: 'No or unknown API key', content: { 'application/problem+json': { schema: Problem } } },
  403: {
    description: 'The key lacks the scope',
    content: { 'application/problem+json': { schema: Problem } },
  },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: Problem } } },
  429: {
    description: "Over this API key's requests per minute (Retry-After says when to retry)",
    content: { 'application/problem+json': { schema: Problem } },
  },
} as const;

export function renewalRoutes() {
  const app = new OpenAPIHono<AppBindings>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (scopes: read, renew, admin)',
  });
  // Mounted before v1Routes, whose `use('*')` therefore never runs here: these routes count
  // against the per-key rate limit themselves.
  app.use('/domains/:domain/renew', apiAuth(), rateLimit(), requireScope('renew'));
  app.use('/renewals', apiAuth(), rateLimit(), requireScope('read'));
  app.use('/renewals/*', apiAuth(), rateLimit(), requireScope('read'));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/domains/{domain}/renew',
      summary: 'Renew a domain, exactly once per intent',
      description:
        'Records the intent (domain, expected current expiry, years) and queues it. The same Idempotency-Key or the same intent returns the existing renewal; the same key with another body is 409. Poll GET /v1/renewals/{id} for the outcome.',
      tags: ['renewals'],
      security: [{ bearer: [] }],
      request: {
        params: z.object({ domain: z.string().openapi({ example: 'example.com' }) }),
        headers: z.object({
          'idempotency-key': z
            .string()
            .min(1)
            .max(255)
            .optional()
            .openapi({ description: 'Your key for this request; retries with it never renew twice' }),
        }),
        body: { required: true, content: { 'application/json': { schema: RenewBody } } },
      },
      responses: {
        202: {
          description: 'The renewal (new, or the existing one of this key or intent)',
          headers: z.object({
            location: z.string(),
            'idempotent-replayed': z.string().optional(),
          }),
          content: { 'application/json': { schema: RenewalSchema } },
        },
        ...problemResponses,
        409: {
          description: 'Idempotency-Key reused with a different body',
          content: { 'application/problem+json': { schema: Problem } },
        },
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
    createRoute({
      method: 'get',
      path: '/renewals/{id}',
      summary: 'One renewal, with its audit trail',
      tags: ['renewals'],
      security: [{ bearer: [] }],
      request: { params: z.object({ id: z.string() }) },
      responses: {
        200: { description: 'The renewal', content: { 'application/json': { schema: RenewalWithHistory } } },
        ...problemResponses,
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
    createRoute({
      method: 'get',
      path: '/renewals',
      summary: 'Renewals, newest first, filtered and paged',
      tags: ['renewals'],
      security: [{ bearer: [] }],
      request: {
        query: z.object({
          state: z.enum(RENEWAL_STATES).optional(),
          domain: z.string().optional(),
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
        ...problemResponses,
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
  return app;
}
