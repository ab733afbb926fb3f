/**
 * Optional sign-in through Cloudflare Access: in front of the worker, Access signs every request it
 * lets through with a JWT in the `Cf-Access-Jwt-Assertion` header (RS256, the team's keys published
 * as a JWKS at `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`). A token is trusted when
 * hono's verifyWithJwks accepts it against those keys with this application's audience and the
 * team's issuer, and it carries an expiry that has not passed. The keys are cached per isolate;
 * a token signed by a key not in the cache (Access rotates its keys) re-reads them, at most once
 * a minute, so a flood of forged kids cannot turn into a flood of fetches.
 */
import { verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import { decodeHeader } from 'hono/utils/jwt/jwt';
import type { AccessConfig } from './config';

export const ACCESS_HEADER = 'cf-access-jwt-assertion';

/** Keys are re-read after this long even when every token's kid is known. */
const KEYS_TTL_MS = 60 * 60_000;
/** The shortest time between two reads forced by an unknown kid. */
const REFRESH_GAP_MS = 60_000;

interface CachedKeys {
  keys: HonoJsonWebKey[];
  fetchedAt: number;
}

const cache = new Map<string, CachedKeys>();

async function fetchKeys(url: string, now: number): Promise<CachedKeys> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`the Access keys answered ${res.status}`);
  const body = (await res.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error('the Access keys are not a JWKS');
  const entry = { keys: body.keys as HonoJsonWebKey[], fetchedAt: now };
  cache.set(url, entry);
  return entry;
}

async function keysFor(url: string, kid: string | undefined, now: number): Promise<HonoJsonWebKey[]> {
  const cached = cache.get(url);
  if (!cached || now - cached.fetchedAt > KEYS_TTL_MS) return (await fetchKeys(url, now)).keys;
  const known = cached.keys.some((k) => k.kid === kid);
  if (!known && now - cached.fetchedAt > REFRESH_GAP_MS) return (await fetchKeys(url, now)).keys;
  return cached.keys;
}

function kidOf(token: string): string | undefined {
  try {
    return decodeHeader(token).kid;
  } catch {
    return undefined; // not a JWT: verifyWithJwks refuses it below
  }
}

export interface AccessIdentity {
  /** The user's email, or the service token's client id. */
  name: string;
  subject: string;
}

export type AccessVerdict = { ok: true; identity: AccessIdentity } | { ok: false; reason: string };

/**
 * Checks an Access token. The reason of a refusal is the error's class name (`JwtTokenExpired`,
 * `JwtTokenAudience`, …): hono's messages quote the token, which must never reach a log.
 */
export async function verifyAccessToken(
  token: string,
  access: AccessConfig,
  now = Date.now(),
): Promise<AccessVerdict> {
  try {
    const keys = await keysFor(access.certsUrl, kidOf(token), now);
    const payload = await verifyWithJwks(token, {
      keys,
      allowedAlgorithms: ['RS256'],
      verification: { aud: access.audience, iss: access.issuer },
    });
    // hono checks `exp` only when present; an Access token always has one, so one without is forged.
    if (typeof payload.exp !== 'number') return { ok: false, reason: 'no expiry' };
    const subject = typeof payload.sub === 'string' ? payload.sub : '';
    const email = typeof payload.email === 'string' ? payload.email : undefined;
    const clientId = typeof payload.common_name === 'string' ? payload.common_name : undefined;
    const name = email ?? clientId ?? subject;
    if (!name) return { ok: false, reason: 'no identity' };
    return { ok: true, identity: { name, subject: subject || name } };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.name : 'invalid' };
  }
}
