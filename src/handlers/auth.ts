/**
 * Bearer authentication for the REST API: `apiAuth()` identifies the caller with hono's bearer-auth
 * (the scheme is matched case-insensitively, RFC 7235: `bearer`, `BEARER`), `requireScope(scope)`
 * authorizes one route (built by `route()` in v1/scoped-routes.ts from the route's declared scope,
 * never added by hand). The bootstrap ADMIN_API_KEY (a secret) is compared in constant time; every
 * other key is looked up by its hash. Every refusal is a 401 problem+json with a Bearer challenge.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { type ApiKeyRecord, findApiKey, type Scope, touchApiKey } from '../core/api-keys';
import { constantTimeEqual } from '../core/digest';
import { GatewayError } from '../core/errors';
import type { AppBindings } from './context';
import { bearerChallenge, problemFromError, problemResponse } from './problem';

export interface Principal {
  /** `access`: a dashboard user Cloudflare Access signed in (src/dashboard/access.ts). */
  kind: 'admin_key' | 'api_key' | 'access';
  /** Shown in the audit trail as the actor. */
  name: string;
  keyId?: string;
  scopes: ReadonlySet<Scope>;
  /** This key's own requests per minute, when it has one. */
  rateLimitPerMinute?: number;
}

/** The bootstrap key (ADMIN_API_KEY): every scope. */
export const ADMIN_PRINCIPAL: Principal = {
  kind: 'admin_key',
  name: 'admin',
  scopes: new Set<Scope>(['read', 'renew', 'admin']),
};

/** The principal of a stored, active key. */
export function keyPrincipal(key: ApiKeyRecord): Principal {
  return {
    kind: 'api_key',
    name: key.name,
    keyId: key.id,
    scopes: new Set(key.scopes),
    rateLimitPerMinute: key.rateLimitPerMinute,
  };
}

/**
 * Who a bearer token belongs to, or undefined (unknown or revoked). The REST API and the
 * dashboard's sign-in check a key the same way, here.
 */
export async function principalForToken(
  token: string,
  adminApiKey: string | undefined,
  db: D1Database,
): Promise<Principal | undefined> {
  if (adminApiKey && constantTimeEqual(token, adminApiKey)) return ADMIN_PRINCIPAL;
  const key = await findApiKey(db, token);
  return key ? keyPrincipal(key) : undefined;
}

/** Sets the principal a token belongs to; false when it belongs to nobody (unknown or revoked). */
async function identify(token: string, c: Context<AppBindings>): Promise<boolean> {
  const principal = await principalForToken(token, c.get('config').adminApiKey, c.env.DB);
  if (!principal) return false;
  c.set('principal', principal);
  const { keyId } = principal;
  if (keyId) c.executionCtx.waitUntil(touchApiKey(c.env.DB, keyId).catch(() => {}));
  return true;
}

/**
 * The 401 problem bearer-auth answers with (it sends a Response it is given as is, only adding
 * a challenge when there is none). A missing key or another scheme (`Basic …`) gets the plain
 * challenge — RFC 6750 §3.1: no error code when no bearer token was sent; a key that was sent but
 * is not valid gets `error="invalid_token"`.
 */
function refusal(message: string, challenge: string) {
  return (c: Context) => {
    const problem = problemFromError(new GatewayError('authentication', { message }), c.get('requestId'));
    const response = problemResponse(problem, c.get('redact'));
    response.headers.set('www-authenticate', challenge);
    return response;
  };
}

export function apiAuth(): MiddlewareHandler<AppBindings> {
  return bearerAuth<AppBindings>({
    verifyToken: identify,
    noAuthenticationHeader: {
      message: refusal('send an API key as "Authorization: Bearer <key>"', bearerChallenge()),
    },
    invalidAuthenticationHeader: {
      message: refusal('the Authorization header is not "Bearer <key>"', bearerChallenge()),
    },
    invalidToken: {
      message: refusal('the API key is unknown or revoked', bearerChallenge('invalid_token')),
    },
  });
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
