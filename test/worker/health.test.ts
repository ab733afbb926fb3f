import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('GET /health in workerd', () => {
  it('reports the version and every configured account', async () => {
    const res = await SELF.fetch('http://gateway.test/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
    const body = (await res.json()) as { status: string; version: string; accounts: { account: string }[] };
    expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(body.status).toBe('ok');
    expect(Array.isArray(body.accounts)).toBe(true);
    expect(env.DB).toBeDefined();
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await SELF.fetch('http://gateway.test/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as { status: number; kind: string };
    expect(body).toMatchObject({ status: 404, kind: 'not_found' });
  });

  it('serves an OpenAPI 3.1 document that lists /health', async () => {
    const res = await SELF.fetch('http://gateway.test/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health']).toBeDefined();
  });
});
