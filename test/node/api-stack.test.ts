/**
 * The REST API from the outside, against the running local stack (simulators + `wrangler dev`):
 *  - conformance: real responses of every route, errors included, validated against the schemas of
 *    `/openapi.json` with a JSON Schema 2020-12 validator (ajv), every route of this API exercised;
 *  - a typed client generated from `/openapi.json` (openapi-typescript → openapi-fetch) calling it;
 *  - the `/docs` page rendered in headless Chromium (Debian's `chromium`, driven by playwright-core),
 *    offline: every request it makes stays on the gateway; a screenshot lands in test/artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import type { paths } from './generated/api';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const GENERATED_TYPES = join(HERE, 'generated', 'api.d.ts');
const API_DOC = join(REPO, 'docs', 'api.md');
const SCOPE_TABLE = /(<!-- route-scopes:start -->\n)([\s\S]*?)(\n<!-- route-scopes:end -->)/;

interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, { content?: Record<string, unknown> }>;
        security?: Array<Record<string, string[]>>;
      }
    >
  >;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** The routes of the REST API issue (plus /health), each exercised by the conformance test. */
const API_ROUTES = [
  'get /health',
  'get /v1/health',
  'get /v1/accounts',
  'get /v1/accounts/{account}/balance',
  'get /v1/availability',
  'post /v1/availability',
  'get /v1/domains',
  'get /v1/domains/{domain}',
  'put /v1/domains/{domain}',
  'put /v1/domains/{domain}/nameservers',
  'put /v1/domains/{domain}/lock',
  'put /v1/domains/{domain}/auto-renew',
  'get /v1/prices',
  'post /v1/sync',
  'post /v1/api-keys',
  'get /v1/api-keys',
  'delete /v1/api-keys/{id}',
];

let local: LocalStack;
let doc: OpenApiDoc;

beforeAll(async () => {
  local = await startLocalStack();
  doc = (await (await fetch(`${local.url}/openapi.json`)).json()) as OpenApiDoc;
}, 180_000);

afterAll(async () => {
  await local?.close();
});

function call(
  path: string,
  init: {
    method?: string;
    key?: string | null;
    body?: unknown;
    accept?: string;
    text?: [string, string];
  } = {},
) {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? local.adminApiKey : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.accept) headers.accept = init.accept;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // `text`: a body sent as-is under its own content type.
  if (init.text) headers['content-type'] = init.text[0];
  return fetch(`${local.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.text ? init.text[1] : init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('OpenAPI conformance of real responses', () => {
  it('documents every route with a bearer scheme, and every response of every route matches its schema', {
    timeout: 120_000,
  }, async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const DOC_ID = 'https://gateway.test/openapi.json';
    ajv.addSchema({ ...doc, $id: DOC_ID });
    const pointer = (...parts: string[]) =>
      parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

    const exercised = new Set<string>();
    const statuses: string[] = [];
    /** Validates one real response against the document: its status and body must be declared. */
    const conform = async (template: string, method: string, res: Response) => {
      const op = doc.paths[template]?.[method];
      expect(op, `${method} ${template} is documented`).toBeDefined();
      const declared = op!.responses[String(res.status)];
      expect(declared, `${method} ${template} declares status ${res.status}`).toBeDefined();
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const text = await res.text();
      expect(declared!.content?.[type], `${method} ${template} ${res.status} declares ${type}`).toBeDefined();
      const validate = ajv.getSchema(
        `${DOC_ID}#/${pointer('paths', template, method, 'responses', String(res.status), 'content', type, 'schema')}`,
      );
      expect(validate).toBeDefined();
      const bodies = type === 'application/x-ndjson' ? text.trim().split('\n').filter(Boolean) : [text];
      expect(bodies.length).toBeGreaterThan(0);
      for (const body of bodies) {
        const ok = validate!(JSON.parse(body));
        expect(
          ok,
          `${method} ${template} ${res.status}: ${ajv.errorsText(validate!.errors)}\n${body.slice(0, 500)}`,
        ).toBe(true);
      }
      exercised.add(`${method} ${template}`);
      statuses.push(`${method} ${template} ${res.status}`);
      return text;
    };

    // Health and accounts.
    await conform('/health', 'get', await call('/health', { key: null }));
    await conform('/health', 'get', await call('/health?deep=1'));
    await conform('/health', 'get', await call('/health?deep=1', { key: null }));
    await conform('/v1/health', 'get', await call('/v1/health'));
    await conform('/v1/health', 'get', await call('/v1/health', { key: null }));
    const accountsText = await conform('/v1/accounts', 'get', await call('/v1/accounts'));
    await conform('/v1/accounts', 'get', await call('/v1/accounts', { key: null }));
    await conform('/v1/accounts', 'get', await call('/v1/accounts', { key: 'rgw_wrong' }));
    const accounts = (JSON.parse(accountsText) as { accounts: { key: string; capabilities: string[] }[] })
      .accounts;
    const withCap = (cap: string) => accounts.find((a) => a.capabilities.includes(cap))?.key;
    await conform(
      '/v1/accounts/{account}/balance',
      'get',
      await call(`/v1/accounts/${withCap('getBalance') ?? 'no-such-account'}/balance`),
    );
    await conform(
      '/v1/accounts/{account}/balance',
      'get',
      await call('/v1/accounts/no-such-account/balance'),
    );

    // Availability, JSON and NDJSON, good and bad names.
    await conform(
      '/v1/availability',
      'get',
      await call('/v1/availability?domain=gateway-test-free-name.com&domain=bad_name.com'),
    );
    await conform(
      '/v1/availability',
      'get',
      await call('/v1/availability?domain=gateway-test-free-name.com&domain=b..com', {
        accept: 'application/x-ndjson',
      }),
    );
    await conform('/v1/availability', 'get', await call('/v1/availability'));
    await conform(
      '/v1/availability',
      'post',
      await call('/v1/availability', { method: 'POST', body: ['a-free-name.net'] }),
    );
    await conform(
      '/v1/availability',
      'post',
      await call('/v1/availability', { method: 'POST', body: { domains: 'x' } }),
    );
    // A TLD no configured registrar sells: unknown (`available: null`), documented as such.
    await conform(
      '/v1/availability',
      'get',
      await call('/v1/availability?domain=nobody-sells-this.dev&account=dynadot'),
    );
    await conform(
      '/v1/availability',
      'post',
      await call('/v1/availability', { method: 'POST', text: ['text/plain', 'example.com'] }),
    );

    // Inventory: sync, list, one domain, import, settings.
    await conform('/v1/sync', 'post', await call('/v1/sync', { method: 'POST' }));
    const listText = await conform('/v1/domains', 'get', await call('/v1/domains?limit=2'));
    await conform('/v1/domains', 'get', await call('/v1/domains?cursor=%25%25'));
    const held = (JSON.parse(listText) as { items: { domain: string; account: string }[] }).items[0];
    await conform(
      '/v1/domains/{domain}',
      'get',
      await call(`/v1/domains/${held?.domain ?? 'nobody-holds.com'}`),
    );
    await conform('/v1/domains/{domain}', 'get', await call('/v1/domains/nobody-holds-this-one.com'));
    await conform('/v1/domains/{domain}', 'get', await call('/v1/domains/bad_name.com'));
    if (held) {
      await conform(
        '/v1/domains/{domain}',
        'put',
        await call(`/v1/domains/${held.domain}`, { method: 'PUT', body: { account: held.account } }),
      );
    }
    await conform(
      '/v1/domains/{domain}',
      'put',
      await call('/v1/domains/nobody-holds-this-one.com', {
        method: 'PUT',
        body: { account: 'no-such-account' },
      }),
    );
    const domain = held?.domain ?? 'nobody-holds.com';
    const query = held ? `?account=${held.account}` : '';
    for (const [route, body] of [
      ['nameservers', { nameservers: ['ns1.example.net', 'ns2.example.net'] }],
      ['lock', { locked: true }],
      ['auto-renew', { enabled: false }],
    ] as const) {
      await conform(
        `/v1/domains/{domain}/${route}`,
        'put',
        await call(`/v1/domains/${domain}/${route}${query}`, { method: 'PUT', body }),
      );
    }
    await conform(
      '/v1/domains/{domain}/lock',
      'put',
      await call('/v1/domains/x.com/lock', { method: 'PUT', body: {} }),
    );

    // Prices.
    await conform('/v1/prices', 'get', await call('/v1/prices?tld=com&operation=renew&years=1'));
    await conform('/v1/prices', 'get', await call('/v1/prices?tld=com&years=11'));

    // API keys: create, scopes (403), list, rate limit (429), revoke, 404.
    const createdText = await conform(
      '/v1/api-keys',
      'post',
      await call('/v1/api-keys', {
        method: 'POST',
        body: { name: 'conformance', scopes: ['read'], rateLimitPerMinute: 2 },
      }),
    );
    const created = JSON.parse(createdText) as { id: string; key: string };
    await conform('/v1/api-keys', 'get', await call('/v1/api-keys'));
    await conform('/v1/api-keys', 'get', await call('/v1/api-keys', { key: created.key }));
    await conform('/v1/domains', 'get', await call('/v1/domains', { key: created.key }));
    await conform('/v1/domains', 'get', await call('/v1/domains', { key: created.key }));
    const limited = await call('/v1/domains', { key: created.key });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    await conform('/v1/domains', 'get', limited);
    await conform(
      '/v1/api-keys/{id}',
      'delete',
      await call(`/v1/api-keys/${created.id}`, { method: 'DELETE' }),
    );
    await conform(
      '/v1/api-keys/{id}',
      'delete',
      await call('/v1/api-keys/00000000-0000-4000-8000-000000000000', { method: 'DELETE' }),
    );

    for (const s of ['401', '403', '404', '429', '400', '415']) {
      expect(
        statuses.some((line) => line.endsWith(` ${s}`)),
        `some route answered ${s}`,
      ).toBe(true);
    }
    // Every route of the REST API issue is documented and was exercised above; routes other features
    // add to the same document (renewals, webhooks…) are validated by their own tests.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    expect(documented).toEqual(expect.arrayContaining(API_ROUTES));
    expect(API_ROUTES.filter((r) => !exercised.has(r))).toEqual([]);
    const others = documented.filter((r) => !exercised.has(r));
    if (others.length) console.warn(`documented routes not exercised by this test: ${others.join(', ')}`);
  });
});

describe('typed client generated from /openapi.json', () => {
  it('is up to date with the served document', { timeout: 60_000 }, async () => {
    const raw = `// Generated from /openapi.json by test/node/api-stack.test.ts (UPDATE_API_TYPES=1 to refresh).\n${astToString(await openapiTS(doc as never))}`;
    // The committed file is formatted by biome like every other file: compare formatted to formatted.
    const generated = execFileSync(
      join(REPO, 'node_modules', '.bin', 'biome'),
      ['format', `--stdin-file-path=${GENERATED_TYPES}`],
      { input: raw, encoding: 'utf8', cwd: REPO },
    );
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(GENERATED_TYPES, generated);
    expect(
      readFileSync(GENERATED_TYPES, 'utf8'),
      'test/node/generated/api.d.ts is stale: rerun this test with UPDATE_API_TYPES=1',
    ).toBe(generated);
  });

  it('calls the running stack with typed requests and responses', { timeout: 60_000 }, async () => {
    const client = createClient<paths>({
      baseUrl: local.url,
      headers: { authorization: `Bearer ${local.adminApiKey}` },
    });
    const created = await client.POST('/v1/api-keys', { body: { name: 'typed-client', scopes: ['read'] } });
    expect(created.response.status).toBe(201);
    const key = created.data!.key;
    expect(key).toMatch(/^rgw_/);

    const reader = createClient<paths>({ baseUrl: local.url, headers: { authorization: `Bearer ${key}` } });
    const accounts = await reader.GET('/v1/accounts', { params: { query: { health: 'false' } } });
    expect(accounts.error).toBeUndefined();
    expect(Array.isArray(accounts.data!.accounts)).toBe(true);

    const page = await reader.GET('/v1/domains', { params: { query: { limit: 5 } } });
    expect(page.response.status).toBe(200);
    expect(page.data!.items.length).toBeLessThanOrEqual(5);

    const bad = await reader.GET('/v1/prices', { params: { query: { tld: 'com', years: 11 } } });
    expect(bad.response.status).toBe(400);
    expect(bad.error!.errors?.[0]?.field).toBe('years');

    const forbidden = await reader.POST('/v1/sync', {});
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.error!.kind).toBe('permission');

    const check = await reader.POST('/v1/availability', { body: ['bad_name.com'] });
    expect(check.data).toMatchObject({
      results: [{ domain: 'bad_name.com', available: null, reason: 'invalid_name' }],
    });
  });
});

const CHROMIUM = findChromium('the /docs browser test');

/**
 * docs/api.md's table of scopes, as the served document declares them (every operation whose
 * `security` names the bearer scheme, in the document's order).
 */
function routeScopesTable(): string {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => {
      const scopes = op.security?.find((s) => 'bearerAuth' in s)?.bearerAuth;
      if (!scopes) return [];
      const open = op.security?.some((s) => Object.keys(s).length === 0);
      const scope = scopes.map((s) => `\`${s}\``).join(', ');
      return [[`\`${method.toUpperCase()} ${path}\``, open ? `${scope} (some requests need no key)` : scope]];
    }),
  );
  const table = [['route', 'scope'], ...rows];
  const width = [0, 1].map((i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(width[i]!)).join(' | ')} |`;
  return [line(table[0]!), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

describe('docs/api.md', () => {
  it('lists the scope of every route as /openapi.json declares it', () => {
    const markdown = readFileSync(API_DOC, 'utf8');
    const expected = routeScopesTable();
    if (process.env.UPDATE_API_TYPES === '1') {
      writeFileSync(
        API_DOC,
        markdown.replace(SCOPE_TABLE, (_m, start, _t, end) => `${start}${expected}${end}`),
      );
    }
    expect(
      SCOPE_TABLE.exec(readFileSync(API_DOC, 'utf8'))?.[2],
      'the scope table of docs/api.md is stale: rerun this test with UPDATE_API_TYPES=1',
    ).toBe(expected);
  });
});

describe('the /docs page in headless Chromium', () => {
  it.skipIf(!CHROMIUM)(
    'renders every route offline and saves a screenshot',
    { timeout: 90_000 },
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
        const origins = new Set<string>();
        page.on('request', (r) => {
          origins.add(new URL(r.url()).origin);
        });
        // The page runs under a Content-Security-Policy: anything it blocks is reported here.
        const violations: string[] = [];
        await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
        await page.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (e) => {
            (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(
              `${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`,
            );
          });
        });
        const response = await page.goto(`${local.url}/docs`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
        const shown = await page.$$eval('.opblock-summary-path', (els) =>
          els.map((e) => e.getAttribute('data-path') ?? e.textContent ?? ''),
        );
        const visible = shown.map((s) => s.replace(/\u200b/g, ''));
        for (const route of Object.keys(doc.paths)) expect(visible).toContain(route);
        expect([...origins]).toEqual([local.url]);
        expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

        // "Authorize" with a key: the page must not keep it in localStorage (persistAuthorization).
        await page.click('.btn.authorize');
        await page.fill('.modal-ux input[type=text], .modal-ux input[type=password]', local.adminApiKey);
        await page.click('.modal-ux button.authorize');
        await page.click('.modal-ux button.close-modal');
        const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
        expect(stored).not.toContain(local.adminApiKey);
        expect(violations).toEqual([]);
        const dir = join(REPO, 'test', 'artifacts');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, 'docs-page.png');
        await page.screenshot({ path: file, fullPage: true });
        expect(existsSync(file)).toBe(true);
      } finally {
        await browser.close();
      }
    },
  );
});
