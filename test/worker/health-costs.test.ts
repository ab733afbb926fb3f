/**
 * Health never costs the registrars (issue 17). Upstream calls are counted at the simulators (and,
 * for 35.com, at the bridge), never in our own code:
 *  - public `/health` is liveness and configuration: 100 requests, 0 upstream calls, also while a
 *    renewal holds Dynadot's only slot;
 *  - the deep check (`/v1/health`, `/health?deep=1`) needs a `read` key, and 100 concurrent deep
 *    checks make one ping per account, then none while the answer is under a minute old;
 *  - a ping that cannot get a slot at the account gate soon answers `busy` instead of queueing.
 */
import { SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers/registry';
import { configuredAccounts, keyWith } from './api-support';
import {
  type DeepHealthReport,
  forgetHealth,
  gateStats,
  parkDynadotCall,
  sim,
  upstreamCallCounts,
  upstreamCallsSince,
  waitUntil,
} from './helpers';
import { daysFromNow, renew, seedDomain, upstreamRenewals, waitForState } from './renewals-support';

const GW = 'http://gateway.test';
const none = (accounts: string[]) => Object.fromEntries(accounts.map((a) => [a, 0]));

/** A read key of this file, with a limit high enough for the bursts below. */
let reader: string;
const asReader = () => ({ authorization: `Bearer ${reader}` });

beforeAll(async () => {
  reader = await keyWith(['read'], 100_000);
  // Every registrar in its seeded state (not, say, a MrDomain account another file banned).
  for (const account of configuredAccounts()) await sim(account).reset();
});

afterEach(async () => {
  // A call left parked at a simulator must not outlive its test.
  await sim('dynadot').release();
  await sim('dynadot').clearFaults();
});

async function deep(path = '/v1/health'): Promise<DeepHealthReport> {
  const res = await SELF.fetch(`${GW}${path}`, { headers: asReader() });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return { ...(JSON.parse(text) as Omit<DeepHealthReport, 'text'>), text };
}

describe('public /health: liveness and configuration, no upstream call', () => {
  it('100 requests make 0 calls to any registrar', async () => {
    const accounts = configuredAccounts();
    const before = await upstreamCallCounts();
    const replies = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const res = await SELF.fetch(`${GW}/health`);
        expect(res.status).toBe(200);
        return (await res.json()) as {
          status: string;
          version: string;
          accounts: Array<{ account: string; provider: string; configured: boolean }>;
        };
      }),
    );
    expect(await upstreamCallsSince(before)).toEqual(none(Object.keys(before)));
    for (const account of accounts) expect((await gateStats(account)).queued).toBe(0);

    const body = replies[0]!;
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+$/);
    // Every registrar the gateway knows, each with whether it is configured.
    expect(body.accounts.map((a) => a.provider).sort()).toEqual(Object.keys(providers).sort());
    for (const a of body.accounts) expect(a.configured).toBe(accounts.includes(a.account));
    expect(JSON.stringify(body)).not.toMatch(/reachable|latencyMs/);
  });

  it('100 requests while a renewal holds Dynadot’s only slot touch no registrar', async () => {
    const domain = `health-during-renewal-${crypto.randomUUID().slice(0, 8)}.com`;
    const expiresAt = daysFromNow(40);
    await seedDomain('dynadot', domain, expiresAt);
    await sim('dynadot').faults({ fault: { kind: 'hold' }, match: 'renew' });
    const res = await renew(domain, { years: 1, expectedExpiry: expiresAt, account: 'dynadot' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitUntil(async () => (await sim('dynadot').held()) === 1, 'the renew call to reach Dynadot');

    const before = await upstreamCallCounts();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const r = await SELF.fetch(`${GW}/health`);
        await r.body?.cancel();
        return r.status;
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await upstreamCallsSince(before)).toEqual(none(Object.keys(before)));
    // Nothing queued behind the renewal at the gate either.
    expect(await gateStats('dynadot')).toMatchObject({ inFlight: 1, queued: 0 });

    await sim('dynadot').release();
    expect(await waitForState(id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
  });
});

describe('deep health: a read key, one ping per account per minute', () => {
  it('needs an API key with the read scope, on /v1/health and on /health?deep=1', async () => {
    for (const path of ['/v1/health', '/health?deep=1']) {
      const anonymous = await SELF.fetch(`${GW}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
      expect(await anonymous.json()).toMatchObject({ status: 401, kind: 'authentication' });
      const wrong = await SELF.fetch(`${GW}${path}`, { headers: { authorization: 'Bearer rgw_not-a-key' } });
      expect(wrong.status, path).toBe(401);
      await wrong.body?.cancel();
    }
    const bad = await SELF.fetch(`${GW}/health?deep=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors[0]?.field).toBe('deep');
  });

  it('is in /openapi.json with its security: /v1/health needs a read key, /health only with deep', async () => {
    const doc = (await (await SELF.fetch(`${GW}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { security?: unknown[]; parameters?: Array<{ name: string }> } }>;
    };
    expect(doc.paths['/v1/health']?.get?.security).toEqual([{ bearerAuth: ['read'] }]);
    expect(doc.paths['/health']?.get?.security).toEqual([{}, { bearerAuth: ['read'] }]);
    expect(doc.paths['/health']?.get?.parameters?.map((p) => p.name)).toContain('deep');
  });

  it('100 concurrent deep checks make one ping per account, and 100 more within the minute make none', async () => {
    const accounts = configuredAccounts();
    for (const account of accounts) await forgetHealth(account);
    const before = await upstreamCallCounts();
    const reports = await Promise.all(
      Array.from({ length: 100 }, (_, i) => deep(i % 2 ? '/v1/health' : '/health?deep=1')),
    );
    expect(await upstreamCallsSince(before)).toEqual(Object.fromEntries(accounts.map((a) => [a, 1])));

    // Everyone got the same answer: one ping, one checkedAt per account.
    for (const account of accounts) {
      const answers = reports.map((r) => r.accounts.find((a) => a.account === account)!);
      expect(new Set(answers.map((a) => a.checkedAt)).size, account).toBe(1);
      expect(answers[0]!.reachable, account).toBe('ok');
      expect(answers[0]!.ageSeconds).toBeLessThanOrEqual(60);
    }
    expect(reports[0]!.status).toBe('ok');

    const again = await upstreamCallCounts();
    const cached = await Promise.all(Array.from({ length: 100 }, () => deep()));
    expect(await upstreamCallsSince(again)).toEqual(none(Object.keys(again)));
    const first = reports[0]!.accounts.map((a) => a.checkedAt);
    for (const r of cached) expect(r.accounts.map((a) => a.checkedAt)).toEqual(first);
  });

  it('a ping that gets no slot soon answers busy, sends nothing, and leaves no waiter', async () => {
    const { parked } = await parkDynadotCall('dynadot');
    await forgetHealth('dynadot');
    const before = await upstreamCallCounts();
    const report = await deep();
    expect(report.accounts.find((a) => a.account === 'dynadot')).toMatchObject({ reachable: 'busy' });
    // `busy` is not a failure of the registrar.
    expect(report.status).toBe('ok');
    expect((await upstreamCallsSince(before)).dynadot).toBe(0);
    expect(await gateStats('dynadot')).toMatchObject({ inFlight: 1, queued: 0 });
    await sim('dynadot').release();
    expect(await parked).toContain('AccountInfo');
  });
});
