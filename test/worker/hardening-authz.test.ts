/**
 * Authorization matrix (issue 13, item 3). REST: the published OpenAPI document is the policy —
 * every operation declares the scope it needs in its `security` (`[{ bearerAuth: ['renew'] }]`,
 * written and enforced from the same value by `route()`), and each operation × key below is
 * derived from it, so a route added later is in the matrix without a row here. Bot: every command
 * × {stranger, viewer, operator}.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey, SCOPES, type Scope } from '../../src/core/api-keys';
import { createApp } from '../../src/handlers/app';
import { BEARER_SCHEME } from '../../src/handlers/v1/scoped-routes';
import { api, clearApiTables, configuredAccounts, json, type ProblemBody } from './api-support';
import { OPERATOR, STRANGER, say, VIEWER } from './telegram-support';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { example?: unknown };
}

interface Operation {
  /** `GET /v1/domains/{domain}` */
  id: string;
  method: string;
  template: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: unknown;
}

const doc = await json<{
  paths: Record<string, Record<string, Omit<Operation, 'id' | 'method' | 'template'>>>;
}>(await api('/openapi.json', { key: null }));
const OPERATIONS: Operation[] = Object.entries(doc.paths).flatMap(([template, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    ...op,
    id: `${method.toUpperCase()} ${template}`,
    method: method.toUpperCase(),
    template,
  })),
);

interface ScopedOperation extends Operation {
  /** The one scope the operation's `security` names. */
  scope: Scope;
  /** `security` also lists `{}`: the key is needed only for some requests (`/health?deep=1`). */
  keyOptional: boolean;
}

function declaredAccess(op: Operation): ScopedOperation | undefined {
  const bearer = op.security?.find((requirement) => BEARER_SCHEME in requirement);
  if (!bearer) return undefined;
  const scopes = bearer[BEARER_SCHEME] ?? [];
  if (scopes.length !== 1 || !SCOPES.includes(scopes[0] as Scope)) {
    throw new Error(`${op.id} declares ${JSON.stringify(scopes)}: exactly one of ${SCOPES.join(', ')}`);
  }
  const keyOptional = op.security?.some((requirement) => Object.keys(requirement).length === 0) ?? false;
  return { ...op, scope: scopes[0] as Scope, keyOptional };
}

const MATRIX = OPERATIONS.flatMap((op) => declaredAccess(op) ?? []);

/** Operations open to anyone: the billing webhook, whose proof is its signature (its own tests). */
const PUBLIC = new Set(['POST /webhooks/billing/{source}']);

const DOMAIN = 'authz-matrix-example.com';
const account = () => configuredAccounts()[0]!;

/**
 * Bodies that reach the handler, where the side-effect check below needs one; any other operation
 * with a body gets `{}` (a 400 for a key that passes the scope check: the check runs first).
 */
const BODIES: Record<string, () => unknown> = {
  'POST /v1/domains/{domain}/renew': () => ({ years: 1, expectedExpiry: '2030-01-01', account: account() }),
  'POST /v1/api-keys': () => ({ name: 'authz-made', scopes: ['read'] }),
};

/**
 * A concrete request for an operation: path parameters and required query parameters from their
 * documented examples (`authz-matrix` where there is none), the domain of this test for
 * `{domain}`, and `account` naming one configured account, so what reaches a registrar reaches
 * one simulator.
 */
function request(op: Operation): { path: string; body?: unknown } {
  const example = (p: Parameter) => {
    if (p.name === 'account') return account();
    if (p.name === 'domain' && p.in === 'path') return DOMAIN;
    return p.schema?.example ?? 'authz-matrix';
  };
  const params = op.parameters ?? [];
  let path = op.template;
  for (const p of params.filter((p) => p.in === 'path')) {
    path = path.replace(`{${p.name}}`, encodeURIComponent(String(example(p))));
  }
  const query = new URLSearchParams();
  for (const p of params.filter((p) => p.in === 'query' && (p.required || p.name === 'account'))) {
    const value = example(p);
    for (const v of Array.isArray(value) ? value : [value]) query.append(p.name, String(v));
  }
  const body = BODIES[op.id]?.() ?? (op.requestBody ? {} : undefined);
  return { path: query.size ? `${path}?${query}` : path, body };
}

type Principal = 'none' | 'revoked' | Scope;
const PRINCIPALS: Principal[] = ['none', 'revoked', ...SCOPES];

const keys = {} as Record<Principal, string | null>;

async function makeKeys(): Promise<void> {
  keys.none = null;
  // Stored keys with one scope each (not the bootstrap key).
  for (const scope of SCOPES) keys[scope] = (await createApiKey(env.DB, `authz-${scope}`, [scope])).token;
  // A key created with every scope, then revoked: it must open nothing.
  const revoked = await createApiKey(env.DB, 'authz-revoked', [...SCOPES]);
  await revokeApiKey(env.DB, revoked.record.id);
  keys.revoked = revoked.token;
}

/** What a principal gets on an operation, by the document alone (`admin` ⊇ `renew` ⊇ `read`). */
function expectedStatus(principal: Principal, op: ScopedOperation): 401 | 403 | 'allowed' {
  if (op.keyOptional) return 'allowed';
  if (principal === 'none' || principal === 'revoked') return 401;
  const holds: Record<Scope, readonly Scope[]> = {
    read: ['read'],
    renew: ['read', 'renew'],
    admin: SCOPES,
  };
  return holds[principal].includes(op.scope) ? 'allowed' : 403;
}

describe('REST authorization matrix, from /openapi.json', () => {
  beforeAll(async () => {
    await clearApiTables();
    await makeKeys();
  });

  it('covers every /v1 operation, each with one declared scope, and every other operation is known public', () => {
    const v1 = OPERATIONS.filter((op) => op.template.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(0);
    const matrixed = new Set(MATRIX.filter((op) => !op.keyOptional).map((op) => op.id));
    expect(
      v1.filter((op) => !matrixed.has(op.id)).map((op) => op.id),
      '/v1 operations without exactly one required scope',
    ).toEqual([]);
    const unscoped = OPERATIONS.filter((op) => !declaredAccess(op)).map((op) => op.id);
    expect(unscoped.sort(), 'operations open to anyone').toEqual([...PUBLIC].sort());
    for (const id of Object.keys(BODIES)) expect(OPERATIONS.map((op) => op.id)).toContain(id);
  });

  it('the document lists every route the worker serves under /v1 (nothing is served unpublished)', () => {
    const served = new Set(
      createApp()
        .routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/'))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const published = OPERATIONS.filter((op) => op.template.startsWith('/v1/')).map((op) => op.id);
    expect([...served].sort()).toEqual(published.sort());
  });

  it('keeps the money and key routes where the policy puts them', () => {
    const scopeOf = (id: string) => MATRIX.find((op) => op.id === id)?.scope;
    expect(scopeOf('POST /v1/domains/{domain}/renew')).toBe('renew');
    expect(scopeOf('POST /v1/renewals/{id}/resolve')).toBe('admin');
    for (const id of ['POST /v1/api-keys', 'GET /v1/api-keys', 'DELETE /v1/api-keys/{id}', 'POST /v1/sync'])
      expect(scopeOf(id), id).toBe('admin');
  });

  for (const op of MATRIX) {
    for (const principal of PRINCIPALS) {
      const expected = expectedStatus(principal, op);
      it(`${op.id} (scope ${op.scope}${op.keyOptional ? ', key optional' : ''}) × ${principal} → ${expected}`, async () => {
        const { path, body } = request(op);
        const res = await api(path, { method: op.method, key: keys[principal], body });
        const text = await res.text();
        expect(res.status, text).not.toBe(500);
        if (expected === 'allowed') {
          expect([401, 403], text).not.toContain(res.status);
          return;
        }
        expect(res.status, text).toBe(expected);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        const problem = JSON.parse(text) as ProblemBody;
        expect(problem).toMatchObject({
          status: expected,
          kind: expected === 401 ? 'authentication' : 'permission',
        });
        if (expected === 403) expect(problem.detail).toContain(`"${op.scope}" scope`);
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
  for (const op of MATRIX.filter((op) => !op.keyOptional)) {
    it(`${op.id}: a key limited to 2/min gets 429 after 2 requests of one window`, async () => {
      const { token } = await createApiKey(env.DB, `authz-limited-${op.id}`, ['admin'], {
        rateLimitPerMinute: 2,
      });
      const { path, body } = request(op);
      // The window is a fixed wall-clock minute: when the requests straddle its end, the new
      // window admits two more, so the 429 comes by the 5th request at the latest, never earlier
      // than the 3rd.
      const statuses: number[] = [];
      while (statuses.length < 5 && statuses.at(-1) !== 429) {
        const res = await api(path, { key: token, method: op.method, body });
        await res.text();
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 2), `statuses ${statuses.join(',')}`).not.toContain(429);
      expect(statuses.at(-1), `statuses ${statuses.join(',')}`).toBe(429);
    });
  }
});
