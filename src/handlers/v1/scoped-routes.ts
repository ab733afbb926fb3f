/**
 * One table for who may call what: each OpenAPI route declares the scope it needs with `route()`,
 * which writes it into the route's `security` (`[{ bearerAuth: ['renew'] }]`, OpenAPI 3.1 lists
 * role names as the scopes of a non-OAuth scheme) and builds the middleware that enforces it from
 * the same value, so the published document and the check cannot disagree.
 *
 * `newRoutes()` apps accept only routes made by `route()`: a route without a declared scope does not
 * type-check, and neither does `createRoute()` output. (No /v1 route is public; `GET /health`
 * is open unless `?deep=1` asks for the registrars, see `keyOnly`.)
 */
import {
  createRoute,
  OpenAPIHono,
  type RouteConfig,
  type RouteHandler,
  type RouteHook,
} from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { Scope } from '../../core/api-keys';
import { requireScope } from '../auth';
import type { AppBindings } from '../context';

/** The security scheme every scoped route names (registered once, in v1/routes.ts). */
export const BEARER_SCHEME = 'bearerAuth';

export interface Access {
  /** The scope the caller's key needs (`admin` implies every scope, `renew` implies `read`). */
  scope: Scope;
  /**
   * A route that needs the key only for some requests (`GET /health?deep=1`): `when` says which;
   * the others are open (`security` lists `{}` as the alternative). Such a route lives outside
   * /v1, so `authenticate` identifies the key (and rate-limits it) before the scope is checked.
   */
  keyOnly?: { when: (c: Context<AppBindings>) => boolean; authenticate: MiddlewareHandler<AppBindings> };
}

declare const SCOPED: unique symbol;
/** A route made by `route()` (a type-only mark: nothing is added to the route at runtime). */
export type ScopedRoute = { readonly [SCOPED]: true };

/** A route definition as `createRoute()` takes it, minus what `route()` derives from the scope. */
type RouteDefinition = Omit<RouteConfig, 'path' | 'security' | 'middleware'> & {
  path: string;
  security?: never;
  middleware?: never;
};

/** The `security` an access rule publishes and the middleware that enforces it. */
function accessRule({ scope, keyOnly }: Access) {
  const bearer = { [BEARER_SCHEME]: [scope] };
  if (!keyOnly) return { security: [bearer], enforce: requireScope(scope) };
  const keyed = every(keyOnly.authenticate, requireScope(scope));
  const enforce: MiddlewareHandler<AppBindings> = (c, next) => (keyOnly.when(c) ? keyed(c, next) : next());
  return { security: [{}, bearer], enforce };
}

/**
 * `createRoute()` with the access rule: the route's `security` and its enforcing middleware both
 * come from `scope`, and neither can be given separately.
 */
export function route<R extends RouteDefinition & Access>(config: R) {
  const { scope, keyOnly, ...definition } = config;
  const { security, enforce } = accessRule({ scope, keyOnly });
  const made = createRoute({ ...definition, security, middleware: [enforce] });
  return made as unknown as Omit<R, keyof Access> & {
    security: typeof security;
    middleware: [MiddlewareHandler<AppBindings>];
    getRoutingPath: typeof made.getRoutingPath;
  } & ScopedRoute;
}

/** OpenAPIHono's members beyond Hono's, without the two ways to register an unscoped route. */
type OpenApiExtras = Omit<OpenAPIHono<AppBindings>, keyof Hono<AppBindings> | 'openapi' | 'openapiRoutes'>;

const ScopedBase = OpenAPIHono as unknown as new (
  init?: ConstructorParameters<typeof OpenAPIHono<AppBindings>>[0],
) => Hono<AppBindings> & OpenApiExtras;

/** An OpenAPIHono whose `openapi()` takes only `route()` routes (the method itself is OpenAPIHono's). */
export class ScopedRoutes extends ScopedBase {
  declare openapi: <R extends RouteConfig & ScopedRoute>(
    route: R,
    handler: RouteHandler<R>,
    hook?: RouteHook<R>,
  ) => ScopedRoutes;
}

/** A sub-app whose validation failures become problem+json naming each field (see app.ts). */
export function newRoutes(): ScopedRoutes {
  return new ScopedRoutes({
    defaultHook: (result) => {
      if (!result.success) throw result.error;
    },
  });
}
