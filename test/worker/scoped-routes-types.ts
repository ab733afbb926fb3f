/**
 * Compile-time proof (checked by `npm run typecheck`, never run): a route without a declared scope
 * cannot be registered on a `newRoutes()` app, so no route can reach /openapi.json, or be served,
 * without the scope its `security` publishes and its middleware enforces.
 */
import { createRoute } from '@hono/zod-openapi';
import { newRoutes, route } from '../../src/handlers/v1/scoped-routes';

export function registrationNeedsAScope() {
  const app = newRoutes();
  const responses = { 200: { description: 'ok' } };
  // @ts-expect-error: createRoute() output carries no scope
  app.openapi(createRoute({ method: 'get', path: '/unscoped', responses }), (c) => c.body(null, 200));
  // @ts-expect-error: route() refuses a definition without `scope`
  route({ method: 'get', path: '/no-scope', responses });
  // @ts-expect-error: `security` comes from `scope`, never beside it
  route({ method: 'get', path: '/both', scope: 'read', security: [], responses });
  // @ts-expect-error: the whole-table registration of OpenAPIHono is not offered
  app.openapiRoutes([]);
  app.openapi(route({ method: 'get', path: '/scoped', scope: 'read', responses }), (c) => c.body(null, 200));
  return app;
}
