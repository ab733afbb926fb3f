/**
 * Service routes of the REST API — the renewable items that are not domains (35.com hosting and
 * mail, MrDomain hosting and SSL certificates); an item is (account, kind, id):
 *   GET  /v1/services?account=&kind=&expiringWithin=&cursor=&limit=   (scope `read`) → inventory
 *   GET  /v1/services/{account}/{kind}/{id}                           (scope `read`) → live read
 *   POST /v1/services/{account}/{kind}/{id}/renew                     (scope `renew`) → 202 renewal
 * A renewal goes through the same engine as a domain's (core/renewals): the same intent rules,
 * problem documents and Idempotency-Key.
 */
import { z } from '@hono/zod-openapi';
import { POINTS_CURRENCY, SERVICE_KINDS } from '../../core/model';
import { requestRenewal } from '../../core/renewals';
import { readService } from '../../core/service-sync';
import { listServices } from '../../core/services';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import {
  AccountName,
  bodyErrors,
  commonErrors,
  DomainRefSchema,
  ExpiringWithin,
  ProblemSchema,
  upstreamErrors,
} from './common';
import { IdempotencyKeyHeader, renewalAccepted } from './renewals';
import { newRoutes, route } from './scoped-routes';

const ServiceKindSchema = z.enum(SERVICE_KINDS).openapi('ServiceKind', {
  description: '`hosting` (35.com vhost, MrDomain service), `mail` (35.com), `certificate` (MrDomain SSL)',
});

const PriceSchema = z
  .object({
    amount: z.string().openapi({ example: '138' }),
    currency: z.string().openapi({
      description: `ISO 4217, or \`${POINTS_CURRENCY}\` for a 35.com exclusive-sale mail paid in points`,
      example: 'CNY',
    }),
  })
  .openapi('ServicePrice');

const ServiceFields = {
  account: z.string(),
  kind: ServiceKindSchema,
  id: z.string().openapi({
    description: 'The registrar’s id: host name, mail domain, certificate id',
    example: 'weipeng1',
  }),
  name: z.string().openapi({ description: 'What a person calls it (a certificate’s common name)' }),
  expiresAt: z.string().optional().openapi({ description: 'Absent while a certificate is being issued' }),
  status: z.enum(['active', 'expired', 'renewing', 'pending', 'suspended', 'cancelled', 'unknown']),
  rawStatus: z.string().openapi({ description: 'The registrar’s own status word' }),
  renewable: z.boolean().optional(),
  product: z
    .string()
    .optional()
    .openapi({ description: '35.com flag and typeID; MrDomain product key or id' }),
  renewalPrice: PriceSchema.optional().openapi({
    description: 'One year’s renewal, as the registrar quoted it',
  }),
  ref: DomainRefSchema,
};

const InventoryServiceSchema = z
  .object({
    ...ServiceFields,
    provider: z.string(),
    firstSeen: z.string(),
    lastSeen: z.string(),
    vanishedAt: z.string().optional(),
  })
  .openapi('InventoryService');

const ServiceSchema = z.object({ ...ServiceFields, provider: z.string() }).openapi('Service');

const ServiceId = z
  .string()
  .min(1)
  .max(253)
  .openapi({ description: 'The registrar’s id of the service', example: 'weipeng1' });

const ServicePath = z.object({
  account: AccountName.openapi({ param: { name: 'account', in: 'path' }, example: 'com35' }),
  kind: ServiceKindSchema.openapi({ param: { name: 'kind', in: 'path' }, example: 'hosting' }),
  id: ServiceId.openapi({ param: { name: 'id', in: 'path' } }),
});

// Strict like a domain's renewal: a misspelt field is a 400 naming it, `years` has no default.
const ServiceRenewBody = z
  .strictObject({
    years: z.number().int().min(1).max(10).openapi({ description: 'Years to add (required)', example: 1 }),
    expectedExpiry: z.string().optional().openapi({
      description:
        'The expiry you believe is current (date or ISO timestamp); read from the registrar when omitted. Pinning it is explicit: it is never refused as `recently_renewed`',
    }),
    force: z.boolean().optional().openapi({
      description: 'Renew even though the service was renewed within RENEWAL_COOLDOWN_HOURS',
    }),
    certificate: z
      .strictObject({
        csr: z
          .string()
          .min(1)
          .max(16_384)
          .openapi({ description: 'PEM certificate request (MrDomain `csrData`)' }),
        adminContactId: z.string().min(1).max(64).optional().openapi({
          description: 'MrDomain admin contact id; defaults to the account’s <PREFIX>_SSL_ADMIN_CONTACT_ID',
        }),
      })
      .optional()
      .openapi({ description: 'Required to renew a certificate, refused for any other kind' }),
  })
  .openapi('ServiceRenewRequest');

const conflict = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

export function servicesRoutes() {
  const app = newRoutes();

  app.openapi(
    route({
      method: 'get',
      path: '/services',
      summary: 'The service inventory (hosting, mail, certificates), soonest expiry first',
      description:
        'What the last sync (POST /v1/sync, hourly) and live reads found. 35.com has no listing command: its services come from the account’s <PREFIX>_SERVICES list, or enter when read once with GET /v1/services/{account}/{kind}/{id}.',
      tags: ['services'],
      scope: 'read',
      request: {
        query: z.object({
          account: AccountName.optional(),
          kind: ServiceKindSchema.optional(),
          expiringWithin: ExpiringWithin.optional().openapi({
            param: { name: 'expiringWithin', in: 'query' },
            description: 'Only services expiring within this many days (already expired included)',
            example: '30d',
          }),
          includeVanished: z.enum(['true', 'false']).optional(),
          cursor: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of services',
          content: {
            'application/json': {
              schema: z
                .object({ items: z.array(InventoryServiceSchema), nextCursor: z.string().optional() })
                .openapi('ServicePage'),
            },
          },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listServices(c.env.DB, {
        ...(q.account ? { account: q.account } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.expiringWithin !== undefined
          ? { expiresBefore: new Date(Date.now() + q.expiringWithin * 86_400_000).toISOString() }
          : {}),
        includeVanished: q.includeVanished === 'true',
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/services/{account}/{kind}/{id}',
      summary: 'One service, read live at the registrar (and recorded in the inventory)',
      tags: ['services'],
      scope: 'read',
      request: { params: ServicePath },
      responses: {
        200: { description: 'The service', content: { 'application/json': { schema: ServiceSchema } } },
        ...upstreamErrors,
        404: conflict('No such account, or the registrar has no such service at this account'),
      },
    }),
    async (c) => {
      const { account, kind, id } = c.req.valid('param');
      const provider = c.get('accounts').get(account);
      const { info, renewalPrice } = await readService(
        c.env.DB,
        provider,
        { kind, id },
        { logger: c.get('logger'), now: () => new Date().toISOString(), signal: c.req.raw.signal },
      );
      return c.json(
        {
          ...info,
          account: provider.account,
          provider: provider.key,
          ...(renewalPrice ? { renewalPrice } : {}),
        },
        200,
      );
    },
  );

  app.openapi(
    route({
      method: 'post',
      path: '/services/{account}/{kind}/{id}/renew',
      summary: 'Renew a service, exactly once per service period',
      description:
        'The same engine and rules as POST /v1/domains/{domain}/renew: one unfinished renewal per (account, kind, id), the cooldown, the Idempotency-Key, 409 with `code` and `renewalId` when refused (nothing recorded). Where the registrar has a price query that checks the request (35.com GetPrice), a renewal it would refuse — past its ten-year ceiling, a wrong current expiry — is a 400 with the registrar’s words, before anything is recorded. A certificate needs `certificate.csr`. Poll GET /v1/renewals/{id}.',
      tags: ['renewals', 'services'],
      scope: 'renew',
      request: {
        params: ServicePath,
        headers: IdempotencyKeyHeader,
        body: { required: true, content: { 'application/json': { schema: ServiceRenewBody } } },
      },
      responses: {
        202: renewalAccepted,
        ...upstreamErrors,
        409: conflict(
          'Refused, nothing recorded: `idempotency_key_reused`, `renewal_in_progress`, `renewal_needs_attention`, `recently_renewed` or `no_expiry` (see `code` and `renewalId`)',
        ),
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { account, kind, id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { renewal, created } = await requestRenewal(
        { env: c.env, accounts: c.get('accounts'), logger: c.get('logger') },
        {
          kind,
          domain: id,
          account,
          years: body.years,
          expectedExpiry: body.expectedExpiry,
          force: body.force,
          ...(body.certificate ? { certificate: body.certificate } : {}),
          idempotencyKey: c.req.header('idempotency-key'),
          source: 'api',
          actor: c.get('principal').name,
        },
      );
      c.header('location', `/v1/renewals/${renewal.id}`);
      if (!created) c.header('idempotent-replayed', 'true');
      return c.json(renewal, 202);
    },
  );
  return app;
}
