/**
 * The renewal engine end to end in workerd: REST API → D1 intent → RENEWALS queue → executor →
 * provider → AccountGate → simulator over a real socket. Upstream effects are counted at the
 * simulators (`state().renewals`), never in our own code.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAccounts } from '../../src/core/accounts';
import { createApiKey } from '../../src/core/api-keys';
import { requestRenewal } from '../../src/core/renewals';
import { loadConfig } from '../../src/env';
import { sim, workerEnv } from './helpers';
import {
  ADMIN,
  daysFromNow,
  getRenewalApi,
  pump,
  quietLogger,
  renew,
  seedDomain,
  upstreamRenewals,
  waitForState,
} from './renewals-support';

const configured = new Set(loadConfig(workerEnv).accounts.map((a) => a.name));
const hasDynadot = configured.has('dynadot');

function engine(e = workerEnv) {
  return { env: e, accounts: createAccounts(e, loadConfig(e), quietLogger), logger: quietLogger };
}

async function clearTables() {
  await workerEnv.DB.batch([
    workerEnv.DB.prepare('DELETE FROM renewals'),
    workerEnv.DB.prepare('DELETE FROM renewal_keys'),
    workerEnv.DB.prepare('DELETE FROM audit_log'),
    workerEnv.DB.prepare('DELETE FROM domains'),
    workerEnv.DB.prepare('DELETE FROM notifications_sent'),
  ]);
}

describe('renewal API: authentication and validation', () => {
  it('refuses a renewal without an API key, and one with a read-only key', async () => {
    const anonymous = await renew('example.com', { years: 1 }, undefined, {});
    expect(anonymous.status).toBe(401);
    const { token } = await createApiKey(env.DB, 'reader', ['read']);
    const reader = await renew('example.com', { years: 1 }, undefined, { authorization: `Bearer ${token}` });
    expect(reader.status).toBe(403);
    expect(((await reader.json()) as { kind: string }).kind).toBe('permission');
  });

  it('names the bad field of a bad body', async () => {
    const res = await renew('example.com', { years: 11 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ field: string }> };
    expect(body.errors.map((e) => e.field)).toContain('years');
    const date = await renew('example.com', { years: 1, expectedExpiry: '2027-02-30', account: 'dynadot' });
    expect(date.status).toBe(400);
  });

  it('answers 404 for an unknown renewal and lists the routes in the OpenAPI document', async () => {
    const res = await SELF.fetch('http://gateway.test/v1/renewals/rnw_nope', { headers: ADMIN });
    expect(res.status).toBe(404);
    const doc = (await (await SELF.fetch('http://gateway.test/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.paths['/v1/domains/{domain}/renew']?.post?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/v1/renewals/{id}']?.get).toBeDefined();
    expect(doc.paths['/v1/renewals']?.get).toBeDefined();
  });
});

describe.skipIf(!hasDynadot)('renewals at Dynadot (no expiry guard, one request at a time)', () => {
  beforeEach(async () => {
    await sim('dynadot').reset();
    await clearTables();
  });

  it('renews once through the API and the queue, and records every transition', async () => {
    const expiresAt = daysFromNow(20);
    await seedDomain('dynadot', 'rn-happy.com', expiresAt);
    const res = await renew('rn-happy.com', { years: 1, expectedExpiry: expiresAt }, 'happy-1');
    expect(res.status).toBe(202);
    const created = (await res.json()) as {
      id: string;
      state: string;
      expectedExpiry: string;
      account: string;
    };
    expect(res.headers.get('location')).toBe(`/v1/renewals/${created.id}`);
    expect(created).toMatchObject({
      state: 'requested',
      expectedExpiry: expiresAt.slice(0, 10),
      account: 'dynadot',
    });

    expect(await waitForState(created.id)).toBe('confirmed');
    const done = await getRenewalApi(created.id);
    expect(done.newExpiry?.slice(0, 10)).toBe(
      `${Number(expiresAt.slice(0, 4)) + 1}${expiresAt.slice(4, 10)}`,
    );
    expect(await upstreamRenewals('dynadot', 'rn-happy.com')).toHaveLength(1);
    expect(done.history.map((e) => e.to)).toEqual(
      expect.arrayContaining(['requested', 'submitting', 'reconciling', 'confirmed']),
    );
    expect(done.history[0]).toMatchObject({ action: 'requested', actor: 'admin', source: 'api' });

    const list = await SELF.fetch('http://gateway.test/v1/renewals?state=confirmed&domain=rn-happy.com', {
      headers: ADMIN,
    });
    expect(((await list.json()) as { items: Array<{ id: string }> }).items.map((r) => r.id)).toEqual([
      created.id,
    ]);
  });

  it('reads the expected expiry from the registrar when it is omitted', async () => {
    const expiresAt = daysFromNow(33);
    await seedDomain('dynadot', 'rn-omitted.com', expiresAt);
    const res = await renew('rn-omitted.com', { years: 2, account: 'dynadot' });
    const body = (await res.json()) as { id: string; expectedExpiry: string };
    expect(body.expectedExpiry).toBe(expiresAt.slice(0, 10));
    expect(await waitForState(body.id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', 'rn-omitted.com')).toEqual([
      expect.objectContaining({ domain: 'rn-omitted.com', years: 2 }),
    ]);
  });

  it('answers 50 parallel requests with one key with one renewal and one upstream renewal', async () => {
    const expiresAt = daysFromNow(15);
    await seedDomain('dynadot', 'rn-fifty.com', expiresAt);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        renew('rn-fifty.com', { years: 1, expectedExpiry: expiresAt }, 'fifty'),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    const ids = new Set(
      await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    const replayed = responses.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    expect(replayed).toHaveLength(49);
    const [id] = [...ids];
    expect(await waitForState(id as string)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', 'rn-fifty.com')).toHaveLength(1);
  });

  it('maps another key, or no key, with the same intent to the same renewal; refuses a key reused with another body', async () => {
    const expiresAt = daysFromNow(25);
    await seedDomain('dynadot', 'rn-intent.com', expiresAt);
    const first = (await (
      await renew('rn-intent.com', { years: 1, expectedExpiry: expiresAt }, 'k-1')
    ).json()) as {
      id: string;
    };
    const sameIntent = (await (
      await renew('rn-intent.com', { years: 1, expectedExpiry: expiresAt.slice(0, 10) }, 'k-2')
    ).json()) as { id: string };
    const noKey = (await (await renew('rn-intent.com', { years: 1, expectedExpiry: expiresAt })).json()) as {
      id: string;
    };
    expect(sameIntent.id).toBe(first.id);
    expect(noKey.id).toBe(first.id);

    const reused = await renew('rn-intent.com', { years: 2, expectedExpiry: expiresAt }, 'k-1');
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { kind: string }).kind).toBe('conflict');
    // k-2 now answers for the same renewal, even after it is done.
    expect(await waitForState(first.id)).toBe('confirmed');
    const again = await renew('rn-intent.com', { years: 1, expectedExpiry: expiresAt.slice(0, 10) }, 'k-2');
    expect(((await again.json()) as { id: string; state: string }).state).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', 'rn-intent.com')).toHaveLength(1);
    const rows = await workerEnv.DB.prepare(
      "SELECT COUNT(*) AS n FROM renewals WHERE domain = 'rn-intent.com'",
    ).first<{
      n: number;
    }>();
    expect(rows?.n).toBe(1);
  });

  it('fails a stale expected expiry without calling renew', async () => {
    const expiresAt = daysFromNow(40);
    await seedDomain('dynadot', 'rn-stale.com', expiresAt);
    const res = await renew('rn-stale.com', { years: 1, expectedExpiry: daysFromNow(10).slice(0, 10) });
    const { id } = (await res.json()) as { id: string };
    expect(await waitForState(id)).toBe('failed');
    const r = await getRenewalApi(id);
    expect(r.reason).toMatch(/stale expected expiry/);
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.renew ?? 0).toBe(0);
    expect(await upstreamRenewals('dynadot')).toHaveLength(0);
  });

  it('fails without calling renew when the balance is below the price', async () => {
    const expiresAt = daysFromNow(12);
    await seedDomain('dynadot', 'rn-poor.com', expiresAt);
    await sim('dynadot').call('balance', { amount: '0.50' });
    const { id } = (await (await renew('rn-poor.com', { years: 1, expectedExpiry: expiresAt })).json()) as {
      id: string;
    };
    expect(await waitForState(id)).toBe('failed');
    expect((await getRenewalApi(id)).reason).toMatch(/insufficient balance/);
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.renew ?? 0).toBe(0);
  });

  it('fails without a call when the domain is not held by the named account', async () => {
    const { id } = (await (
      await renew('rn-not-mine.com', { years: 1, expectedExpiry: '2027-01-01', account: 'dynadot' })
    ).json()) as { id: string };
    expect(await waitForState(id)).toBe('failed');
    expect((await getRenewalApi(id)).reason).toMatch(/not held by account dynadot/);
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.renew ?? 0).toBe(0);
  });

  it('never overlaps calls of one account: parallel renewals of 6 domains, one request at a time', async () => {
    await sim('dynadot').call('processing', { ms: 40 });
    const names = Array.from({ length: 6 }, (_, i) => `rn-par-${i}.com`);
    const expiresAt = daysFromNow(18);
    for (const n of names) await seedDomain('dynadot', n, expiresAt);
    const ids = await Promise.all(
      names.map(
        async (n) =>
          ((await (await renew(n, { years: 1, expectedExpiry: expiresAt })).json()) as { id: string }).id,
      ),
    );
    for (const id of ids) expect(await waitForState(id, undefined, 30_000)).toBe('confirmed');
    const state = await sim('dynadot').state<{ maxConcurrent: number; concurrentRejections: number }>();
    expect(state.maxConcurrent).toBe(1);
    expect(state.concurrentRejections).toBe(0);
    expect(await upstreamRenewals('dynadot')).toHaveLength(6);
    const gate = workerEnv.ACCOUNT_GATE.get(workerEnv.ACCOUNT_GATE.idFromName('dynadot'));
    const stats = (await (await gate.fetch('http://gate.internal/stats')).json()) as { peak: number };
    expect(stats.peak).toBe(1);
  });

  describe('faults injected at the simulator: never a double renewal, never a lost intent', () => {
    // Faults that act before breaking the reply: the renewal happened exactly once.
    for (const fault of [
      { kind: 'drop_after' },
      { kind: 'truncate' },
      { kind: 'timeout_after', ms: 4_000 },
    ] as const) {
      it(`${fault.kind} after renewing → confirmed, one upstream renewal`, async () => {
        const domain = `rn-${fault.kind.replace('_', '-')}.com`;
        const expiresAt = daysFromNow(9);
        await seedDomain('dynadot', domain, expiresAt);
        await sim('dynadot').faults({ fault, match: 'renew' });
        const p = pump({ DYNADOT_TIMEOUT_MS: '1500' });
        const { renewal } = await requestRenewal(engine(p.env), {
          domain,
          years: 1,
          expectedExpiry: expiresAt,
          source: 'api',
          actor: 'test',
        });
        await p.drain();
        const row = await getRenewalApi(renewal.id);
        expect(row.state).toBe('confirmed');
        expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
      });
    }

    // Faults that answer without acting: nothing was renewed; Dynadot has no guard, so the
    // engine does not resubmit and hands the renewal to a person.
    for (const fault of [
      { kind: 'drop_before' },
      { kind: 'http_status', status: 502 },
      { kind: 'garbage' },
      { kind: 'html' },
    ] as const) {
      it(`${fault.kind} without renewing → needs_attention, zero upstream renewals, intent kept`, async () => {
        const domain = `rn-${fault.kind.replace('_', '-')}.com`;
        const expiresAt = daysFromNow(9);
        await seedDomain('dynadot', domain, expiresAt);
        await sim('dynadot').faults({ fault, match: 'renew' });
        const p = pump({ DYNADOT_TIMEOUT_MS: '1500' });
        const { renewal } = await requestRenewal(engine(p.env), {
          domain,
          years: 1,
          expectedExpiry: expiresAt,
          source: 'telegram',
          actor: 'tg:42',
        });
        await p.drain();
        const row = await getRenewalApi(renewal.id);
        expect(row.state).toBe('needs_attention');
        expect(row.reason).toMatch(/no expiry guard/);
        expect(row.history.map((e) => e.to)).toContain('outcome_unknown');
        expect(await upstreamRenewals('dynadot', domain)).toHaveLength(0);
        // Reconciliation waited between reads.
        expect(p.handled.filter((m) => m.type === 'renewal.reconcile').length).toBeGreaterThanOrEqual(2);
      });
    }
  });

  describe('a worker that died mid-submission (lease expired): reconciliation both ways', () => {
    async function orphan(domain: string, expiresAt: string): Promise<string> {
      const { renewal } = await requestRenewal(engine(pump().env), {
        domain,
        years: 1,
        expectedExpiry: expiresAt,
        source: 'system',
        actor: 'test',
      });
      // As if a worker had claimed it and sent the renew call, then vanished.
      await workerEnv.DB.prepare(
        `UPDATE renewals SET state = 'submitting', submitted_at = ?, lease_until = ?, attempts = 1, version = version + 1 WHERE id = ?`,
      )
        .bind(
          new Date(Date.now() - 600_000).toISOString(),
          new Date(Date.now() - 1000).toISOString(),
          renewal.id,
        )
        .run();
      return renewal.id;
    }

    it('the renewal had happened → confirmed without a second renew', async () => {
      const expiresAt = daysFromNow(8);
      await seedDomain('dynadot', 'rn-orphan-done.com', expiresAt);
      const id = await orphan('rn-orphan-done.com', expiresAt);
      await seedDomain('dynadot', 'rn-orphan-done.com', daysFromNow(8 + 365));
      const p = pump();
      await p.env.RENEWALS.send({ type: 'renewal.execute', id });
      await p.drain();
      expect((await getRenewalApi(id)).state).toBe('confirmed');
      expect(await upstreamRenewals('dynadot', 'rn-orphan-done.com')).toHaveLength(0);
    });

    it('the renewal had not happened → needs_attention at an unguarded registrar, no renew', async () => {
      const expiresAt = daysFromNow(8);
      await seedDomain('dynadot', 'rn-orphan-lost.com', expiresAt);
      const id = await orphan('rn-orphan-lost.com', expiresAt);
      const p = pump();
      await p.env.RENEWALS.send({ type: 'renewal.execute', id });
      await p.drain();
      const r = await getRenewalApi(id);
      expect(r.state).toBe('needs_attention');
      expect(r.history.map((e) => e.action)).toContain('worker_lost');
      const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
      expect(state.calls.renew ?? 0).toBe(0);
    });
  });
});
