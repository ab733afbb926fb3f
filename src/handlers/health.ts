/**
 * `GET /health`: version and every configured account with its reachability. Reachability is the
 * provider's cheap credential check (`ping`) with a short timeout; a provider without one reports
 * `not_checked` rather than pretending.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { withDeadline } from '../core/deadline';
import { isGatewayError } from '../core/errors';
import type { AppBindings } from './context';

const AccountHealth = z
  .object({
    account: z.string(),
    provider: z.string(),
    reachable: z.enum(['ok', 'error', 'not_checked']),
    latencyMs: z.number().optional(),
    error: z.string().optional(),
  })
  .openapi('AccountHealth');

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    accounts: z.array(AccountHealth),
  })
  .openapi('Health');

const PING_TIMEOUT_MS = 5_000;

export function healthRoutes() {
  const app = new OpenAPIHono<AppBindings>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      summary: 'Gateway health and the reachability of every configured registrar account',
      tags: ['health'],
      responses: {
        200: { description: 'Health report', content: { 'application/json': { schema: Health } } },
      },
    }),
    async (c) => {
      const accounts = c.get('accounts');
      const checks = await Promise.all(
        accounts.list().map(async (a): Promise<z.infer<typeof AccountHealth>> => {
          const provider = accounts.get(a.name);
          const ping = provider.ping?.bind(provider);
          if (!ping) return { account: a.name, provider: a.provider, reachable: 'not_checked' };
          const started = Date.now();
          try {
            await withDeadline(PING_TIMEOUT_MS, (signal) => ping({ signal }));
            return {
              account: a.name,
              provider: a.provider,
              reachable: 'ok',
              latencyMs: Date.now() - started,
            };
          } catch (error) {
            return {
              account: a.name,
              provider: a.provider,
              reachable: 'error',
              latencyMs: Date.now() - started,
              error: c.get('redact')(
                isGatewayError(error) ? `${error.kind}: ${error.message}` : 'unexpected error',
              ),
            };
          }
        }),
      );
      const status: 'ok' | 'degraded' = checks.some((a) => a.reachable === 'error') ? 'degraded' : 'ok';
      return c.json({ status, version: c.get('config').version, accounts: checks }, 200);
    },
  );
  return app;
}
