/**
 * The service door's refusals that need no registrar (issue 23): what a careless integrator sends
 * to `/v1/services/…/renew` and to the `service.renew` webhook is a clear problem naming the field,
 * and a refused request records no renewal. Real worker entry; the registrar-backed behaviour of
 * each kind is in services-com35.test.ts and services-mrdomain.test.ts.
 */
import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { api, json, type ProblemBody } from './api-support';
import { event, post, standardDelivery } from './webhook-client';

const CSR = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIIBVTCBvwIBADAWMRQwEgYDVQQDDAtleGFtcGxlLm9yZzCBnzANBgkqhkiG9w0B',
  '-----END CERTIFICATE REQUEST-----',
].join('\n');

async function renewalCount(): Promise<number> {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals').first<{ n: number }>();
  return row?.n ?? 0;
}

async function problemOf(res: Response): Promise<ProblemBody> {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return json<ProblemBody>(res);
}

describe('POST /v1/services/{account}/{kind}/{id}/renew refuses, recording nothing', () => {
  let before = 0;
  beforeEach(async () => {
    before = await renewalCount();
  });

  it('an unknown kind in the path is a 400 naming `kind`', async () => {
    const res = await api('/v1/services/com35/website/abc/renew', { method: 'POST', body: { years: 1 } });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('kind');
    expect(await renewalCount()).toBe(before);
  });

  it('a missing `years` or a misspelt field is a 400 naming it (a money path has no default)', async () => {
    for (const body of [{}, { years: 1, yeras: 2 }, { years: 11 }]) {
      const res = await api('/v1/services/com35/hosting/weipeng1/renew', { method: 'POST', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      await res.text();
    }
    expect(await renewalCount()).toBe(before);
  });

  it('an account whose registrar has no such services is a 501, not a queued renewal', async () => {
    const res = await api('/v1/services/dynadot/hosting/anything/renew', {
      method: 'POST',
      body: { years: 1 },
    });
    expect(res.status).toBe(501);
    const problem = await problemOf(res);
    expect(problem.detail).toContain('no hosting services');
    expect(await renewalCount()).toBe(before);
  });

  it('an account nobody configured is a 404', async () => {
    const res = await api('/v1/services/nobody/hosting/weipeng1/renew', {
      method: 'POST',
      body: { years: 1 },
    });
    expect(res.status).toBe(404);
    await res.text();
    expect(await renewalCount()).toBe(before);
  });

  it('a certificate without a CSR, or a CSR that is not one, is a 400 naming certificate.csr', async () => {
    for (const body of [{ years: 1 }, { years: 1, certificate: { csr: 'hello' } }]) {
      const res = await api('/v1/services/mrdomain/certificate/132442/renew', { method: 'POST', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('certificate.csr');
    }
    expect(await renewalCount()).toBe(before);
  });

  it('a CSR sent with a hosting renewal is a 400: it is only for certificates', async () => {
    const res = await api('/v1/services/mrdomain/hosting/example-test.net/renew', {
      method: 'POST',
      body: { years: 1, certificate: { csr: CSR } },
    });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('certificate');
    expect(await renewalCount()).toBe(before);
  });

  it('an id with characters no registrar uses is a 400 naming `id`', async () => {
    const res = await api(`/v1/services/com35/hosting/${encodeURIComponent('a b;c')}/renew`, {
      method: 'POST',
      body: { years: 1 },
    });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('id');
    expect(await renewalCount()).toBe(before);
  });
});

describe('GET /v1/services', () => {
  it('answers a page, and a bad filter is a 400 naming it', async () => {
    const ok = await api('/v1/services?kind=hosting&limit=5');
    expect(ok.status).toBe(200);
    expect(Array.isArray((await json<{ items: unknown[] }>(ok)).items)).toBe(true);
    const bad = await api('/v1/services?kind=website');
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).errors?.map((e) => e.field).join(' ')).toContain('kind');
  });

  it('reading a kind the account does not have is a 501', async () => {
    const res = await api('/v1/services/dynadot/mail/example.com');
    expect(res.status).toBe(501);
    await res.text();
  });
});

describe('the service.renew webhook event', () => {
  it('requires the account: a service is named with it (400 naming data.account, nothing recorded)', async () => {
    const before = await renewalCount();
    const res = await post(
      'standard',
      standardDelivery(
        event('service.renew', {
          kind: 'hosting',
          id: 'weipeng1',
          years: 1,
          reference: 'INV-svc-no-account',
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('data.account');
    expect(await renewalCount()).toBe(before);
  });

  it('refuses an unknown kind naming data.kind', async () => {
    const res = await post(
      'standard',
      standardDelivery(
        event('service.renew', {
          kind: 'website',
          id: 'x',
          account: 'com35',
          years: 1,
          reference: 'INV-svc-bad-kind',
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect((await problemOf(res)).errors?.map((e) => e.field)).toContain('data.kind');
  });
});
