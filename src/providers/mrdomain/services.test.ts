/**
 * MrDomain's hosting services and certificates through the provider, built as the worker builds it
 * (the real fetch), against the simulator over HTTP on 127.0.0.1. Effects are counted at the
 * simulator: its per-action `calls` and its `serviceRenewals`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMrdomainSimulator } from '../../../sim/mrdomain/start';
import { DOCUMENT_CSR } from '../../../sim/mrdomain/test-support';
import type { RunningSimulator } from '../../../sim/types';
import { addYears } from '../../core/dates';
import { silentLogger } from '../../core/log';
import type { ServiceInfo, ServiceRef } from '../../core/model';
import { failure } from '../../tcp-bridge/test-harness';
import { mrdomain } from './provider';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startMrdomainSimulator({});
});
afterAll(() => sim.close());
beforeEach(async () => {
  await control('reset');
});

async function control(name: string, body: unknown = {}) {
  const res = await fetch(`${sim.controlUrl}/__sim/${name}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await res.text());
  return res.json();
}

interface SimState {
  calls: Record<string, number>;
  serviceRenewals: Array<{ kind: string; id: string; years: number }>;
  account: { balance: string };
}
const state = async (): Promise<SimState> =>
  (await fetch(`${sim.controlUrl}/__sim/state`)).json() as Promise<SimState>;

function provider(vars: Record<string, string> = {}) {
  const config = mrdomain.parseConfig({ ...sim.env, ...vars });
  return mrdomain.create('mrdomain', config, { fetch: globalThis.fetch, logger: silentLogger });
}

async function all(list: AsyncIterable<ServiceInfo>): Promise<ServiceInfo[]> {
  const items: ServiceInfo[] = [];
  for await (const item of list) items.push(item);
  return items;
}

const HOSTING: ServiceRef = { kind: 'hosting', id: 'hosting-shop.com' };
const LEGACY: ServiceRef = { kind: 'hosting', id: 'legacy-site.net' };
const CERT: ServiceRef = { kind: 'certificate', id: '132442' };
const certificate = { csr: DOCUMENT_CSR, adminContactId: 'SIM-12312' };

describe('MrDomain services: list and read', () => {
  it('declares hosting and certificate, and lists both kinds through every page', async () => {
    const p = provider();
    expect(p.serviceKinds).toEqual(['hosting', 'certificate']);
    expect(p.capabilities.has('renewService')).toBe(true);
    expect(p.capabilities.has('quoteServiceRenewal')).toBe(false);
    // 1001 more services: two pages of 1000.
    await control(
      'services',
      Array.from({ length: 1001 }, (_, i) => ({
        name: `bulk-${String(i).padStart(4, '0')}.com`,
        productkey: 'mini',
      })),
    );
    const items = await all(p.listServices({}));
    expect(items.filter((s) => s.kind === 'hosting')).toHaveLength(1003);
    expect(items.filter((s) => s.kind === 'certificate').map((s) => s.id)).toEqual(['130839', '132442']);
    expect((await state()).calls).toMatchObject({ 'service/list': 2, 'ssl/list': 1 });
    expect(items.find((s) => s.id === HOSTING.id)).toMatchObject({
      kind: 'hosting',
      product: 'basic',
      status: 'active',
    });
    expect(items.find((s) => s.id === '130839')).toMatchObject({
      name: '*.legacy-site.net',
      renewable: false,
      product: '1',
    });
  });

  it('throws when a page fails part-way: an incomplete listing proves nothing', async () => {
    await control('faults', { fault: { kind: 'http_status', status: 503 }, match: 'ssl/list' });
    const error = await failure(all(provider().listServices({})));
    expect(error.kind).toBe('upstream_unavailable');
  });

  it('reads one hosting service and one certificate; refuses unknown ones and kinds MrDomain lacks', async () => {
    const p = provider();
    const hosting = await p.getService(HOSTING, {});
    expect(hosting).toMatchObject({
      kind: 'hosting',
      id: HOSTING.id,
      name: HOSTING.id,
      renewable: true,
      status: 'active',
    });
    expect(hosting.expiresAt).toMatch(/T00:00:00\.000Z$/);
    expect(await p.getService(LEGACY, {})).toMatchObject({ renewable: false });
    expect(await p.getService(CERT, {})).toMatchObject({
      name: 'www.hosting-shop.com',
      renewable: true,
      product: '55',
    });
    expect((await failure(p.getService({ kind: 'hosting', id: 'nope.com' }, {}))).kind).toBe('not_found');
    expect((await failure(p.getService({ kind: 'certificate', id: '999' }, {}))).kind).toBe('not_found');
    expect((await failure(p.getService({ kind: 'certificate', id: 'www.x.com' }, {}))).kind).toBe(
      'invalid_request',
    );
    expect((await failure(p.getService({ kind: 'mail', id: 'x.com' }, {}))).kind).toBe('unsupported');
  });
});

describe('MrDomain services: renew', () => {
  it('renews a hosting service once: confirmed with the new expiry and the charge; the repeat is refused unsent', async () => {
    const p = provider();
    const before = (await p.getService(HOSTING, {})).expiresAt as string;
    const result = await p.renewService(HOSTING, { years: 1, expectedExpiry: before }, {});
    expect(result).toEqual({
      domain: HOSTING.id,
      outcome: 'confirmed',
      newExpiry: addYears(before, 1),
      charged: { amount: '12.04', currency: 'EUR' },
      ref: { id: HOSTING.id },
    });
    const again = await failure(p.renewService(HOSTING, { years: 1, expectedExpiry: before }, {}));
    expect(again.kind).toBe('conflict');
    const s = await state();
    expect(s.calls['service/renew']).toBe(1);
    expect(s.serviceRenewals).toEqual([
      expect.objectContaining({ kind: 'hosting', id: HOSTING.id, years: 1 }),
    ]);
    expect((await p.getService(HOSTING, {})).expiresAt).toBe(addYears(before, 1));
  });

  it('a reply lost after MrDomain acted is outcome_unknown, sent once', async () => {
    const p = provider();
    const before = (await p.getService(HOSTING, {})).expiresAt as string;
    await control('faults', { fault: { kind: 'drop_after' }, match: 'service/renew' });
    const error = await failure(p.renewService(HOSTING, { years: 1, expectedExpiry: before }, {}));
    expect(error).toMatchObject({ kind: 'outcome_unknown', retryable: false });
    const s = await state();
    expect(s.calls['service/renew']).toBe(1);
    expect(s.serviceRenewals).toHaveLength(1);
  });

  it('a service MrDomain will not renew is a conflict (4009); too little money is insufficient_funds (1100)', async () => {
    const p = provider();
    const legacy = (await p.getService(LEGACY, {})).expiresAt as string;
    expect(await failure(p.renewService(LEGACY, { years: 1, expectedExpiry: legacy }, {}))).toMatchObject({
      kind: 'conflict',
      upstreamCode: '4009',
    });
    await control('balance', { amount: '12.03' });
    const hosting = (await p.getService(HOSTING, {})).expiresAt as string;
    expect(await failure(p.renewService(HOSTING, { years: 1, expectedExpiry: hosting }, {}))).toMatchObject({
      kind: 'insufficient_funds',
      upstreamCode: '1100',
    });
    expect((await state()).serviceRenewals).toEqual([]);
  });

  it('refuses a stale expected expiry after reading, without a renew call', async () => {
    const p = provider();
    const before = (await p.getService(HOSTING, {})).expiresAt as string;
    const error = await failure(
      p.renewService(HOSTING, { years: 1, expectedExpiry: addYears(before, -1) }, {}),
    );
    expect(error.kind).toBe('conflict');
    expect((await state()).calls['service/renew']).toBeUndefined();
  });

  it('a certificate renewal needs an admin contact: refused before any call when none is given or configured', async () => {
    const p = provider();
    const expiry = (await p.getService(CERT, {})).expiresAt as string;
    const calls = (await state()).calls;
    const error = await failure(
      p.renewService(CERT, { years: 1, expectedExpiry: expiry, certificate: { csr: DOCUMENT_CSR } }, {}),
    );
    expect(error).toMatchObject({
      kind: 'invalid_request',
      fields: [expect.objectContaining({ field: 'certificate.adminContactId' })],
    });
    const noCsr = await failure(p.renewService(CERT, { years: 1, expectedExpiry: expiry }, {}));
    expect(noCsr.fields?.[0]?.field).toBe('certificate.csr');
    expect((await state()).calls).toEqual(calls);
  });

  it('renews a certificate with the configured contact: confirmed and charged, no new expiry; it then reads renewalInProgress', async () => {
    const p = provider({ MRDOMAIN_SSL_ADMIN_CONTACT_ID: 'SIM-12312' });
    const before = (await p.getService(CERT, {})).expiresAt as string;
    const result = await p.renewService(
      CERT,
      { years: 1, expectedExpiry: before, certificate: { csr: DOCUMENT_CSR } },
      {},
    );
    expect(result).toEqual({
      domain: 'www.hosting-shop.com',
      outcome: 'confirmed',
      charged: { amount: '5.99', currency: 'EUR' },
      ref: { id: '132442' },
    });
    const pending = await p.getService(CERT, {});
    expect(pending).toMatchObject({
      status: 'renewing',
      rawStatus: 'renew',
      renewalInProgress: true,
      expiresAt: before,
    });
    // The same intent again: the read shows the renewal under way, so nothing is sent.
    expect(
      (await failure(p.renewService(CERT, { years: 1, expectedExpiry: before, certificate }, {}))).kind,
    ).toBe('conflict');
    expect((await state()).calls['ssl/renew']).toBe(1);
    await control('issue-certificates', { certificateID: 132442 });
    expect(await p.getService(CERT, {})).toMatchObject({ status: 'active', expiresAt: addYears(before, 1) });
  });

  it("a CSR MrDomain cannot read is invalid_request with the registrar's words, nothing charged", async () => {
    const p = provider();
    const expiry = (await p.getService(CERT, {})).expiresAt as string;
    const error = await failure(
      p.renewService(
        CERT,
        { years: 1, expectedExpiry: expiry, certificate: { ...certificate, csr: 'not a csr' } },
        {},
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_request', upstreamCode: '5000' });
    expect(error.message).toContain('csrData is not a PEM certificate request');
    expect((await state()).serviceRenewals).toEqual([]);
  });
});
