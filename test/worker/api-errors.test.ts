/**
 * Errors that point at the right party (issue 18): a registrar refusing the gateway's own
 * credentials is the gateway's misconfiguration (502), not the caller's key (401); a body the route
 * cannot read is 415; an unknown route is a typed problem; the 1,000-name limit reads the same on
 * both availability doors. Real worker entry, real simulators.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_AVAILABILITY_NAMES } from '../../src/core/availability';
import worker from '../../src/index';
import { ADMIN_KEY, api, BASE, json, type ProblemBody } from './api-support';
import { standardDelivery } from './webhook-client';

/** One request to the worker entry with other bindings (here: a Dynadot key the registrar refuses). */
async function callWith(bindings: object, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${ADMIN_KEY}`);
  const res = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), bindings as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A body sent as-is with its own content type (`api()` would make it JSON). */
function sendRaw(path: string, method: string, contentType: string, body: string): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': contentType },
    body,
  });
}

describe('a registrar refusing the gateway’s credentials', () => {
  it('is a 502 naming the registrar (kind authentication), not a 401 about the caller’s key', async () => {
    const wrongKey = { ...env, DYNADOT_API_KEY: 'sim-dynadot-key-that-is-not-the-one' };
    const res = await callWith(wrongKey, '/v1/accounts/dynadot/balance');
    const text = await res.text();
    expect(res.status, text).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    // Nothing asks the caller to authenticate again: their key was fine.
    expect(res.headers.get('www-authenticate')).toBeNull();
    const problem = JSON.parse(text) as ProblemBody & { provider?: string };
    expect(problem).toMatchObject({ status: 502, kind: 'authentication', provider: 'dynadot' });
    expect(problem.detail).toMatch(/^the gateway's Dynadot credentials were refused/);
    expect(problem.title).toMatch(/gateway/i);
    expect(text).not.toContain('sim-dynadot-key-that-is-not-the-one');
  });

  it('leaves the gateway’s own 401s alone: a wrong API key, a bad webhook signature', async () => {
    const noKey = await api('/v1/accounts/dynadot/balance', { key: 'rgw_not-a-key-of-this-gateway' });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(await json<ProblemBody>(noKey)).toMatchObject({ status: 401, kind: 'authentication' });

    const delivery = standardDelivery({ type: 'domain.check', data: { domain: 'a.com' } });
    const forged = await api('/webhooks/billing/standard', {
      method: 'POST',
      key: null,
      headers: { ...delivery.headers, 'webhook-signature': 'v1,AAAA' },
      body: delivery.body,
    });
    expect(forged.status).toBe(401);
    expect(await json<ProblemBody>(forged)).toMatchObject({ status: 401, kind: 'authentication' });
  });
});

describe('a body the route cannot read', () => {
  it('POST /v1/availability with text/plain is a 415 problem', async () => {
    const res = await sendRaw('/v1/availability', 'POST', 'text/plain', 'example.com');
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await json<ProblemBody & { code?: string }>(res);
    expect(problem).toMatchObject({ status: 415, kind: 'invalid_request', code: 'unsupported_media_type' });
    expect(problem.detail).toContain('text/plain');
    expect(problem.detail).toContain('application/json');
  });

  it('POST renew with form data is a 415 problem, and nothing is recorded', async () => {
    const res = await sendRaw(
      '/v1/domains/form-data-renew.com/renew',
      'POST',
      'application/x-www-form-urlencoded',
      'years=1',
    );
    expect(res.status).toBe(415);
    expect(await json<ProblemBody>(res)).toMatchObject({ status: 415 });
    const row = await env.DB.prepare('SELECT id FROM renewals WHERE domain = ?')
      .bind('form-data-renew.com')
      .first();
    expect(row).toBeNull();
  });

  it('every route that takes a JSON body documents 415 and answers it to text/plain', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    }>(await api('/openapi.json', { key: null }));
    const withBody = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody !== undefined && !template.startsWith('/webhooks/'))
        .map(([method, op]) => ({ method, template, op })),
    );
    expect(withBody.length).toBeGreaterThan(5);
    for (const { method, template, op } of withBody) {
      const what = `${method.toUpperCase()} ${template}`;
      expect(op.responses['415'], `${what} declares 415`).toBeDefined();
      const path = template
        .replace('{domain}', 'media-type-check.com')
        .replace('{account}', 'com35')
        .replace('{kind}', 'hosting')
        .replace('{id}', '00000000-0000-4000-8000-000000000000');
      const res = await sendRaw(path, method.toUpperCase(), 'text/plain', '{}');
      expect(res.status, what).toBe(415);
    }
  });
});

describe('a route that does not exist', () => {
  it('is a 404 problem with a real type, like every other problem', async () => {
    const res = await api('/v1/no-such-route');
    expect(res.status).toBe(404);
    const problem = await json<ProblemBody>(res);
    expect(problem.type).toBe('https://gateway.invalid/problems/not_found');
    expect(problem).toMatchObject({ status: 404, kind: 'not_found' });
  });
});

describe('the 1,000-name limit of /v1/availability', () => {
  const tooMany = Array.from({ length: MAX_AVAILABILITY_NAMES + 1 }, (_, i) => `limit-${i}.com`);

  it('reads the same for GET and POST (list or object): one message, the field where the names were', async () => {
    const viaGet = await api(`/v1/availability?${tooMany.map((d) => `domain=${d}`).join('&')}`);
    const viaList = await api('/v1/availability', { method: 'POST', body: tooMany });
    const viaObject = await api('/v1/availability', { method: 'POST', body: { domains: tooMany } });
    const problems = await Promise.all([viaGet, viaList, viaObject].map((r) => json<ProblemBody>(r)));
    for (const p of problems) expect(p.status).toBe(400);
    const expected = `at most ${MAX_AVAILABILITY_NAMES} names per request (got ${tooMany.length})`;
    expect(problems.map((p) => p.errors)).toEqual([
      [{ field: 'domain', reason: expected }],
      [{ field: '(body)', reason: expected }],
      [{ field: 'domains', reason: expected }],
    ]);
    expect(problems.map((p) => p.detail)).toEqual([
      `domain: ${expected}`,
      `(body): ${expected}`,
      `domains: ${expected}`,
    ]);
  });
});
