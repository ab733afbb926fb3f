/**
 * Health, in two depths, so that watching the gateway never costs the registrars:
 *
 * - `GET /health` (public): liveness and configuration only — the version, every configured
 *   account with its registrar, and each registrar without an account as not configured. No
 *   upstream call, ever: load balancers and `npm start` poll it, and anyone on the internet can.
 * - `GET /v1/health`, and `GET /health?deep=1` as its alias (same key, scope `read`): each
 *   account's credential check, read through the account's gate at most once a minute and shared
 *   by concurrent callers (core/account-health.ts). Each answer says when it was checked.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { every } from 'hono/combine';
import { gateHealth } from '../core/account-gate';
import { HEALTH_MAX_AGE_MS, REACHABILITY } from '../core/account-health';
import { providers } from '../providers/registry';
import { apiAuth } from './auth';
import type { AppBindings } from './context';
import { rateLimit } from './rate-limit';
import { commonErrors } from './v1/common';
import { newRoutes, route } from './v1/scoped-routes';

const ConfiguredAccount = z
  .object({
    account: z.string().openapi({ example: 'dynadot' }),
    provider: z.string().openapi({ example: 'dynadot' }),
    configured: z.boolean().openapi({ description: 'All of the registrar’s credential variables are set' }),
  })
  .openapi('ConfiguredAccount');

const Liveness = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    accounts: z.array(ConfiguredAccount),
  })
  .openapi('Liveness', { description: 'The gateway answers; no registrar was called' });

const AccountHealth = z
  .object({
    account: z.string().openapi({ example: 'dynadot' }),
    provider: z.string().openapi({ example: 'dynadot' }),
    reachable: z.enum(REACHABILITY).openapi({
      description:
        '`ok`: the credential check passed; `error`: it failed; `busy`: the account had no free slot for a background check, so none was sent; `not_checked`: the registrar has no cheap check, or it could not be run',
    }),
    latencyMs: z.number().optional(),
    error: z.string().optional(),
    checkedAt: z.string().openapi({ description: 'When this answer was known (ISO 8601)' }),
    ageSeconds: z.number().int().openapi({ description: 'How old the answer is: at most about 60 s' }),
  })
  .openapi('AccountHealth');

const DeepHealth = z
  .object({
    status: z
      .enum(['ok', 'degraded'])
      .openapi({ description: '`degraded` when an account answered `error`' }),
    version: z.string(),
    maxAgeSeconds: z.number().int().openapi({ description: 'Answers are reused for this long' }),
    accounts: z.array(AccountHealth),
  })
  .openapi('DeepHealth');

const DeepQuery = z.object({
  deep: z.enum(['0', '1', 'false', 'true']).optional().openapi({
    description:
      '`1`: the deep check of `GET /v1/health` (needs an API key with the `read` scope); otherwise liveness only',
  }),
});

const isDeep = (value: string | undefined) => value === '1' || value === 'true';

/** `?deep=1` asks for the registrars' health: then the key, rate limit and scope of /v1 apply. */
const KEY_WHEN_DEEP = {
  when: (c: Context<AppBindings>) => isDeep(c.req.query('deep')),
  authenticate: every(apiAuth(), rateLimit()),
};

/** Every configured account, then each registrar that has none (shown under its own key, unconfigured). */
function liveness(c: Context<AppBindings>): z.infer<typeof Liveness> {
  const configured = c.get('accounts').list();
  const withAccount = new Set<string>(configured.map((a) => a.provider));
  const accounts = [
    ...configured.map((a) => ({ account: a.name, provider: a.provider as string, configured: true })),
    ...Object.keys(providers)
      .filter((key) => !withAccount.has(key))
      .map((key) => ({ account: key, provider: key, configured: false })),
  ];
  return { status: 'ok', version: c.get('config').version, accounts };
}

async function deepHealth(c: Context<AppBindings>): Promise<z.infer<typeof DeepHealth>> {
  const now = Date.now();
  const accounts = await Promise.all(
    c
      .get('accounts')
      .list()
      .map(async (a) => {
        const check = await gateHealth(c.env.ACCOUNT_GATE, a.name);
        const ageSeconds = Math.max(0, Math.floor((now - Date.parse(check.checkedAt)) / 1000));
        return { account: a.name, provider: a.provider, ...check, ageSeconds };
      }),
  );
  return {
    status: accounts.some((a) => a.reachable === 'error') ? 'degraded' : 'ok',
    version: c.get('config').version,
    maxAgeSeconds: HEALTH_MAX_AGE_MS / 1000,
    accounts,
  };
}

/** `GET /health`: public liveness, or the deep check with `?deep=1` and a key. */
export function healthRoutes() {
  const app = newRoutes();
  app.openapi(
    route({
      method: 'get',
      path: '/health',
      summary: 'Liveness and configuration (no registrar is called); `?deep=1` is GET /v1/health',
      tags: ['health'],
      scope: 'read',
      keyOnly: KEY_WHEN_DEEP,
      request: { query: DeepQuery },
      responses: {
        200: {
          description: 'Liveness, or with `deep=1` the health of every account',
          content: { 'application/json': { schema: z.union([Liveness, DeepHealth]) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { deep } = c.req.valid('query');
      if (isDeep(deep)) return c.json(await deepHealth(c), 200);
      return c.json(liveness(c), 200);
    },
  );
  return app;
}

/** `GET /v1/health`: every account's credential check, at most a minute old. */
export function deepHealthRoutes() {
  const app = newRoutes();
  app.openapi(
    route({
      method: 'get',
      path: '/health',
      summary: 'Whether each registrar account’s credentials work (checked at most once a minute)',
      description:
        'Each account is pinged at most once per 60 s, whoever asks; concurrent requests share one ping. The ping waits at the account gate behind every renewal and query, and only briefly: an account busy with real calls answers `busy` instead.',
      tags: ['health'],
      scope: 'read',
      responses: {
        200: {
          description: 'Health of every account',
          content: { 'application/json': { schema: DeepHealth } },
        },
        ...commonErrors,
      },
    }),
    async (c) => c.json(await deepHealth(c), 200),
  );
  return app;
}
