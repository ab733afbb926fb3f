/**
 * `GET /docs`: Swagger UI (@hono/swagger-ui) over `/openapi.json`, offline. The page references
 * its JS and CSS under `/docs/assets/swagger-ui-dist/`, which Workers Static Assets serve from
 * `public/` (copied from the `swagger-ui-dist` package by `scripts/docs-assets.mjs`, the
 * `[build]` command of wrangler.toml). Keeping the 1.7 MB bundle out of the worker script keeps
 * the worker small (issue 12's bundle budget) and needs no CDN at runtime.
 */
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import type { AppBindings } from './context';

/** Where the static assets of the page are served from (see public/ and scripts/docs-assets.mjs). */
export const DOCS_ASSET_BASE = '/docs/assets';

export function docsRoutes() {
  const app = new Hono<AppBindings>();
  app.get(
    '/docs',
    swaggerUI({
      url: '/openapi.json',
      title: 'Registrar gateway API',
      baseUrl: DOCS_ASSET_BASE,
      persistAuthorization: true,
    }),
  );
  return app;
}
