/**
 * Authorization matrix (issue 13, item 3), table-driven: every REST route × {no key, revoked key,
 * read, renew, admin} and every bot command × {stranger, viewer, operator}. The tables below are
 * the policy; the first test proves they cover every route the OpenAPI document publishes, so a new
 * route cannot ship without a row here.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey, type Scope } from '../../src/core/api-keys';
import { api, clearApiTables, configuredAccounts, json, type ProblemBody } from './api-support';
import { OPERATOR, STRANGER, say, VIEWER } from './telegram-support';

type Needs = Scope;

interface RouteRow {
  method: string;
  /** The OpenAPI path template. */
  template: string;
  needs: Needs;
  /** A concrete request: path with parameters filled, and a body where the route takes one. */
  path: () => string;
  body?: unknown;
}

const UNKNOWN_KEY_ID = '00000000-0000-4000-8000-000000000000';
const DOMAIN = 'authz-matrix-example.com';
const account = () => configuredAccounts()[0]!;

const ROUTES: RouteRow[] = [
  { method: 'GET', template: '/v1/health', needs: 'read', path: () => '/v1/health' },
  { method: 'GET', template: '/v1/accounts', needs: 'read', path: () => '/v1/accounts' },
  {
    method: 'GET',
    template: '/v1/accounts/{account}/balance',
    needs: 'read',
    path: () => `/v1/accounts/${account()}/balance`,
  },
  {
    method: 'GET',
    template: '/v1/availability',
    needs: 'read',
    path: () => `/v1/availability?domain=${DOMAIN}&account=${account()}`,
  },
  {
    method: 'POST',
    template: '/v1/availability',
    needs: 'read',
    path: () => `/v1/availability?account=${account()}`,
    body: [DOMAIN],
  },
  { method: 'GET', template: '/v1/domains', needs: 'read', path: () => '/v1/domains' },
  { method: 'GET', template: '/v1/domains/{domain}', needs: 'read', path: () => `/v1/domains/${DOMAIN}` },
  {
    method: 'PUT',
    template: '/v1/domains/{domain}',
    needs: 'admin',
    path: () => `/v1/domains/${DOMAIN}`,
    body: { account: 'authz-no-such-account' },
  },
  {
    method: 'PUT',
    template: '/v1/domains/{domain}/nameservers',
    needs: 'admin',
    path: () => `/v1/domains/${DOMAIN}/nameservers?account=${account()}`,
    body: { nameservers: ['ns1.example.net', 'ns2.example.net'] },
  },
  {
    method: 'PUT',
    template: '/v1/domains/{domain}/lock',
    needs: 'admin',
    path: () => `/v1/domains/${DOMAIN}/lock?account=${account()}`,
    body: { locked: true },
  },
  {
    method: 'PUT',
    template: '/v1/domains/{domain}/auto-renew',
    needs: 'renew',
    path: () => `/v1/domains/${DOMAIN}/auto-renew?account=${account()}`,
    body: { enabled: true },
  },
  {
    method: 'POST',
    template: '/v1/domains/{domain}/renew',
    needs: 'renew',
    path: () => `/v1/domains/${DOMAIN}/renew`,
    body: { years: 1, expectedExpiry: '2030-01-01', account: account() },
  },
  {
    method: 'GET',
    template: '/v1/prices',
    needs: 'read',
    path: () => `/v1/prices?tld=com&account=${account()}`,
  },
  { method: 'GET', template: '/v1/renewals', needs: 'read', path: () => '/v1/renewals' },
  {
    method: 'GET',
    template: '/v1/renewals/{id}',
    needs: 'read',
    path: () => '/v1/renewals/rnw_00000000000000000000000000000000',
  },
  {
    method: 'POST',
    template: '/v1/renewals/{id}/resolve',
    needs: 'admin',
    path: () => '/v1/renewals/rnw_00000000000000000000000000000000/resolve',
    body: { outcome: 'failed', note: 'authorization matrix' },
  },
  { method: 'POST', template: '/v1/sync', needs: 'admin', path: () => `/v1/sync?account=${account()}` },
  { method: 'GET', template: '/v1/api-keys', needs: 'admin', path: () => '/v1/api-keys' },
  {
    method: 'POST',
    template: '/v1/api-keys',
    needs: 'admin',
    path: () => '/v1/api-keys',
    body: { name: 'authz-made', scopes: ['read'] },
  },
  {
    method: 'DELETE',
    template: '/v1/api-keys/{id}',
    needs: 'admin',
    path: () => `/v1/api-keys/${UNKNOWN_KEY_ID}`,
  },
];

/**
 * Routes that need no API key: public documents, and the billing webhook, whose proof is its
 * signature (its own tests: test/worker/webhooks-verification.test.ts). `GET /health` is open
 * without `deep`; `?deep=1` needs the key of `/v1/health` (test/worker/health-costs.test.ts).
 */
const PUBLIC = new Set(['GET /health', 'GET /openapi.json', 'GET /docs', 'POST /webhooks/billing/{source}']);

type Principal = 'none' | 'revoked' | 'read' | 'renew' | 'admin';
const PRINCIPALS: Principal[] = ['none', 'revoked', 'read', 'renew', 'admin'];

/** The policy: admin ⊇ renew ⊇ read. */
function allowed(principal: Principal, needs: Needs): boolean {
  if (principal === 'none' || principal === 'revoked') return false;
  if (principal === 'admin') return true;
  if (principal === 'renew') return needs !== 'admin';
  return needs === 'read';
}

const keys = {} as Record<Principal, string | null>;

async function makeKeys(): Promise<void> {
  keys.none = null;
  keys.read = (await createApiKey(env.DB, 'authz-read', ['read'])).token;
  keys.renew = (await createApiKey(env.DB, 'authz-renew', ['renew'])).token;
  // A key created with every scope, then revoked: it must open nothing.
  const revoked = await createApiKey(env.DB, 'authz-revoked', ['read', 'renew', 'admin']);
  await revokeApiKey(env.DB, revoked.record.id);
  keys.revoked = revoked.token;
  // Not the bootstrap key: a stored key with the admin scope.
  keys.admin = (await createApiKey(env.DB, 'authz-admin', ['admin'])).token;
}

describe('REST authorization matrix', () => {
  beforeAll(async () => {
    await clearApiTables();
    await makeKeys();
  });

  it('covers every route of the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await api('/openapi.json', { key: null }),
    );
    const published = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const tabled = new Set(ROUTES.map((r) => `${r.method} ${r.template}`));
    const missing = published.filter((r) => !tabled.has(r) && !PUBLIC.has(r));
    expect(missing, 'routes with no row in the authorization table').toEqual([]);
    const stale = [...tabled].filter((r) => !published.includes(r));
    expect(stale, 'rows for routes the API no longer publishes').toEqual([]);
  });

  for (const route of ROUTES) {
    for (const principal of PRINCIPALS) {
      const expectAllowed = allowed(principal, route.needs);
      it(`${route.method} ${route.template} × ${principal} → ${expectAllowed ? 'allowed' : 'refused'}`, async () => {
        const res = await api(route.path(), {
          method: route.method,
          key: keys[principal],
          body: route.body,
        });
        const text = await res.text();
        expect(res.status, text).not.toBe(500);
        if (expectAllowed) {
          expect([401, 403], text).not.toContain(res.status);
          return;
        }
        const expected = principal === 'none' || principal === 'revoked' ? 401 : 403;
        expect(res.status, text).toBe(expected);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const problem = JSON.parse(text) as ProblemBody;
        expect(problem).toMatchObject({
          status: expected,
          kind: expected === 401 ? 'authentication' : 'permission',
        });
        // A refused caller learns nothing about the resource: no registrar words, no domain data.
        expect(text).not.toContain('expiresAt');
      });
    }
  }

  it('the refused requests left no side effects (no renewal, no key, no revocation)', async () => {
    const renewals = await env.DB.prepare('SELECT actor FROM renewals WHERE domain = ?').bind(DOMAIN).all<{
      actor: string;
    }>();
    // Only allowed principals (renew, admin) can have recorded an intent.
    for (const r of renewals.results) expect(['authz-renew', 'authz-admin']).toContain(r.actor);
    const made = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE name = 'authz-made'").first<{
      n: number;
    }>();
    expect(made?.n).toBe(1); // only the admin key's POST made one
  });
});

/** Bot commands: what each role gets. `refused` is the allow-list sentence. */
const BOT_COMMANDS: Array<{ text: string; operatorOnly?: boolean }> = [
  { text: '/start' },
  { text: '/help' },
  { text: '/check authz-bot-example.com' },
  { text: '/info authz-bot-example.com' },
  { text: '/expiring 30' },
  { text: '/balance' },
  { text: '/price com' },
  { text: '/renew authz-bot-example.com 1', operatorOnly: true },
  { text: '/renewals' },
  { text: '/subscribe' },
  { text: '/unsubscribe' },
  { text: '/nosuchcommand' },
];

const REFUSED = 'Sorry, this bot is private.';
const NEEDS_OPERATOR = 'Only operators can renew domains.';

describe('bot authorization matrix', () => {
  const users = { stranger: STRANGER, viewer: VIEWER, operator: OPERATOR } as const;
  for (const command of BOT_COMMANDS) {
    for (const [role, user] of Object.entries(users)) {
      const outcome =
        role === 'stranger'
          ? 'refused'
          : command.operatorOnly && role === 'viewer'
            ? 'needs operator'
            : 'served';
      it(`${command.text} × ${role} → ${outcome}`, async () => {
        const texts = await say(user, command.text);
        const all = texts.join('\n');
        expect(texts.length, 'the bot always answers').toBeGreaterThan(0);
        if (outcome === 'refused') {
          expect(texts).toEqual([expect.stringContaining(REFUSED)]);
          return;
        }
        expect(all).not.toContain(REFUSED);
        if (outcome === 'needs operator') expect(all).toContain(NEEDS_OPERATOR);
        else expect(all).not.toContain(NEEDS_OPERATOR);
      });
    }
  }

  it('a stranger tapping a Confirm button renews nothing', async () => {
    const { callbackUpdate, postUpdate, telegramCalls, clearTelegramCalls } = await import(
      './telegram-support'
    );
    await clearTelegramCalls();
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals').first<{ n: number }>();
    const res = await postUpdate(callbackUpdate(STRANGER, `renew:ok:${'a'.repeat(24)}`, 1));
    expect(res.status).toBe(200);
    const answers = await telegramCalls('answerCallbackQuery');
    expect(answers.map((a) => String(a.payload.text))).toEqual([expect.stringContaining(REFUSED)]);
    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});

describe('per-key rate limit on every authenticated route', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.template}: a key limited to 2/min gets 429 on its 3rd request`, async () => {
      const { token } = await createApiKey(env.DB, `authz-limited-${route.template}`, ['admin'], {
        rateLimitPerMinute: 2,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api(route.path(), { key: token, method: route.method, body: route.body });
        await res.text();
        statuses.push(res.status);
      }
      expect(statuses[2], `statuses ${statuses.join(',')}`).toBe(429);
    });
  }
});
