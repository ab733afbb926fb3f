/**
 * 35.com hosting and mail through the whole path: the provider (built as the worker builds it,
 * with the real fetch) → an in-process bridge → the simulator, over real sockets. What reached
 * 35.com is counted at the simulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimState } from '../../../sim/com35/logic';
import { type RunningCom35Simulator, startCom35Simulator } from '../../../sim/com35/start';
import { addYears } from '../../core/dates';
import { silentLogger } from '../../core/log';
import { POINTS_CURRENCY, type ServiceRef } from '../../core/model';
import { type RunningBridge, startBridge } from '../../tcp-bridge/server';
import { com35Of, failure } from '../../tcp-bridge/test-harness';
import { com35 } from './provider';

const SECRET = 'services-test-secret-0123456789';
const SERVICES =
  'hosting:simzq1 hosting:simct1 hosting:simcap1 mail:sim-mail.com mail:sim-exmail.com hosting:gone1';
let sim: RunningCom35Simulator;
let bridge: RunningBridge;

beforeAll(async () => {
  sim = await startCom35Simulator();
  bridge = await startBridge({
    accounts: { com35: com35Of(sim) },
    secret: SECRET,
    logger: silentLogger,
    poolSize: 1,
  });
});
afterAll(async () => {
  await bridge.close();
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
});

function provider(vars: Record<string, string> = {}) {
  const config = com35.parseConfig({
    BRIDGE_URL: bridge.url,
    BRIDGE_SECRET: SECRET,
    COM35_SERVICES: SERVICES,
    ...vars,
  });
  return com35.create('com35', config, { fetch: globalThis.fetch, logger: silentLogger });
}

const control = (name: string, body: unknown) =>
  fetch(`${sim.controlUrl}/__sim/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const state = () => fetch(`${sim.controlUrl}/__sim/state`).then((r) => r.json()) as Promise<SimState>;
const expiryOf = async (name: string) =>
  `${(await state()).services.find((s) => s.name === name)!.expiredate}T00:00:00.000Z`;

const host = (id: string): ServiceRef => ({ kind: 'hosting', id });
const mail = (id: string): ServiceRef => ({ kind: 'mail', id });

describe('com35 services: list and read', () => {
  it('declares hosting and mail, and lists the declared services that exist, each under its own flag', async () => {
    const p = provider();
    expect(p.serviceKinds).toEqual(['hosting', 'mail']);
    const listed = [];
    for await (const s of p.listServices({})) listed.push(s);
    expect(listed.map((s) => `${s.kind}:${s.id}:${s.ref.flag}`)).toEqual([
      'hosting:simzq1:1002',
      'hosting:simct1:1001',
      'hosting:simcap1:1002',
      'mail:sim-mail.com:1001',
      'mail:sim-exmail.com:1002',
    ]);
  });

  it('reads a host: expiry at UTC midnight from m/d/Y, status, product naming flag and typeID', async () => {
    const s = await provider().getService(host('SimZQ1'), {});
    expect(s).toMatchObject({
      kind: 'hosting',
      id: 'simzq1',
      name: 'simzq1',
      expiresAt: await expiryOf('simzq1'),
      status: 'active',
      rawStatus: 'isrunning=1',
      product: '智强 host (flag 1002, typeID 1011)',
      ref: { flag: '1002', typeID: '1011' },
    });
    const traditional = await provider().getService(host('simct1'), {});
    expect(traditional.product).toBe('traditional host (flag 1001)');
  });

  it('answers not_found for a service no flag knows, and stops a listing on any other failure', async () => {
    const e = await failure(provider().getService(mail('nowhere.example'), {}));
    expect(e.kind).toBe('not_found');
    await control('faults', { fault: { kind: 'garbage' }, match: 'GetInfo:GetMailInfo', times: 1 });
    const listing = (async () => {
      for await (const _ of provider().listServices({})) {
      }
    })();
    expect((await failure(listing)).kind).not.toBe('not_found');
  });
});

describe('com35 services: renew and quote', () => {
  it('renews a host once: one RenewVhost at 35.com, the new expiry, and the charge in CNY', async () => {
    const expected = await expiryOf('simzq1');
    const r = await provider().renewService(
      host('simzq1'),
      { years: 1, expectedExpiry: expected },
      { idempotencyKey: 'svc-renew-1' },
    );
    expect(r).toMatchObject({
      outcome: 'confirmed',
      newExpiry: addYears(expected, 1),
      charged: { amount: '138', currency: 'CNY' },
      ref: { flag: '1002' },
    });
    const after = await state();
    expect(after.commands.RenewVhost).toBe(1);
    expect(after.serviceRenewals).toHaveLength(1);
    expect(await expiryOf('simzq1')).toBe(addYears(expected, 1));
  });

  it('quotes with GetPrice=1 as a query: the price, nothing renewed, no spending cltrid', async () => {
    const p = provider();
    const expected = await expiryOf('simzq1');
    const price = await p.quoteServiceRenewal(host('simzq1'), { years: 2, expectedExpiry: expected }, {});
    expect(price).toEqual({ amount: '276', currency: 'CNY' });
    const points = await p.quoteServiceRenewal(
      mail('sim-exmail.com'),
      { years: 1, expectedExpiry: await expiryOf('sim-exmail.com') },
      {},
    );
    expect(points).toEqual({ amount: '1100', currency: POINTS_CURRENCY });
    // The same idempotency key twice: a query carries no cltrid, so the bridge does not refuse it.
    const opts = { idempotencyKey: 'svc-quote' };
    await p.quoteServiceRenewal(host('simzq1'), { years: 1, expectedExpiry: expected }, opts);
    await p.quoteServiceRenewal(host('simzq1'), { years: 1, expectedExpiry: expected }, opts);
    const after = await state();
    expect(after.serviceRenewals).toEqual([]);
    expect(after.commands.RenewVhost).toBeUndefined();
    expect(after.commands['RenewVhost:GetPrice']).toBe(3);
  });

  it('refuses a renewal past the ten-year ceiling with a message that says so, quote and renewal alike', async () => {
    const p = provider();
    const req = { years: 2, expectedExpiry: await expiryOf('simcap1') };
    const quoted = await failure(p.quoteServiceRenewal(host('simcap1'), req, {}));
    expect(quoted.kind).toBe('invalid_request');
    expect(quoted.message).toMatch(/^35\.com refused: the expiry would pass the ten-year limit/);
    const renewed = await failure(p.renewService(host('simcap1'), req, { idempotencyKey: 'svc-ceiling' }));
    expect(renewed).toMatchObject({ kind: 'invalid_request', upstreamCode: '2004' });
    expect(renewed.message).toContain('ten-year limit');
    expect((await state()).serviceRenewals).toEqual([]);
  });

  it('sends a stale expected expiry as currentexpiredate, which the simulator refuses: a conflict, nothing renewed', async () => {
    const current = await expiryOf('simzq1');
    const stale = addYears(current, -1);
    const e = await failure(
      provider().renewService(
        host('simzq1'),
        { years: 1, expectedExpiry: stale },
        { idempotencyKey: 'svc-stale' },
      ),
    );
    expect(e).toMatchObject({ kind: 'conflict', upstreamCode: '2306' });
    expect(e.message).toContain(`expires ${current.slice(0, 10)}, not ${stale.slice(0, 10)}`);
    const after = await state();
    expect(after.commands.RenewVhost).toBe(1);
    expect(after.serviceRenewals).toEqual([]);
  });

  it('pays normal mail in money, or in points when MAIL_PAY_WITH_POINTS=true; exclusive mail always in points', async () => {
    const money = await provider().renewService(
      mail('sim-mail.com'),
      { years: 1, expectedExpiry: await expiryOf('sim-mail.com') },
      { idempotencyKey: 'svc-mail-money' },
    );
    expect(money.charged).toEqual({ amount: '220', currency: 'CNY' });
    const points = await provider({ COM35_MAIL_PAY_WITH_POINTS: 'true' }).renewService(
      mail('sim-mail.com'),
      { years: 1, expectedExpiry: await expiryOf('sim-mail.com') },
      { idempotencyKey: 'svc-mail-points' },
    );
    expect(points.charged).toEqual({ amount: '1100', currency: POINTS_CURRENCY });
    const exclusive = await provider().renewService(
      mail('sim-exmail.com'),
      { years: 1, expectedExpiry: await expiryOf('sim-exmail.com') },
      { idempotencyKey: 'svc-exmail' },
    );
    expect(exclusive.charged).toEqual({ amount: '1100', currency: POINTS_CURRENCY });
    await control('points', { points: 10 });
    const short = await failure(
      provider().renewService(
        mail('sim-exmail.com'),
        { years: 1, expectedExpiry: await expiryOf('sim-exmail.com') },
        { idempotencyKey: 'svc-exmail-2' },
      ),
    );
    expect(short.kind).toBe('insufficient_funds');
  });

  it('refuses a package sub-product as a conflict naming the package', async () => {
    await control('services', {
      category: 'vhost',
      name: 'simpkg2',
      flag: '1002',
      expiredate: '2030-01-01',
      packageChild: true,
    });
    const e = await failure(
      provider().renewService(host('simpkg2'), { years: 1, expectedExpiry: '2030-01-01T00:00:00.000Z' }, {}),
    );
    expect(e).toMatchObject({ kind: 'conflict', upstreamCode: '2305' });
    expect(e.message).toContain('package');
  });

  it('settles a renewal whose reply was lost after 35.com acted by re-reading it, and never sends it again', async () => {
    const expected = await expiryOf('simzq1');
    await control('faults', { fault: { kind: 'drop_after' }, match: 'RenewVhost', times: 1 });
    const p = provider();
    const req = { years: 1, expectedExpiry: expected };
    const r = await p.renewService(host('simzq1'), req, { idempotencyKey: 'svc-lost' });
    expect(r).toMatchObject({
      outcome: 'confirmed',
      newExpiry: addYears(expected, 1),
      ref: { reconciled: 'true' },
    });
    // The same renewal again (a retried job): the bridge refuses its cltrid, the re-read confirms.
    const again = await p.renewService(host('simzq1'), req, { idempotencyKey: 'svc-lost' });
    expect(again.outcome).toBe('confirmed');
    const after = await state();
    expect(after.commands.RenewVhost).toBe(1);
    expect(after.serviceRenewals).toHaveLength(1);
  });

  it('refuses years outside 1-10 before any call', async () => {
    const e = await failure(
      provider().renewService(host('simzq1'), { years: 11, expectedExpiry: await expiryOf('simzq1') }, {}),
    );
    expect(e.kind).toBe('invalid_request');
    expect((await state()).commands.RenewVhost).toBeUndefined();
  });
});
