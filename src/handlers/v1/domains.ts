/**
 * Domains: live information from the registrar that holds a name, the inventory (D1, cursor-paged),
 * importing a domain into the inventory, and the settings a registrar lets us change.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { recordAudit } from '../../core/audit';
import { CURSOR_PATTERN } from '../../core/cursor';
import { listInventory, recordSetting } from '../../core/domains';
import { resolveHolder } from '../../core/holding-account';
import { importDomain } from '../../core/inventory';
import type { Provider } from '../../providers/types';
import type { AppBindings } from '../context';
import {
  AccountName,
  AccountQueryParam,
  bodyErrors,
  DomainName,
  DomainPathParam,
  DomainRefSchema,
  DomainStatusSchema,
  ExpiringWithin,
  upstreamErrors,
} from './common';
import { newRoutes, route } from './scoped-routes';

const iso = z.string().openapi({ format: 'date-time', example: '2027-03-01T00:00:00.000Z' });

const DomainInfoSchema = z
  .object({
    domain: z.string(),
    account: z.string(),
    provider: z.string(),
    expiresAt: iso,
    createdAt: iso.optional(),
    status: z.array(DomainStatusSchema),
    rawStatus: z.array(z.string()),
    autoRenew: z.boolean().optional(),
    locked: z.boolean().optional(),
    nameservers: z.array(z.string()),
    ref: DomainRefSchema,
  })
  .openapi('DomainInfo');

const InventoryDomainSchema = z
  .object({
    domain: z.string(),
    account: z.string(),
    provider: z.string(),
    expiresAt: iso.optional(),
    status: z.array(DomainStatusSchema),
    autoRenew: z.boolean().optional(),
    locked: z.boolean().optional(),
    ref: DomainRefSchema,
    firstSeen: iso,
    lastSeen: iso,
    vanishedAt: iso.optional(),
  })
  .openapi('InventoryDomain');

const InventoryPageSchema = z
  .object({
    items: z.array(InventoryDomainSchema),
    nextCursor: z.string().optional().openapi({ description: 'Pass as `cursor` for the next page' }),
  })
  .openapi('InventoryPage');

/** `30d` → 30 (days, 0–3650). */

/** Which account answers for a domain: the one asked for, else the holder every door agrees on. */
function holderOf(c: Context<AppBindings>, domain: string, account?: string): Promise<Provider> {
  return resolveHolder({ env: c.env, accounts: c.get('accounts') }, domain, account);
}

const withAccount = z.object({ account: AccountQueryParam });

export function domainsRoutes() {
  const app = newRoutes();

  app.openapi(
    route({
      method: 'get',
      path: '/domains',
      summary: 'The domain inventory (from the last sync), cursor-paged',
      tags: ['domains'],
      scope: 'read',
      request: {
        query: z.object({
          account: AccountQueryParam,
          expiringWithin: ExpiringWithin.optional().openapi({
            param: { name: 'expiringWithin', in: 'query' },
            description: 'Only domains expiring within this many days (already expired included)',
            example: '30d',
          }),
          status: DomainStatusSchema.optional(),
          cursor: z
            .string()
            .regex(CURSOR_PATTERN, 'not a cursor returned by this API')
            .optional()
            .openapi({ description: '`nextCursor` of the previous page' }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: { description: 'One page', content: { 'application/json': { schema: InventoryPageSchema } } },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listInventory(c.env.DB, {
        account: q.account,
        expiringWithinDays: q.expiringWithin,
        status: q.status,
        cursor: q.cursor,
        limit: q.limit,
      });
      return c.json(page, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/domains/{domain}',
      summary: 'Live information from the registrar account that holds the domain',
      description:
        'Without `account`, the holder is found through the inventory; 404 when no account holds it.',
      tags: ['domains'],
      scope: 'read',
      request: { params: DomainPathParam, query: withAccount },
      responses: {
        200: { description: 'Domain', content: { 'application/json': { schema: DomainInfoSchema } } },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { account } = c.req.valid('query');
      const provider = await holderOf(c, domain, account);
      const info = await provider.getDomain(domain, { signal: c.req.raw.signal });
      return c.json({ ...info, account: provider.account, provider: provider.key }, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/domains/{domain}',
      summary: 'Import a domain into the inventory after checking that the account holds it',
      tags: ['domains'],
      scope: 'admin',
      request: {
        params: DomainPathParam,
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ account: AccountName }) } },
        },
      },
      responses: {
        200: {
          description: 'Already in the inventory (refreshed)',
          content: { 'application/json': { schema: InventoryDomainSchema } },
        },
        201: {
          description: 'Added to the inventory',
          content: { 'application/json': { schema: InventoryDomainSchema } },
        },
        ...upstreamErrors,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { account } = c.req.valid('json');
      const result = await importDomain(c.env.DB, c.get('accounts'), account, domain, {
        signal: c.req.raw.signal,
      });
      await audit(c, domain, 'import', { account, effect: result.effect });
      return result.effect === 'added' ? c.json(result.domain, 201) : c.json(result.domain, 200);
    },
  );

  const Nameservers = z
    .array(DomainName)
    .min(1)
    .max(13)
    .refine((list) => new Set(list).size === list.length, 'nameservers must not repeat');

  app.openapi(
    route({
      method: 'put',
      path: '/domains/{domain}/nameservers',
      summary: 'Replace the nameservers (where the registrar supports it)',
      tags: ['domains'],
      scope: 'admin',
      request: {
        params: DomainPathParam,
        query: withAccount,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                nameservers: Nameservers.openapi({ example: ['ns1.example.net', 'ns2.example.net'] }),
              }),
            },
          },
        },
      },
      responses: {
        200: {
          description: 'Nameservers set',
          content: {
            'application/json': {
              schema: z.object({ domain: z.string(), account: z.string(), nameservers: z.array(z.string()) }),
            },
          },
        },
        ...upstreamErrors,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { account } = c.req.valid('query');
      const { nameservers } = c.req.valid('json');
      const provider = await holderOf(c, domain, account);
      await provider.setNameservers(domain, nameservers, { signal: c.req.raw.signal });
      await audit(c, domain, 'set_nameservers', { account: provider.account, nameservers });
      return c.json({ domain, account: provider.account, nameservers }, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/domains/{domain}/lock',
      summary: 'Lock or unlock the domain against transfers (where the registrar supports it)',
      tags: ['domains'],
      scope: 'admin',
      request: {
        params: DomainPathParam,
        query: withAccount,
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ locked: z.boolean() }) } },
        },
      },
      responses: {
        200: {
          description: 'Lock set',
          content: {
            'application/json': {
              schema: z.object({ domain: z.string(), account: z.string(), locked: z.boolean() }),
            },
          },
        },
        ...upstreamErrors,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { account } = c.req.valid('query');
      const { locked } = c.req.valid('json');
      const provider = await holderOf(c, domain, account);
      await provider.setLock(domain, locked, { signal: c.req.raw.signal });
      await audit(c, domain, 'set_lock', { account: provider.account, locked });
      await recordSetting(c.env.DB, domain, provider.account, { locked });
      return c.json({ domain, account: provider.account, locked }, 200);
    },
  );

  app.openapi(
    route({
      method: 'put',
      path: '/domains/{domain}/auto-renew',
      summary: "Turn the registrar's own auto-renewal on or off (where supported)",
      tags: ['domains'],
      scope: 'renew',
      request: {
        params: DomainPathParam,
        query: withAccount,
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ enabled: z.boolean() }) } },
        },
      },
      responses: {
        200: {
          description: 'Auto-renew set',
          content: {
            'application/json': {
              schema: z.object({ domain: z.string(), account: z.string(), autoRenew: z.boolean() }),
            },
          },
        },
        ...upstreamErrors,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { domain } = c.req.valid('param');
      const { account } = c.req.valid('query');
      const { enabled } = c.req.valid('json');
      const provider = await holderOf(c, domain, account);
      await provider.setAutoRenew(domain, enabled, { signal: c.req.raw.signal });
      await audit(c, domain, 'set_auto_renew', { account: provider.account, autoRenew: enabled });
      await recordSetting(c.env.DB, domain, provider.account, { autoRenew: enabled });
      return c.json({ domain, account: provider.account, autoRenew: enabled }, 200);
    },
  );

  return app;
}

function audit(c: Context<AppBindings>, domain: string, action: string, detail: Record<string, unknown>) {
  return recordAudit(c.env.DB, {
    entity: 'domain',
    entityId: domain,
    action,
    actor: c.get('principal').name,
    source: 'api',
    detail,
  });
}
