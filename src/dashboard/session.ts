/**
 * Dashboard sessions: an API key, checked as the REST API checks a bearer key, is exchanged for a
 * signed session cookie naming the key (tokens.ts). Every request re-reads that key: a revoked
 * key (or a new ADMIN_API_KEY) ends its sessions at once, and the key's scopes decide what the
 * session may do, as they decide for the API.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { findActiveApiKeyById, type Scope } from '../core/api-keys';
import { GatewayError } from '../core/errors';
import type { AppConfig, Env } from '../env';
import { ADMIN_PRINCIPAL, hasScope, keyPrincipal, type Principal } from '../handlers/auth';
import type { AppVariables } from '../handlers/context';
import { ACCESS_HEADER, verifyAccessToken } from './access';
import type { AccessConfig } from './config';
import {
  adminKeyRef,
  csrfTokenFor,
  csrfTokenMatches,
  type SessionKey,
  sessionKeyFrom,
  signSession,
  verifySession,
} from './tokens';

export const SESSION_COOKIE = 'rgw_session';
/** Short-lived: a lost laptop's session ends within a working day. */
export const SESSION_SECONDS = 12 * 60 * 60;
/** The hidden field of every state-changing form. */
export const CSRF_FIELD = 'csrf';

export interface DashboardSession {
  principal: Principal;
  /** The key the session names: an api key id, or the admin key's fingerprint. */
  keyRef: string;
  csrfToken: string;
  /** Signed in by Cloudflare Access (its header on every request), not by a key and cookie. */
  viaAccess?: boolean;
}

export interface DashboardVariables extends AppVariables {
  /** Set by hono's language detector. */
  language: string;
  /** Undefined when no secret is configured: nobody can sign in. */
  sessionKey: SessionKey | undefined;
  session: DashboardSession | undefined;
  /** A session cookie came but no longer holds (expired, forged, its key revoked). */
  sessionEnded: boolean;
}

export interface DashboardBindings {
  Bindings: Env;
  Variables: DashboardVariables;
}

const keys = new WeakMap<AppConfig, Promise<SessionKey | undefined>>();

/** The session key of a configuration, derived once per isolate. */
export function sessionKeyFor(config: AppConfig): Promise<SessionKey | undefined> {
  let key = keys.get(config);
  if (!key) {
    key = sessionKeyFrom(config.dashboard.sessionSecret, config.adminApiKey);
    keys.set(config, key);
  }
  return key;
}

/** How a session names the principal's key. */
export async function keyRefOf(principal: Principal, config: AppConfig): Promise<string> {
  if (principal.keyId) return principal.keyId;
  if (!config.adminApiKey) throw new Error('an admin principal without ADMIN_API_KEY');
  return adminKeyRef(config.adminApiKey);
}

/** The principal of the key a session or calendar URL names, if that key is still valid. */
export async function principalForKeyRef(
  keyRef: string,
  config: AppConfig,
  db: D1Database,
): Promise<Principal | undefined> {
  if (keyRef.startsWith('admin-')) {
    const current = config.adminApiKey ? await adminKeyRef(config.adminApiKey) : undefined;
    return current === keyRef ? ADMIN_PRINCIPAL : undefined;
  }
  const key = await findActiveApiKeyById(db, keyRef);
  return key ? keyPrincipal(key) : undefined;
}

/** Secure everywhere but on the developer's own machine, where the local stack speaks plain HTTP. */
function cookieIsSecure(c: Context): boolean {
  const host = new URL(c.req.url).hostname;
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]');
}

export function dashboardCookieOptions(c: Context, maxAge: number): CookieOptions {
  return { path: '/app', httpOnly: true, secure: cookieIsSecure(c), sameSite: 'Strict', maxAge };
}

/** Starts a session for a principal: sets the cookie. */
export async function startSession(c: Context<DashboardBindings>, key: SessionKey, principal: Principal) {
  const keyRef = await keyRefOf(principal, c.get('config'));
  const expiresAt = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
  const token = await signSession(key, { keyRef, expiresAt });
  setCookie(c, SESSION_COOKIE, token, dashboardCookieOptions(c, SESSION_SECONDS));
}

export function endSession(c: Context<DashboardBindings>) {
  deleteCookie(c, SESSION_COOKIE, dashboardCookieOptions(c, 0));
}

/** Reads the session cookie, if any, and re-checks the key it names. */
export function loadSession(): MiddlewareHandler<DashboardBindings> {
  return async (c, next) => {
    const config = c.get('config');
    const key = await sessionKeyFor(config);
    c.set('sessionKey', key);
    c.set('session', undefined);
    c.set('sessionEnded', false);
    const token = getCookie(c, SESSION_COOKIE);
    if (token !== undefined) {
      const claims = key ? await verifySession(key, token, Math.floor(Date.now() / 1000)) : undefined;
      const principal = claims ? await principalForKeyRef(claims.keyRef, config, c.env.DB) : undefined;
      if (key && claims && principal) {
        c.set('session', { principal, keyRef: claims.keyRef, csrfToken: await csrfTokenFor(key, token) });
      } else {
        c.set('sessionEnded', true);
        endSession(c);
      }
    }
    // A key's session (a cookie) comes first: with Access in front, one may still sign in with a key.
    const accessToken = c.req.header(ACCESS_HEADER);
    if (!c.get('session') && key && config.dashboard.access && accessToken) {
      c.set('session', await accessSession(c, key, config.dashboard.access, accessToken));
    }
    return next();
  };
}

/** The session of a request Cloudflare Access signed, or undefined when its token does not hold. */
async function accessSession(
  c: Context<DashboardBindings>,
  key: SessionKey,
  access: AccessConfig,
  token: string,
): Promise<DashboardSession | undefined> {
  const verdict = await verifyAccessToken(token, access);
  if (!verdict.ok) {
    c.get('logger')?.warn('Cloudflare Access token refused', { reason: verdict.reason });
    return undefined;
  }
  const principal: Principal = {
    kind: 'access',
    name: verdict.identity.name,
    scopes: new Set<Scope>([access.scope]),
  };
  return {
    principal,
    keyRef: `access-${verdict.identity.subject}`,
    csrfToken: await csrfTokenFor(key, token),
    viaAccess: true,
  };
}

/**
 * A page or action for signed-in users with `scope`: no session → the sign-in page (a 303, so a
 * refused POST is not re-sent); a session without the scope → 403.
 */
export function requireSession(scope: Scope): MiddlewareHandler<DashboardBindings> {
  return async (c, next) => {
    const session = c.get('session');
    if (!session) return c.redirect(c.get('sessionEnded') ? '/app/sign-in?ended=1' : '/app/sign-in', 303);
    if (!hasScope(session.principal, scope)) {
      throw new GatewayError('permission', { message: `this API key lacks the "${scope}" scope` });
    }
    return next();
  };
}

/**
 * The per-session CSRF token of a state-changing form, on top of hono's Origin check: refused with
 * 403 when a session exists and the form's token is not that session's. (Before sign-in there is
 * no session to forge a request for; the Origin check and SameSite=Strict cover the sign-in form.)
 */
export function requireFormToken(): MiddlewareHandler<DashboardBindings> {
  return async (c, next) => {
    const session = c.get('session');
    const key = c.get('sessionKey');
    if (!session || !key) return next();
    const body = await c.req.parseBody();
    const given = body[CSRF_FIELD];
    // The token the session's CSRF token was made from: the cookie, or the Access token.
    const token = (session.viaAccess ? c.req.header(ACCESS_HEADER) : getCookie(c, SESSION_COOKIE)) ?? '';
    if (typeof given !== 'string' || !(await csrfTokenMatches(key, token, given))) {
      throw new GatewayError('permission', { code: 'csrf', message: 'the form token is missing or wrong' });
    }
    return next();
  };
}
