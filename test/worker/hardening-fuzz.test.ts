/**
 * Fuzzing the three front doors with fast-check (issue 13, item 2), through the worker's default
 * export (the real entry: auth, validation, handlers, onError) with the simulators behind it:
 *  - REST: methods × paths (route templates with hostile parameters, and random paths) × query ×
 *    JSON/non-JSON bodies × headers (auth, content-type, idempotency key, request id);
 *  - billing webhooks: bodies × signatures (valid, wrong, malformed) × timestamps × sources;
 *  - Telegram: arbitrary Update JSON, command text and callback data from allowed and unknown users.
 * Properties: never a 500; every error a valid problem+json whose status matches; the bot answers
 * Telegram 200 and every message it sends is a non-empty sentence with no internals.
 *
 * Counts: HARDENING_RUNS cases per door and seed HARDENING_SEED (bindings `npm run soak` sets from
 * SOAK_RUNS and SOAK_SEED); `npm test` runs the fast default below with a fixed seed.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { ADMIN_KEY } from './api-support';
import { clearTelegramCalls, telegramCalls } from './telegram-support';
import { STANDARD_SECRETS, STRIPE_SECRET, standardDelivery, WHMCS_SECRET } from './webhook-client';

const knobs = env as unknown as Record<string, string>;
const RUNS = Number(knobs.HARDENING_RUNS || 500);
const SEED = Number(knobs.HARDENING_SEED || 1313);
/** A bot case can reach registrars and the fake Bot API (tens of ms), so the long campaign's
 * 10,000 cases need more than the fast run's ten minutes. */
const TIMEOUT = Math.max(600_000, RUNS * 300);

/**
 * One request to the worker, the way SELF delivers it: the default export's fetch with the
 * bindings and an execution context, whose waitUntil work is awaited before the next case.
 * Not SELF itself: in @cloudflare/vitest-pool-workers 0.15.1 (the version the toolchain pins) every
 * SELF call wraps the entrypoint's prototype in one more Proxy (cloudflare/workers-sdk#15092, fixed
 * upstream by #15106), so call N costs O(N): 300 calls took 3 s, the fifth 300 took 129 s, and the
 * sixth overflowed the stack. Ten thousand cases per door cannot run through it.
 */
async function callWorker(url: string, init: RequestInit, bindings: object = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), bindings as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Every 1,000 cases of a long run, one line with the pace (a slowdown shows where it starts). */
function progress(door: string): () => void {
  const started = Date.now();
  let cases = 0;
  return () => {
    cases++;
    if (RUNS >= 2_000 && cases % 1_000 === 0)
      console.warn(
        `${door} fuzz progress: ${cases}/${RUNS} cases in ${Math.round((Date.now() - started) / 1000)} s`,
      );
  };
}

const BASE = 'http://gateway.test';

const hostile = fc.oneof(
  fc.constantFrom(
    '',
    '..',
    '%00',
    '%ZZ',
    '%2e%2e',
    'example.com',
    'EXAMPLE.COM.',
    'xn--',
    'xn--zz-.com',
    '例子.中国',
    'a'.repeat(300),
    '-bad-.com',
    'sim-soon.com',
    "'; DROP TABLE renewals; --",
    '<script>',
    '00000000-0000-4000-8000-000000000000',
    'rnw_00000000000000000000000000000000',
    'dynadot',
    'logicboxes',
    'alibaba',
    'mrdomain',
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.domain(),
);

/** Every route with its method (the table of hardening-authz.test.ts, plus the open ones). */
const ROUTES: Array<[string, string]> = [
  ['GET', '/v1/accounts'],
  ['GET', '/v1/accounts/{}/balance'],
  ['GET', '/v1/availability'],
  ['POST', '/v1/availability'],
  ['GET', '/v1/domains'],
  ['GET', '/v1/domains/{}'],
  ['PUT', '/v1/domains/{}'],
  ['PUT', '/v1/domains/{}/nameservers'],
  ['PUT', '/v1/domains/{}/lock'],
  ['PUT', '/v1/domains/{}/auto-renew'],
  ['POST', '/v1/domains/{}/renew'],
  ['GET', '/v1/prices'],
  ['GET', '/v1/renewals'],
  ['GET', '/v1/renewals/{}'],
  ['POST', '/v1/sync'],
  ['GET', '/v1/api-keys'],
  ['POST', '/v1/api-keys'],
  ['DELETE', '/v1/api-keys/{}'],
  ['GET', '/health'],
  ['GET', '/openapi.json'],
  ['POST', '/webhooks/billing/{}'],
  ['POST', '/telegram/webhook'],
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

const restRequest = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES), hostile)
      .map(([[method, template], p]) => ({ method, path: template.replace('{}', p) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...METHODS), fc.constantFrom(...ROUTES), hostile)
      .map(([method, [, template], p]) => ({ method, path: template.replace('{}', p) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...METHODS), fc.array(hostile, { maxLength: 5 }))
      .map(([method, segs]) => ({ method, path: `/${segs.join('/')}` })),
  },
);

const QUERY_KEYS = [
  'domain',
  'account',
  'tld',
  'years',
  'operation',
  'limit',
  'cursor',
  'state',
  'prices',
  'source',
  'expiringWithin',
  'q',
];
const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })),
      fc.oneof(hostile, fc.integer().map(String)),
    ),
    {
      maxLength: 4,
    },
  )
  .map((pairs) =>
    pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}` : '',
  );

const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostile, fc.integer({ min: -5, max: 20 }));
const shapedBody = fc.record(
  {
    years: anything,
    expectedExpiry: fc.oneof(
      fc.constantFrom('2030-01-01', '2030-02-30', 'yesterday', '2030-01-01T00:00:00Z'),
      anything,
    ),
    account: anything,
    domains: fc.oneof(fc.array(hostile, { maxLength: 4 }), anything),
    nameservers: fc.oneof(fc.array(fc.domain(), { maxLength: 15 }), anything),
    locked: anything,
    enabled: anything,
    name: anything,
    scopes: fc.oneof(fc.subarray(['read', 'renew', 'admin', 'root']), anything),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  shapedBody.map((b) => JSON.stringify(b)),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('{', '[1,2', 'null', '"x"', '{"years":1e999}', '\u0000'),
);

const headers = fc.record({
  authorization: fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${ADMIN_KEY}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('Basic YWJj', 'Bearer', 'bearer  x y', `Bearer ${ADMIN_KEY}x`) },
  ),
  'content-type': fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    undefined,
  ),
  'idempotency-key': fc.option(
    fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    { nil: undefined },
  ),
  'x-request-id': fc.option(
    fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    { nil: undefined },
  ),
});

function cleanHeaders(h: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The property every error of every HTTP door must have. */
async function expectWellFormed(res: Response, what: string): Promise<void> {
  const text = await res.text();
  const context = `${what} → ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, context).not.toBe(500);
  if (res.status < 400) return;
  expect(res.headers.get('content-type'), context).toBe('application/problem+json');
  const problem = JSON.parse(text) as Record<string, unknown>;
  expect(problem.status, context).toBe(res.status);
  expect(typeof problem.title, context).toBe('string');
  expect(typeof problem.detail, context).toBe('string');
  expect(typeof problem.kind, context).toBe('string');
  expect(problem.kind, context).not.toBe('internal');
}

/** At the default 600 requests a minute per key, 4 of 10 long-run cases were 429s that never
 * reached a handler; the limiter has its own tests (api-auth.test.ts). */
const REST_BINDINGS = { ...env, API_RATE_LIMIT_PER_MINUTE: '1000000' };

describe('REST API fuzz', () => {
  it(`${RUNS} generated requests: no 500, every error a problem+json`, { timeout: TIMEOUT }, async () => {
    const statuses: Record<number, number> = {};
    const tick = progress('REST');
    await fc.assert(
      fc.asyncProperty(restRequest, query, body, headers, async ({ method, path }, q, b, h) => {
        tick();
        const init: RequestInit = { method, headers: cleanHeaders(h) };
        if (b !== undefined && method !== 'GET') init.body = b;
        let url: string;
        try {
          url = new URL(`${BASE}${path}${q}`).href;
        } catch {
          return; // not a URL any client could send
        }
        const res = await callWorker(url, init, REST_BINDINGS);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        await expectWellFormed(res, `${method} ${path}${q} ${String(b).slice(0, 80)}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.warn(`REST fuzz statuses (${RUNS} runs, seed ${SEED}): ${JSON.stringify(statuses)}`);
    // The generator reaches past authentication and validation into the handlers.
    expect(statuses[200] ?? 0).toBeGreaterThan(0);
    expect(statuses[400] ?? 0).toBeGreaterThan(0);
  });
});

const SOURCES = ['standard', 'stripe', 'whmcs'] as const;
const timestamp = fc.oneof(
  { weight: 10, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1e12, 1e12) },
);
const eventData = fc.record(
  {
    domain: fc.oneof(hostile.map(decodeSafe), fc.constantFrom('sim-soon.com', 'example.com')),
    domains: fc.array(hostile.map(decodeSafe), { maxLength: 3 }),
    years: anything,
    expectedExpiry: anything,
    account: fc.oneof(fc.constantFrom('dynadot', 'logicboxes', 'alibaba', 'mrdomain'), anything),
    reference: anything,
  },
  { requiredKeys: [] },
);
const eventType = fc.oneof(
  fc.constantFrom(
    'domain.renew',
    'domain.info',
    'domain.check',
    'invoice.paid',
    'checkout.session.completed',
    '',
  ),
  fc.string({ maxLength: 12 }),
);
/** Mostly well-shaped events (so signed ones reach the handlers), some with any field missing. */
const webhookEvent = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      id: fc.uuid(),
      type: eventType,
      timestamp: fc
        .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      data: eventData,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        id: fc.string({ maxLength: 10 }),
        type: eventType,
        timestamp: anything,
        data: fc.oneof(eventData, anything),
      },
      { requiredKeys: [] },
    ),
  },
);

describe('billing webhook fuzz', () => {
  it(`${RUNS} generated deliveries: no 500, every error a problem+json`, { timeout: TIMEOUT }, async () => {
    const statuses: Record<number, number> = {};
    const tick = progress('webhook');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...SOURCES) }, { weight: 1, arbitrary: hostile }),
        fc.oneof(
          { weight: 3, arbitrary: webhookEvent.map((e) => JSON.stringify(e)) },
          { weight: 1, arbitrary: body.map((b) => b ?? '') },
        ),
        fc.constantFrom('valid', 'valid', 'valid', 'wrong-secret', 'garbage', 'missing', 'tampered'),
        timestamp,
        fc.string({ maxLength: 40 }),
        async (source, text, signing, skew, junk) => {
          tick();
          const now = Math.floor(Date.now() / 1000) + skew;
          let headers: Record<string, string>;
          const sourceKey = SOURCES.includes(source as never)
            ? (source as (typeof SOURCES)[number])
            : 'standard';
          if (sourceKey === 'stripe') {
            const signature =
              signing === 'valid'
                ? await stripeSignature(text, STRIPE_SECRET, now)
                : signing === 'wrong-secret'
                  ? await stripeSignature(text, `${STRIPE_SECRET}x`, now)
                  : signing === 'garbage'
                    ? junk
                    : `t=${now},v1=${'0'.repeat(64)}`;
            headers = { 'content-type': 'application/json', 'stripe-signature': signature };
          } else {
            const secret = sourceKey === 'whmcs' ? WHMCS_SECRET : STANDARD_SECRETS[0]!;
            const d = standardDelivery(text, {
              secret: signing === 'wrong-secret' ? 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' : secret,
              timestamp: now,
            });
            headers = { ...d.headers };
            if (signing === 'garbage') headers['webhook-signature'] = junk;
            if (signing === 'tampered') headers['webhook-signature'] = `v1,${btoa('x'.repeat(32))}`;
          }
          if (signing === 'missing') {
            delete headers['webhook-signature'];
            delete headers['stripe-signature'];
          }
          let url: string;
          try {
            url = new URL(`${BASE}/webhooks/billing/${source}`).href;
          } catch {
            return;
          }
          const res = await callWorker(url, { method: 'POST', headers, body: text });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          await expectWellFormed(res, `${source} ${signing} skew=${skew} ${text.slice(0, 80)}`);
          if (signing !== 'valid' && res.status < 400) {
            throw new Error(`an unverified ${signing} delivery was accepted: ${res.status}`);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.warn(`webhook fuzz statuses (${RUNS} runs, seed ${SEED}): ${JSON.stringify(statuses)}`);
    // Some signed deliveries got past verification and validation into the handlers.
    expect((statuses[200] ?? 0) + (statuses[202] ?? 0)).toBeGreaterThan(0);
  });
});

/** Stripe's documented scheme, for a fuzzed body. */
async function stripeSignature(body: string, secret: string, t: number): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const USERS = [1001, 1002, 4242, 0, -1];
const COMMANDS = [
  '/start',
  '/help',
  '/check',
  '/info',
  '/expiring',
  '/services',
  '/balance',
  '/price',
  '/renew',
  '/renewals',
  '/subscribe',
  '/unsubscribe',
  '/x',
  '/renew@registrar_gateway_bot',
  '',
];
const commandText = fc
  .tuple(
    fc.constantFrom(...COMMANDS),
    fc.array(fc.oneof(hostile.map(decodeSafe), fc.integer().map(String), fc.string({ maxLength: 10 })), {
      maxLength: 4,
    }),
  )
  .map(([c, args]) => [c, ...args].join(' '));

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });

let updateId = 9_000_000;
const structuredUpdate = fc.oneof(
  fc
    .tuple(fc.constantFrom(...USERS), commandText, fc.constantFrom('en', 'zh-hans', 'xx', undefined))
    .map(([id, text, lang]) => {
      const command = /^\/\S+/.exec(text)?.[0];
      return {
        update_id: ++updateId,
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: { id, type: 'private' },
          from: { id, is_bot: false, first_name: 'F', ...(lang ? { language_code: lang } : {}) },
          text,
          ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
        },
      };
    }),
  fc
    .tuple(
      fc.constantFrom(...USERS),
      fc.oneof(
        hex24.map((h) => `renew:ok:${h}`),
        hex24.map((h) => `renew:no:${h}`),
        fc.string({ maxLength: 64 }),
      ),
    )
    .map(([id, data]) => ({
      update_id: ++updateId,
      callback_query: {
        id: String(updateId),
        from: { id, is_bot: false, first_name: 'F' },
        chat_instance: '1',
        data,
        message: { message_id: 1, date: 0, chat: { id, type: 'private' }, text: 'x' },
      },
    })),
);

describe('Telegram bot fuzz', () => {
  it(`${RUNS} generated updates: Telegram always gets 200, the bot only sends sentences`, {
    timeout: TIMEOUT,
  }, async () => {
    const statuses: Record<number, number> = {};
    await clearTelegramCalls();
    const tick = progress('bot');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: structuredUpdate.map((u) => JSON.stringify(u)) },
          { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
          { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
          // JSON that is no Update at all (`null` was a 500 before the route checked it).
          { weight: 1, arbitrary: fc.constantFrom('null', '[]', '0', '"update"', '{}', '{"update_id":"1"}') },
        ),
        fc.constantFrom('right', 'right', 'right', 'wrong', 'missing'),
        async (text, secret) => {
          tick();
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (secret === 'right') headers['x-telegram-bot-api-secret-token'] = env.TELEGRAM_WEBHOOK_SECRET;
          if (secret === 'wrong') headers['x-telegram-bot-api-secret-token'] = 'not-the-secret';
          const res = await callWorker(`${BASE}/telegram/webhook`, { method: 'POST', headers, body: text });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const reply = await res.text();
          expect(res.status, `${secret} ${text.slice(0, 200)} → ${reply.slice(0, 200)}`).not.toBe(500);
          if (secret !== 'right') expect(res.status).toBe(401);
          if (res.status >= 400) {
            expect(res.headers.get('content-type'), reply).toBe('application/problem+json');
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const isUpdate =
            !!parsed &&
            typeof parsed === 'object' &&
            typeof (parsed as { update_id?: unknown }).update_id === 'number';
          if (secret === 'right' && isUpdate)
            expect(res.status, `${text.slice(0, 200)} → ${reply}`).toBe(200);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    const sent = (await telegramCalls()).filter((c) =>
      ['sendMessage', 'editMessageText', 'answerCallbackQuery'].includes(c.method),
    );
    for (const call of sent) {
      const text = call.payload.text;
      if (call.method === 'answerCallbackQuery' && text === undefined) continue;
      expect(typeof text, JSON.stringify(call.payload)).toBe('string');
      expect(String(text).trim().length, JSON.stringify(call.payload)).toBeGreaterThan(0);
      expect(String(text)).not.toMatch(/undefined|\[object Object\]|NaN|TypeError|at .*\.ts:\d+/);
    }
    console.warn(
      `bot fuzz statuses (${RUNS} runs, seed ${SEED}): ${JSON.stringify(statuses)}; ${sent.length} messages checked`,
    );
    expect(sent.length).toBeGreaterThan(0);
  });
});
