/**
 * Bearer authentication for the REST API, as middleware factories (after hono's bearer-auth):
 * `apiAuth()` identifies the caller, `requireScope(scope)` authorizes one route. The bootstrap
 * ADMIN_API_KEY (a secret) is compared in constant time; every other key is looked up by its hash.
 */
import type { MiddlewareHandler } from 'hono';
import { constantTimeEqual, findApiKey, type Scope, touchApiKey } from '../core/api-keys';
import { GatewayError } from '../core/errors';
import type { AppBindings } from './context';

export interface Principal {
  kind: 'admin_key' | 'api_key';
  /** Shown in the audit trail as the actor. */
  name: string;
  keyId?: string;
  scopes: ReadonlySet<Scope>;
  /** This key's own requests per minute, when it has one. */
  rateLimitPerMinute?: number;
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/;

export function apiAuth(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      throw new GatewayError('authentication', {
        message: 'send an API key as "Authorization: Bearer <key>"',
      });
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      throw new GatewayError('authentication', { message: 'the Authorization header is not "Bearer <key>"' });
    }
    const admin = c.get('config').adminApiKey;
    if (admin && constantTimeEqual(token, admin)) {
      c.set('principal', {
        kind: 'admin_key',
        name: 'admin',
        scopes: new Set<Scope>(['read', 'renew', 'admin']),
      });
      return next();
    }
    const key = await findApiKey(c.env.DB, token);
    if (!key) throw new GatewayError('authentication', { message: 'the API key is unknown or revoked' });
    c.set('principal', {
      kind: 'api_key',
      name: key.name,
      keyId: key.id,
      scopes: new Set(key.scopes),
      rateLimitPerMinute: key.rateLimitPerMinute,
    });
    c.executionCtx.waitUntil(touchApiKey(c.env.DB, key.id).catch(() => {}));
    return next();
  };
}

/** `admin` implies every scope; `renew` implies `read`. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  if (principal.scopes.has('admin') || principal.scopes.has(scope)) return true;
  return scope === 'read' && principal.scopes.has('renew');
}

export function requireScope(scope: Scope): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw new GatewayError('authentication', { message: 'authentication required' });
    if (!hasScope(principal, scope)) {
      throw new GatewayError('permission', { message: `this API key lacks the "${scope}" scope` });
    }
    return next();
  };
}
