/**
 * Dashboard sign-in and sessions through the real worker entry: the cookie's attributes, a revoked
 * key signing its session out, CSRF refusals (Origin and the per-session token), scopes, sign-out,
 * and the language (Accept-Language, then the switch's cookie).
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/core/api-keys';
import { ADMIN_KEY, api, clearApiTables, json, keyWith, seedInventory } from './api-support';
import { browser, csrfOf, signIn } from './dashboard-support';

beforeEach(async () => {
  await clearApiTables();
  await seedInventory([{ domain: 'alpha.com', account: 'dynadot', expiresAt: '2030-01-01T00:00:00.000Z' }]);
});

describe('sign in', () => {
  it('shows a form with a field labelled "API key" and a "Sign in" button', async () => {
    const res = await browser().get('/app/sign-in');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<label for="api-key">API key<\/label>/);
    expect(html).toMatch(/<input id="api-key" name="key" type="password"/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const res = await browser().get('/app');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in');
  });

  it('exchanges a valid key for a short-lived HttpOnly, Secure, SameSite=Strict cookie on /app', async () => {
    const b = browser();
    const res = await signIn(b, ADMIN_KEY);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app');
    const cookie = b.setCookies.get('rgw_session')!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/app/);
    expect(cookie).toMatch(/; Max-Age=43200/);
    // The cookie names the key, never holds it.
    expect(cookie).not.toContain(ADMIN_KEY);
    const page = await b.get('/app');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('alpha.com');
  });

  it('refuses an unknown key with 401 and sets no cookie', async () => {
    const b = browser();
    const res = await signIn(b, 'rgw_not-a-key-of-ours');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('unknown or revoked');
    expect(b.cookies.size).toBe(0);
  });

  it('refuses a forged or tampered session cookie', async () => {
    const b = browser();
    await signIn(b, ADMIN_KEY);
    const token = b.cookies.get('rgw_session')!;
    const [keyRef, , nonce, mac] = token.split('.');
    // Extending the expiry breaks the signature.
    b.cookies.set('rgw_session', `${keyRef}.9999999999.${nonce}.${mac}`);
    const res = await b.get('/app');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in?ended=1');
    expect(b.cookies.has('rgw_session')).toBe(false);
  });

  it('signs a session out on its next request once its key is revoked', async () => {
    const key = await keyWith(['read']);
    const b = browser();
    await signIn(b, key);
    expect((await b.get('/app')).status).toBe(200);
    const { results } = await env.DB.prepare('SELECT id FROM api_keys').all<{ id: string }>();
    await revokeApiKey(env.DB, results[0]!.id);
    const res = await b.get('/app');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in?ended=1');
    const signInPage = await (await b.get('/app/sign-in?ended=1')).text();
    expect(signInPage).toContain('Your session ended');
    // And the key cannot sign in again.
    expect((await signIn(browser(), key)).status).toBe(401);
  });
});

describe('CSRF protection', () => {
  it('refuses a sign-out posted from another origin, or without the session token', async () => {
    const b = browser();
    await signIn(b, ADMIN_KEY);
    const csrf = csrfOf(await (await b.get('/app')).text());
    const foreign = await b.post('/app/sign-out', { csrf }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const tokenless = await b.post('/app/sign-out', {});
    expect(tokenless.status).toBe(403);
    expect(await tokenless.text()).toContain('did not come from this dashboard');
    // The first character changed, never to itself: all its six bits are the MAC's (the last
    // character's low bits are padding, and a fixed suffix is now and then the real one).
    const first = csrf.startsWith('A') ? 'B' : 'A';
    const wrong = await b.post('/app/sign-out', { csrf: `${first}${csrf.slice(1)}` });
    expect(wrong.status).toBe(403);
    // Still signed in after every refusal.
    expect((await b.get('/app')).status).toBe(200);
  });

  it('a session token from another session does not pass', async () => {
    const first = browser();
    const second = browser();
    await signIn(first, ADMIN_KEY);
    await signIn(second, ADMIN_KEY);
    const csrfOfFirst = csrfOf(await (await first.get('/app')).text());
    expect((await second.post('/app/sign-out', { csrf: csrfOfFirst })).status).toBe(403);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const res = await browser().post('/app/sign-in', { key: ADMIN_KEY }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('sign out', () => {
  it('clears the cookie and sends the browser to the sign-in page', async () => {
    const b = browser();
    await signIn(b, ADMIN_KEY);
    const csrf = csrfOf(await (await b.get('/app')).text());
    const res = await b.post('/app/sign-out', { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in');
    expect(b.setCookies.get('rgw_session')).toMatch(/Max-Age=0/);
    expect(b.cookies.has('rgw_session')).toBe(false);
    expect((await b.get('/app')).status).toBe(303);
  });
});

describe('scopes', () => {
  it('shows each key its own scopes; a key without any scope the dashboard uses cannot sign in', async () => {
    for (const [scopes, shown] of [
      [['read'], 'read'],
      [['renew'], 'renew'],
      [['admin'], 'admin'],
    ] as const) {
      const b = browser();
      expect((await signIn(b, await keyWith([...scopes]))).status).toBe(303);
      expect(await (await b.get('/app')).text()).toContain(`Scopes: ${shown}`);
    }
    const scopeless = await keyWith([]);
    const res = await signIn(browser(), scopeless);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('no scope the dashboard can use');
  });

  it('a session is not a bearer key: the REST API still wants Authorization', async () => {
    const b = browser();
    await signIn(b, ADMIN_KEY);
    const res = await api('/v1/domains', {
      key: null,
      headers: { cookie: `rgw_session=${b.cookies.get('rgw_session')}` },
    });
    expect(res.status).toBe(401);
    expect((await json(res)).kind).toBe('authentication');
  });
});

describe('languages', () => {
  it('follows Accept-Language, then the switch (a cookie) wins', async () => {
    const b = browser();
    const zh = await (await b.get('/app/sign-in', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' })).text();
    expect(zh).toContain('<html lang="zh-Hans">');
    expect(zh).toContain('API 密钥');
    const en = await (await b.get('/app/sign-in', { 'accept-language': 'en-GB' })).text();
    expect(en).toContain('<html lang="en">');

    const res = await b.post('/app/language', { lang: 'zh', back: '/app/sign-in' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app/sign-in');
    const switched = await (await b.get('/app/sign-in', { 'accept-language': 'en' })).text();
    expect(switched).toContain('登录');
  });

  it('never redirects the switch outside the dashboard', async () => {
    const res = await browser().post('/app/language', { lang: 'en', back: 'https://evil.example/' });
    expect(res.headers.get('location')).toBe('/app');
    const slashes = await browser().post('/app/language', { lang: 'en', back: '//evil.example/app' });
    expect(slashes.headers.get('location')).toBe('/app');
  });
});
