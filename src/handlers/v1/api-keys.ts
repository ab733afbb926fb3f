/** API key management (admin): create (the key is shown once), list, revoke. */
import { z } from '@hono/zod-openapi';
import { createApiKey, listApiKeys, revokeApiKey, SCOPES } from '../../core/api-keys';
import { recordAudit } from '../../core/audit';
import { PROBLEM_CONTENT_TYPE } from '../problem';
import { bodyErrors, commonErrors, ProblemSchema } from './common';
import { newRoutes, route } from './scoped-routes';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
    lastUsedAt: z.string().optional(),
    rateLimitPerMinute: z.number().int().optional(),
  })
  .openapi('ApiKey');

const notFound = {
  404: { description: 'No such key', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
};

export function apiKeysRoutes() {
  const app = newRoutes();

  app.openapi(
    route({
      method: 'post',
      path: '/api-keys',
      summary: 'Create an API key; the key itself is in this reply only',
      tags: ['api-keys'],
      scope: 'admin',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().trim().min(1).max(100).openapi({ example: 'billing-system' }),
                scopes: z
                  .array(z.enum(SCOPES))
                  .min(1)
                  .openapi({ example: ['read', 'renew'] }),
                rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'Created',
          content: {
            'application/json': {
              schema: ApiKeySchema.extend({
                key: z.string().openapi({ description: 'The bearer token; shown only now' }),
              }).openapi('CreatedApiKey'),
            },
          },
        },
        ...commonErrors,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { record, token } = await createApiKey(c.env.DB, body.name, body.scopes, {
        rateLimitPerMinute: body.rateLimitPerMinute,
      });
      await recordAudit(c.env.DB, {
        entity: 'api_key',
        entityId: record.id,
        action: 'create',
        to: 'active',
        actor: c.get('principal').name,
        source: 'api',
        detail: { name: record.name, scopes: record.scopes, rateLimitPerMinute: record.rateLimitPerMinute },
      });
      return c.json({ ...record, key: token }, 201);
    },
  );

  app.openapi(
    route({
      method: 'get',
      path: '/api-keys',
      summary: 'List API keys (never the keys themselves)',
      tags: ['api-keys'],
      scope: 'admin',
      responses: {
        200: {
          description: 'Keys',
          content: { 'application/json': { schema: z.object({ keys: z.array(ApiKeySchema) }) } },
        },
        ...commonErrors,
      },
    }),
    async (c) => c.json({ keys: await listApiKeys(c.env.DB) }, 200),
  );

  app.openapi(
    route({
      method: 'delete',
      path: '/api-keys/{id}',
      summary: 'Revoke an API key',
      tags: ['api-keys'],
      scope: 'admin',
      request: {
        params: z.object({
          id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: {
        200: { description: 'Revoked', content: { 'application/json': { schema: ApiKeySchema } } },
        ...commonErrors,
        ...notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const record = await revokeApiKey(c.env.DB, id);
      await recordAudit(c.env.DB, {
        entity: 'api_key',
        entityId: id,
        action: 'revoke',
        to: 'revoked',
        actor: c.get('principal').name,
        source: 'api',
      });
      return c.json(record, 200);
    },
  );

  return app;
}
