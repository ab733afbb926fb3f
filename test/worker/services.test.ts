/**
 * Service renewals of every kind of every registrar that has them (issue 23), through the real
 * worker entry and engine, against the simulators over real sockets: the inventory lists them, a
 * live read answers, a renewal spends exactly once (counted at the simulator), a reply lost after
 * the registrar acted is reconciled by re-reading the item, and a stale expected expiry is refused
 * without a renew call. 35.com's ten-year ceiling is refused with its own error as a clear 400.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// The CSR of MrDomain's User Manual example (§8.1 CSR Decode).
import { DOCUMENT_CSR as CSR } from '../../sim/mrdomain/document-csr';
import { requestRenewal } from '../../src/core/renewals';
import { api, json } from './api-support';
import { sim } from './helpers';
import { clearRenewalTables, engine, pump, waitForState } from './renewals-support';

/** One kind of service at one registrar, as its simulator seeds and counts it. */
interface ServiceCase {
  account: string;
  kind: 'hosting' | 'mail' | 'certificate';
  /** A seeded, renewable service of this kind. */
  id: string;
  /** The simulator's name of the renew request (fault match and counter key). */
  renewCommand: string;
  /** Renew requests the simulator received, by its own state. */
  renewsReceived(): Promise<number>;
  /** What the body needs besides years (a certificate's CSR and contact). */
  extra?: Record<string, unknown>;
  /** Whether a confirmed renewal moves the expiry now (a certificate's waits for issuance). */
  movesExpiry: boolean;
  /**
   * Who settles a reply lost after the registrar acted: the engine (`outcome_unknown`, then a
   * re-read), or the provider's own client re-reading at once (35.com, as for RenewDomain).
   */
  lostReplySettledBy: 'engine' | 'provider';
  /**
   * Where a stale expected expiry is refused: at the request, by the registrar's price query
   * (35.com: 409, nothing recorded), or by the executor's pre-check (the renewal fails).
   */
  staleRefusedAt: 'request' | 'executor';
}

async function mrdomainCalls(command: string): Promise<number> {
  const state = await sim('mrdomain').state<{ calls: Record<string, number> }>();
  return state.calls[command] ?? 0;
}

async function com35Commands(command: string): Promise<number> {
  const state = await sim('com35').state<{ commands: Record<string, number> }>();
  return state.commands[command] ?? 0;
}

const CASES: ServiceCase[] = [
  {
    account: 'com35',
    kind: 'hosting',
    id: 'simzq1',
    lostReplySettledBy: 'provider',
    staleRefusedAt: 'request',
    renewCommand: 'RenewVhost',
    renewsReceived: () => com35Commands('RenewVhost'),
    movesExpiry: true,
  },
  {
    account: 'com35',
    kind: 'mail',
    id: 'sim-mail.com',
    lostReplySettledBy: 'provider',
    staleRefusedAt: 'request',
    renewCommand: 'RenewMail',
    renewsReceived: () => com35Commands('RenewMail'),
    movesExpiry: true,
  },
  {
    // An exclusive-sale mail (flag 1002): paid in points.
    account: 'com35',
    kind: 'mail',
    id: 'sim-exmail.com',
    lostReplySettledBy: 'provider',
    staleRefusedAt: 'request',
    renewCommand: 'RenewMail',
    renewsReceived: () => com35Commands('RenewMail'),
    movesExpiry: true,
  },
  {
    account: 'mrdomain',
    kind: 'hosting',
    id: 'hosting-shop.com',
    lostReplySettledBy: 'engine',
    staleRefusedAt: 'executor',
    renewCommand: 'service/renew',
    renewsReceived: () => mrdomainCalls('service/renew'),
    movesExpiry: true,
  },
  {
    account: 'mrdomain',
    kind: 'certificate',
    id: '132442',
    lostReplySettledBy: 'engine',
    staleRefusedAt: 'executor',
    renewCommand: 'ssl/renew',
    renewsReceived: () => mrdomainCalls('ssl/renew'),
    extra: { certificate: { csr: CSR, adminContactId: 'SIM-12312' } },
    movesExpiry: false,
  },
];

interface ServiceBody {
  kind: string;
  id: string;
  expiresAt?: string;
  status: string;
}

const DAY_MS = 86_400_000;

function path(c: ServiceCase): string {
  return `/v1/services/${c.account}/${c.kind}/${encodeURIComponent(c.id)}`;
}

async function readLive(c: ServiceCase): Promise<ServiceBody> {
  const res = await api(path(c));
  expect(res.status, await res.clone().text()).toBe(200);
  return json<ServiceBody>(res);
}

describe.each(CASES)('$account $kind $id', (c) => {
  beforeEach(async () => {
    await clearRenewalTables();
    await sim(c.account).reset();
  });
  afterEach(async () => {
    await sim(c.account).clearFaults();
  });

  it('is listed by the sync and read live', async () => {
    const synced = await api(`/v1/sync?account=${c.account}`, { method: 'POST' });
    expect(synced.status, await synced.clone().text()).toBe(200);
    const list = await json<{ items: ServiceBody[] }>(
      await api(`/v1/services?account=${c.account}&kind=${c.kind}`),
    );
    expect(list.items.map((s) => s.id)).toContain(c.id);
    const live = await readLive(c);
    expect(live).toMatchObject({ kind: c.kind, id: c.id });
    expect(Date.parse(live.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('renews once: one renew request at the registrar, the renewal confirmed', async () => {
    const before = await readLive(c);
    const body = { years: 1, ...c.extra };
    const first = await api(`${path(c)}/renew`, {
      method: 'POST',
      body,
      headers: { 'idempotency-key': `svc-once-${c.kind}` },
    });
    expect(first.status, await first.clone().text()).toBe(202);
    const renewal = await json<{ id: string; kind: string; item: string; domain: string }>(first);
    expect(renewal).toMatchObject({ kind: c.kind, item: c.id, domain: `${c.kind}:${c.id}` });
    // The same request again (a client retry) is the same renewal.
    const again = await api(`${path(c)}/renew`, {
      method: 'POST',
      body,
      headers: { 'idempotency-key': `svc-once-${c.kind}` },
    });
    expect((await json<{ id: string }>(again)).id).toBe(renewal.id);

    expect(await waitForState(renewal.id, undefined, 30_000)).toBe('confirmed');
    expect(await c.renewsReceived()).toBe(1);
    const after = await readLive(c);
    if (c.movesExpiry) {
      const moved = Date.parse(after.expiresAt ?? '') - Date.parse(before.expiresAt ?? '');
      expect(Math.abs(moved - 365 * DAY_MS)).toBeLessThanOrEqual(2 * DAY_MS);
    } else {
      expect(after.status).toBe('renewing');
    }
  });

  it('reconciles a reply lost after the registrar acted, without a second renew', async () => {
    await sim(c.account).faults({ fault: { kind: 'drop_after' }, match: c.renewCommand, times: 1 });
    const p = pump();
    const { renewal } = await requestRenewal(engine(p.env), {
      kind: c.kind,
      domain: c.id,
      account: c.account,
      years: 1,
      ...(c.extra?.certificate ? { certificate: c.extra.certificate as { csr: string } } : {}),
      source: 'api',
      actor: 'services-test',
    });
    await p.drain();
    const row = await api(`/v1/renewals/${renewal.id}`);
    const done = await json<{ state: string; history: { to?: string }[] }>(row);
    expect(done.state).toBe('confirmed');
    if (c.lostReplySettledBy === 'engine') expect(done.history.map((h) => h.to)).toContain('outcome_unknown');
    expect(await c.renewsReceived()).toBe(1);
  });

  it('refuses a stale expected expiry without a renew request', async () => {
    const live = await readLive(c);
    const stale = new Date(Date.parse(live.expiresAt ?? '') - 365 * DAY_MS).toISOString().slice(0, 10);
    const res = await api(`${path(c)}/renew`, {
      method: 'POST',
      body: { years: 1, expectedExpiry: stale, ...c.extra },
    });
    if (c.staleRefusedAt === 'executor') {
      expect(res.status, await res.clone().text()).toBe(202);
      const { id } = await json<{ id: string }>(res);
      expect(await waitForState(id, undefined, 30_000)).toBe('failed');
      const failed = await json<{ reason: string }>(await api(`/v1/renewals/${id}`));
      expect(failed.reason).toContain('stale expected expiry');
    } else {
      // The registrar's price query checks the expiry: refused before anything is recorded.
      expect(res.status, await res.clone().text()).toBe(409);
      expect((await json<{ items: unknown[] }>(await api('/v1/renewals'))).items).toHaveLength(0);
    }
    expect(await c.renewsReceived()).toBe(0);
  });
});

describe('a service renewal refused by the registrar', () => {
  beforeEach(async () => {
    await clearRenewalTables();
    await sim('mrdomain').reset();
  });

  it('a hosting service the registrar says is not renewable fails, and nothing is spent', async () => {
    const res = await api('/v1/services/mrdomain/hosting/legacy-site.net/renew', {
      method: 'POST',
      body: { years: 1 },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect(await waitForState(id, undefined, 30_000)).toBe('failed');
    const state = await sim('mrdomain').state<{ serviceRenewals: unknown[] }>();
    expect(state.serviceRenewals).toHaveLength(0);
  });

  it('a certificate without an admin contact (and no account default) fails before any renew request', async () => {
    const res = await api('/v1/services/mrdomain/certificate/132442/renew', {
      method: 'POST',
      body: { years: 1, certificate: { csr: CSR } },
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect(await waitForState(id, undefined, 30_000)).toBe('failed');
    const failed = await json<{ reason: string }>(await api(`/v1/renewals/${id}`));
    expect(failed.reason).toContain('adminContactId');
    expect(await mrdomainCalls('ssl/renew')).toBe(0);
  });
});

describe('35.com’s ten-year ceiling', () => {
  beforeEach(async () => {
    await clearRenewalTables();
    await sim('com35').reset();
  });

  it('a renewal past it is a clear 400 in 35.com’s words, recorded nowhere and never sent', async () => {
    // simcap1 expires in nine years less 60 days: one more year fits, two do not.
    const res = await api('/v1/services/com35/hosting/simcap1/renew', { method: 'POST', body: { years: 2 } });
    expect(res.status).toBe(400);
    const problem = await json<{ detail: string; provider?: string }>(res);
    expect(problem.detail).toMatch(/ten-year/);
    const rows = await json<{ items: unknown[] }>(await api('/v1/renewals?kind=hosting'));
    expect(rows.items).toHaveLength(0);
    expect(await com35Commands('RenewVhost')).toBe(0);
  });

  it('the year that still fits is renewed, once', async () => {
    const res = await api('/v1/services/com35/hosting/simcap1/renew', { method: 'POST', body: { years: 1 } });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect(await waitForState(id, undefined, 30_000)).toBe('confirmed');
    expect(await com35Commands('RenewVhost')).toBe(1);
  });
});

describe('a 35.com exclusive-sale mail', () => {
  beforeEach(async () => {
    await clearRenewalTables();
    await sim('com35').reset();
  });

  it('is quoted and charged in points, never as money', async () => {
    const live = await json<{ renewalPrice?: { amount: string; currency: string } }>(
      await api('/v1/services/com35/mail/sim-exmail.com'),
    );
    expect(live.renewalPrice?.currency).toBe('POINTS');
    const res = await api('/v1/services/com35/mail/sim-exmail.com/renew', {
      method: 'POST',
      body: { years: 1 },
    });
    const { id } = await json<{ id: string }>(res);
    expect(await waitForState(id, undefined, 30_000)).toBe('confirmed');
    const done = await json<{ charged?: { amount: string; currency: string } }>(
      await api(`/v1/renewals/${id}`),
    );
    expect(done.charged).toEqual({ amount: live.renewalPrice?.amount, currency: 'POINTS' });
  });
});

describe('one unfinished renewal per service, and the cooldown', () => {
  beforeEach(async () => {
    await clearRenewalTables();
    await sim('mrdomain').reset();
    await sim('com35').reset();
  });

  for (const [account, kind, id] of [
    ['mrdomain', 'hosting', 'hosting-shop.com'],
    ['com35', 'hosting', 'simzq1'],
  ] as const) {
    it(`${account} ${kind}: asked at once for 1, 2 and 3 years, one renewal is recorded and the others refused`, async () => {
      const path = `/v1/services/${account}/${kind}/${id}/renew`;
      const answers = await Promise.all(
        [1, 2, 3].map((years) =>
          api(path, {
            method: 'POST',
            body: { years },
            headers: { 'idempotency-key': `race-${account}-${years}` },
          }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([202, 409, 409]);
      const refused = await Promise.all(
        answers.filter((r) => r.status === 409).map((r) => json<{ code: string; renewalId: string }>(r)),
      );
      const accepted = await json<{ id: string }>(answers.find((r) => r.status === 202) as Response);
      for (const r of refused)
        expect(r).toMatchObject({ code: 'renewal_in_progress', renewalId: accepted.id });
      expect(await waitForState(accepted.id, undefined, 30_000)).toBe('confirmed');
      const rows = await json<{ items: unknown[] }>(await api(`/v1/renewals?kind=${kind}`));
      expect(rows.items).toHaveLength(1);
      // The cooldown: the next request without an expected expiry is refused, nothing recorded.
      const again = await api(path, { method: 'POST', body: { years: 1 } });
      expect(again.status).toBe(409);
      expect((await json<{ code: string }>(again)).code).toBe('recently_renewed');
      expect((await json<{ items: unknown[] }>(await api(`/v1/renewals?kind=${kind}`))).items).toHaveLength(
        1,
      );
    });
  }

  it('a domain and a 35.com mail service of the same name are two items', async () => {
    const mail = await api('/v1/services/com35/mail/sim-mail.com/renew', {
      method: 'POST',
      body: { years: 1 },
    });
    expect(mail.status, await mail.clone().text()).toBe(202);
    const renewal = await json<{ domain: string; kind: string; item: string }>(mail);
    expect(renewal).toMatchObject({ domain: 'mail:sim-mail.com', kind: 'mail', item: 'sim-mail.com' });
    const domains = await json<{ items: unknown[] }>(await api('/v1/renewals?domain=sim-mail.com'));
    expect(domains.items).toHaveLength(0);
  });
});
