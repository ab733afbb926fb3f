/** `POST /v1/sync[?account=K]`: refresh the inventory now (the hourly cron runs the same function). */
import { z } from '@hono/zod-openapi';
import { syncInventory } from '../../core/inventory';
import { AccountQueryParam, upstreamErrors } from './common';
import { newRoutes, route } from './scoped-routes';

const AccountSyncSchema = z
  .object({
    account: z.string(),
    provider: z.string(),
    method: z.enum(['listDomains', 'getDomain']),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    vanished: z.number().int(),
    error: z.object({ kind: z.string(), message: z.string() }).optional(),
    tlds: z
      .object({
        count: z.number().int().optional(),
        error: z.object({ kind: z.string(), message: z.string() }).optional(),
      })
      .optional()
      .openapi({
        description:
          "The account's TLD list, read from its registration price list (availability asks only accounts that sell a name's TLD): how many TLDs, or why it was not refreshed (the previous list is kept). Absent when the registrar has no price list",
      }),
    services: z
      .object({
        added: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        vanished: z.number().int(),
        error: z.object({ kind: z.string(), message: z.string() }).optional(),
      })
      .optional()
      .openapi({
        description:
          "The account's services (hosting, mail, certificates; GET /v1/services), listed beside its domains; absent when the registrar has none",
      }),
  })
  .openapi('AccountSync');

export function syncRoutes() {
  const app = newRoutes();
  app.openapi(
    route({
      method: 'post',
      path: '/sync',
      summary: 'Refresh the domain inventory from the registrars now',
      tags: ['domains'],
      scope: 'admin',
      request: { query: z.object({ account: AccountQueryParam }) },
      responses: {
        200: {
          description: 'Counts per account and in total',
          content: {
            'application/json': {
              schema: z
                .object({
                  added: z.number().int(),
                  updated: z.number().int(),
                  vanished: z.number().int(),
                  accounts: z.array(AccountSyncSchema),
                })
                .openapi('SyncResult'),
            },
          },
        },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const { account } = c.req.valid('query');
      const accounts = await syncInventory(c.env.DB, c.get('accounts'), {
        account,
        logger: c.get('logger'),
        signal: c.req.raw.signal,
      });
      const total = (k: 'added' | 'updated' | 'vanished') => accounts.reduce((n, a) => n + a[k], 0);
      return c.json(
        { added: total('added'), updated: total('updated'), vanished: total('vanished'), accounts },
        200,
      );
    },
  );
  return app;
}
