/** `GET /v1/accounts` and `GET /v1/accounts/{account}/balance`. */
import { z } from '@hono/zod-openapi';
import { gateHealth } from '../../core/account-gate';
import { REACHABILITY } from '../../core/account-health';
import { CAPABILITIES } from '../../providers/types';
import { AccountName, Money, upstreamErrors } from './common';
import { newRoutes, route } from './scoped-routes';

const AccountSchema = z
  .object({
    key: z.string().openapi({ description: 'Account key, used as `account` elsewhere', example: 'dynadot' }),
    provider: z.string().openapi({ example: 'dynadot' }),
    displayName: z.string().openapi({ example: 'Dynadot' }),
    capabilities: z.array(z.enum(CAPABILITIES)),
    limits: z.object({ availabilityBatch: z.number().int(), concurrency: z.number().int() }),
    health: z
      .object({
        status: z.enum(REACHABILITY),
        latencyMs: z.number().optional(),
        error: z.string().optional(),
        checkedAt: z.string().optional(),
      })
      .openapi({ description: 'As in GET /v1/health: checked at most once a minute, shared by all callers' }),
  })
  .openapi('Account');

const BalanceSchema = z
  .object({ account: z.string(), provider: z.string(), available: Money, reserved: Money.optional() })
  .openapi('Balance');

export function accountsRoutes() {
  const app = newRoutes();

  app.openapi(
    route({
      method: 'get',
      path: '/accounts',
      summary: 'Configured registrar accounts with capabilities and health',
      tags: ['accounts'],
      scope: 'read',
      request: {
        query: z.object({
          health: z.enum(['true', 'false']).default('true').openapi({
            description:
              'The cached credential check of GET /v1/health (at most a minute old); `false` skips it',
          }),
        }),
      },
      responses: {
        200: {
          description: 'Accounts',
          content: { 'application/json': { schema: z.object({ accounts: z.array(AccountSchema) }) } },
        },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const { health } = c.req.valid('query');
      const accounts = c.get('accounts');
      const list = await Promise.all(
        accounts.list().map(async (a) => {
          const provider = accounts.get(a.name);
          const base = {
            key: a.name,
            provider: a.provider,
            displayName: a.definition.displayName,
            capabilities: [...provider.capabilities],
            limits: provider.limits,
          };
          if (health === 'false') return { ...base, health: { status: 'not_checked' as const } };
          const { reachable, ...check } = await gateHealth(c.env.ACCOUNT_GATE, a.name);
          return { ...base, health: { status: reachable, ...check } };
        }),
      );
      return c.json({ accounts: list }, 200);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/accounts/{account}/balance',
      summary: "The account's balance at its registrar",
      tags: ['accounts'],
      scope: 'read',
      request: {
        params: z.object({
          account: AccountName.openapi({ param: { name: 'account', in: 'path' }, example: 'dynadot' }),
        }),
      },
      responses: {
        200: { description: 'Balance', content: { 'application/json': { schema: BalanceSchema } } },
        ...upstreamErrors,
      },
    }),
    async (c) => {
      const { account } = c.req.valid('param');
      const provider = c.get('accounts').get(account);
      const balance = await provider.getBalance({ signal: c.req.raw.signal });
      return c.json({ account, provider: provider.key, ...balance }, 200);
    },
  );

  return app;
}
