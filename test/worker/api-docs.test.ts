import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../src/handlers/docs';
import { api, json } from './api-support';

describe('/docs and /openapi.json', () => {
  it('serves the Swagger UI page with its assets from this gateway, never a CDN', async () => {
    const res = await api('/docs', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('src="/docs/assets/swagger-ui-dist/swagger-ui-bundle.js"');
    expect(html).toContain('href="/docs/assets/swagger-ui-dist/swagger-ui.css"');
    expect(html).toContain("url: '/openapi.json'");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('runs the page under a CSP (self, plus its one inline script by hash) and never persists the key', async () => {
    const res = await api('/docs', { key: null });
    const html = await res.text();
    expect(html).not.toContain('persistAuthorization');
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name!, sources];
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    // Exactly the script the served page carries inline is allowed, by its hash; no 'unsafe-inline'.
    const hashes = await inlineScriptHashes(html);
    expect(hashes).toHaveLength(1);
    expect(directives.get('script-src')).toEqual(["'self'", ...hashes]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('documents every v1 route behind the bearer scheme with its problem responses', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    }>(await api('/openapi.json', { key: null }));
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    const v1 = routes.filter((r) => r.path.startsWith('/v1/'));
    // This routes; other features (renewals) add theirs to the same document.
    expect(v1.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /v1/accounts',
        'GET /v1/accounts/{account}/balance',
        'GET /v1/availability',
        'POST /v1/availability',
        'GET /v1/domains',
        'GET /v1/domains/{domain}',
        'PUT /v1/domains/{domain}',
        'PUT /v1/domains/{domain}/nameservers',
        'PUT /v1/domains/{domain}/lock',
        'PUT /v1/domains/{domain}/auto-renew',
        'GET /v1/prices',
        'POST /v1/sync',
        'POST /v1/api-keys',
        'GET /v1/api-keys',
        'DELETE /v1/api-keys/{id}',
      ]),
    );
    for (const { path, method, op } of v1) {
      // One required scope, the one route() enforces (the matrix in hardening-authz.test.ts
      // checks the enforcement against it).
      expect(op.security, `${method} ${path} declares one bearer scope`).toEqual([
        { bearerAuth: [expect.stringMatching(/^(read|renew|admin)$/)] },
      ]);
      for (const status of ['400', '401', '403', '429'])
        expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
    }
  });
});
