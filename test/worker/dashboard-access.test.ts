/**
 * Cloudflare Access sign-in: tokens signed in this test with a generated RSA key, whose public half
 * a local stand-in of the team's key endpoint serves (test/setup/access-jwks.ts). Accepted with
 * the right audience, issuer and expiry; refused with a wrong audience, an expired token, another
 * key's signature; the keys read once and cached; the header ignored when Access is not configured.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { sign } from 'hono/jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePart } from '../../src/core/config-declaration';
import { dashboardSettings } from '../../src/dashboard/config';
import worker from '../../src/index';
import { clearApiTables, seedInventory } from './api-support';
import { type Browser, browser, csrfOf } from './dashboard-support';

const JWKS = (env as unknown as Record<string, string>).ACCESS_JWKS!;
const TEAM = 'gateway-test.cloudflareaccess.com';
const AUD = 'aud-tag-dashboard-0001';
const KID = 'test-key-1';

interface KeyPair {
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

async function rsaKey(): Promise<KeyPair> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return {
    privateJwk: (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey,
    publicJwk: (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey,
  };
}

let teamKey: KeyPair;
let otherKey: KeyPair;
/** Each test publishes its keys at a path of its own, so the worker's key cache starts empty. */
let run = 0;

async function publish(path: string, keys: JsonWebKey[]): Promise<void> {
  const res = await fetch(`${JWKS}${path}`, { method: 'PUT', body: JSON.stringify({ keys }) });
  expect(res.status).toBe(200);
}

async function fetchesOf(path: string): Promise<number> {
  return ((await (await fetch(`${JWKS}/__fetches`)).json()) as Record<string, number>)[path] ?? 0;
}

const now = () => Math.floor(Date.now() / 1000);

/** An Access-shaped token (claims as Access sends them), signed with `key`. */
function token(key: KeyPair, claims: Record<string, unknown> = {}): Promise<string> {
  return sign(
    {
      aud: [AUD],
      email: 'operator@example.com',
      sub: 'user-7f3a',
      iss: `https://${TEAM}`,
      iat: now() - 10,
      exp: now() + 3600,
      type: 'app',
      ...claims,
    },
    { ...key.privateJwk, alg: 'RS256', kid: KID } as never,
    'RS256',
  );
}

/** A browser over the worker entry with Access configured (keys at `path`) plus `vars`. */
function accessBrowser(path: string, vars: Record<string, string> = {}): Browser {
  const bindings = {
    ...env,
    DASHBOARD_ACCESS_TEAM_DOMAIN: TEAM,
    DASHBOARD_ACCESS_AUD: AUD,
    DASHBOARD_ACCESS_CERTS_URL: `${JWKS}${path}`,
    ...vars,
  };
  return browser(async (request) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, bindings as never, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  });
}

async function keysAt(keys: JsonWebKey[]): Promise<string> {
  const path = `/certs-${++run}-${crypto.randomUUID()}`;
  await publish(
    path,
    keys.map((k) => ({ ...k, kid: KID, alg: 'RS256', use: 'sig' })),
  );
  return path;
}

beforeAll(async () => {
  [teamKey, otherKey] = await Promise.all([rsaKey(), rsaKey()]);
  await clearApiTables();
  await seedInventory([
    { domain: 'access-seen.com', account: 'dynadot', expiresAt: new Date(Date.now() + 9e8).toISOString() },
  ]);
});

const header = (jwt: string) => ({ 'cf-access-jwt-assertion': jwt });

describe('Cloudflare Access sign-in', () => {
  it('accepts a token of this application: the portfolio as the Access user, with the configured scope', async () => {
    const path = await keysAt([teamKey.publicJwk]);
    const b = accessBrowser(path);
    const res = await b.get('/app', header(await token(teamKey)));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('access-seen.com');
    expect(html).toMatch(/Signed in as <strong>operator@example.com<\/strong> \(Scopes: read\)/);
    // No key, so no calendar feed (its URL names a key).
    expect(html).not.toContain('id="calendar-url"');
    // No cookie of ours: Access signs every request.
    expect(b.cookies.has('rgw_session')).toBe(false);

    const renew = accessBrowser(path, { DASHBOARD_ACCESS_SCOPE: 'renew' });
    const renewPage = await (await renew.get('/app/money', header(await token(teamKey)))).text();
    expect(renewPage).toContain('(Scopes: renew)');
  });

  it('refuses a token for another audience, an expired one, another issuer and a forged signature', async () => {
    const path = await keysAt([teamKey.publicJwk]);
    const b = accessBrowser(path);
    const refused = {
      'wrong aud': await token(teamKey, { aud: ['some-other-app'] }),
      expired: await token(teamKey, { iat: now() - 7200, exp: now() - 60 }),
      'no expiry': await token(teamKey, { exp: undefined }),
      'other issuer': await token(teamKey, { iss: 'https://evil.cloudflareaccess.com' }),
      'bad signature': await token(otherKey),
      garbage: 'not.a.token',
    };
    for (const [why, jwt] of Object.entries(refused)) {
      const res = await b.get('/app', header(jwt));
      expect(res.status, why).toBe(303);
      expect(res.headers.get('location'), why).toBe('/app/sign-in');
    }
    // The same browser with a good token is let in: the refusals were the tokens'.
    expect((await b.get('/app', header(await token(teamKey)))).status).toBe(200);
  });

  it('reads the keys once and caches them across requests', async () => {
    const path = await keysAt([teamKey.publicJwk]);
    const b = accessBrowser(path);
    const jwt = await token(teamKey);
    for (let i = 0; i < 4; i++) expect((await b.get('/app', header(jwt))).status).toBe(200);
    expect(await fetchesOf(path)).toBe(1);
  });

  it('protects forms with a CSRF token bound to the Access token; sign-out goes to Access logout', async () => {
    const path = await keysAt([teamKey.publicJwk]);
    const b = accessBrowser(path);
    const jwt = await token(teamKey);
    const csrf = csrfOf(await (await b.get('/app', header(jwt))).text());
    const forged = await b.post(
      '/app/sign-out',
      { csrf: 'x'.repeat(43) },
      { origin: 'http://gateway.test', ...header(jwt) },
    );
    expect(forged.status).toBe(403);
    const out = await b.post('/app/sign-out', { csrf }, { origin: 'http://gateway.test', ...header(jwt) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/cdn-cgi/access/logout');
  });

  it('ignores the header when Access is not configured', async () => {
    const res = await browser().get('/app', header(await token(teamKey)));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in');
  });

  it('needs the team domain and the audience together', () => {
    const half = parsePart(dashboardSettings, { DASHBOARD_ACCESS_TEAM_DOMAIN: TEAM });
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.problems.join()).toContain('DASHBOARD_ACCESS_AUD');
    const whole = parsePart(dashboardSettings, {
      DASHBOARD_ACCESS_TEAM_DOMAIN: 'myteam',
      DASHBOARD_ACCESS_AUD: AUD,
    });
    expect(whole.ok && whole.value.access).toEqual({
      issuer: 'https://myteam.cloudflareaccess.com',
      audience: AUD,
      certsUrl: 'https://myteam.cloudflareaccess.com/cdn-cgi/access/certs',
      scope: 'read',
    });
  });
});
