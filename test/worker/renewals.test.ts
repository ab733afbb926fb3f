/**
 * The renewal engine end to end in workerd: REST API → D1 intent → RENEWALS queue → executor →
 * provider → AccountGate → simulator over a real socket. Upstream effects are counted at the
 * simulators (`state().renewals`), never in our own code.
 */
import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { createApiKey } from '../../src/core/api-keys';
import { handleQueueBatch, JOB_HANDLERS } from '../../src/core/jobs';
import { requestRenewal } from '../../src/core/renewals';
import { notifier } from '../../src/index';
import { gateStats, sim, waitForAdmitted, workerEnv } from './helpers';
import {
  ADMIN,
  clearRenewalTables,
  daysFromNow,
  engine,
  getRenewalApi,
  pump,
  quietLogger,
  renew,
  seedDomain,
  upstreamRenewals,
  waitForState,
} from './renewals-support';

/** Registrars whose simulators the stack runs, with how to count renew calls and set the balance. */
const ACCOUNTS = ['dynadot', 'logicboxes', 'alibaba', 'mrdomain', 'com35'];
/** Of those, the ones whose API exposes both a balance and a price list (Alibaba: neither; 35.com: no domain prices). */
const WITH_BALANCE = ['dynadot', 'logicboxes', 'mrdomain'];

async function renewCalls(key: string): Promise<number> {
  const state = await sim(key).state<{ calls?: Record<string, number>; requests?: Record<string, number> }>();
  if (key === 'dynadot') return state.calls?.renew ?? 0;
  if (key === 'logicboxes') return state.calls?.['domains/renew'] ?? 0;
  if (key === 'mrdomain') return state.calls?.['domain/renew'] ?? 0;
  if (key === 'com35') return (state as { commands?: Record<string, number> }).commands?.RenewDomain ?? 0;
  return state.requests?.SaveSingleTaskForCreatingOrderRenew ?? 0;
}

async function setBalance(key: string, amount: string): Promise<void> {
  if (key === 'alibaba') await sim(key).call('config', { balance: amount });
  else await sim(key).call('balance', { amount });
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
    expect(doc.paths['/v1/domains/{domain}/renew']?.post?.security).toEqual([{ bearerAuth: ['renew'] }]);
    expect(doc.paths['/v1/renewals/{id}']?.get).toBeDefined();
    expect(doc.paths['/v1/renewals']?.get).toBeDefined();
  });
});

describe.each(ACCOUNTS)('renewals through the API and the queue at %s', (key) => {
  beforeEach(async () => {
    await sim(key).reset();
    await clearRenewalTables();
  });

  it('renews once through the API and the queue, and records every transition', async () => {
    const expiresAt = daysFromNow(20);
    await seedDomain(key, `${key}-happy.com`, expiresAt);
    const res = await renew(`${key}-happy.com`, { years: 1, expectedExpiry: expiresAt }, 'happy-1');
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
      account: key,
    });

    expect(await waitForState(created.id)).toBe('confirmed');
    const done = await getRenewalApi(created.id);
    expect(done.newExpiry?.slice(0, 10)).toBe(
      `${Number(expiresAt.slice(0, 4)) + 1}${expiresAt.slice(4, 10)}`,
    );
    expect(await upstreamRenewals(key, `${key}-happy.com`)).toHaveLength(1);
    expect(done.history.map((e) => e.to)).toEqual(
      expect.arrayContaining(['requested', 'submitting', 'reconciling', 'confirmed']),
    );
    expect(done.history[0]).toMatchObject({ action: 'requested', actor: 'admin', source: 'api' });

    const list = await SELF.fetch(`http://gateway.test/v1/renewals?state=confirmed&domain=${key}-happy.com`, {
      headers: ADMIN,
    });
    expect(((await list.json()) as { items: Array<{ id: string }> }).items.map((r) => r.id)).toEqual([
      created.id,
    ]);
  });

  it('reads the expected expiry from the registrar when it is omitted', async () => {
    const expiresAt = daysFromNow(33);
    await seedDomain(key, `${key}-omitted.com`, expiresAt);
    const res = await renew(`${key}-omitted.com`, { years: 2, account: key });
    const body = (await res.json()) as { id: string; expectedExpiry: string };
    expect(body.expectedExpiry).toBe(expiresAt.slice(0, 10));
    expect(await waitForState(body.id)).toBe('confirmed');
    expect(await upstreamRenewals(key, `${key}-omitted.com`)).toEqual([
      expect.objectContaining({ domain: `${key}-omitted.com`, years: 2 }),
    ]);
  });

  it('answers 50 parallel requests with one key with one renewal and one upstream renewal', async () => {
    const expiresAt = daysFromNow(15);
    await seedDomain(key, `${key}-fifty.com`, expiresAt);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        renew(`${key}-fifty.com`, { years: 1, expectedExpiry: expiresAt }, 'fifty'),
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
    expect(await upstreamRenewals(key, `${key}-fifty.com`)).toHaveLength(1);
  });

  it('maps another key, or no key, with the same intent to the same renewal; refuses a key reused with another body', async () => {
    const expiresAt = daysFromNow(25);
    await seedDomain(key, `${key}-intent.com`, expiresAt);
    const first = (await (
      await renew(`${key}-intent.com`, { years: 1, expectedExpiry: expiresAt }, 'k-1')
    ).json()) as {
      id: string;
    };
    const sameIntent = (await (
      await renew(`${key}-intent.com`, { years: 1, expectedExpiry: expiresAt.slice(0, 10) }, 'k-2')
    ).json()) as { id: string };
    const noKey = (await (
      await renew(`${key}-intent.com`, { years: 1, expectedExpiry: expiresAt })
    ).json()) as {
      id: string;
    };
    expect(sameIntent.id).toBe(first.id);
    expect(noKey.id).toBe(first.id);

    const reused = await renew(`${key}-intent.com`, { years: 2, expectedExpiry: expiresAt }, 'k-1');
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { kind: string }).kind).toBe('conflict');
    // k-2 now answers for the same renewal, even after it is done.
    expect(await waitForState(first.id)).toBe('confirmed');
    const again = await renew(
      `${key}-intent.com`,
      { years: 1, expectedExpiry: expiresAt.slice(0, 10) },
      'k-2',
    );
    expect(((await again.json()) as { id: string; state: string }).state).toBe('confirmed');
    expect(await upstreamRenewals(key, `${key}-intent.com`)).toHaveLength(1);
    const rows = await workerEnv.DB.prepare('SELECT COUNT(*) AS n FROM renewals WHERE domain = ?')
      .bind(`${key}-intent.com`)
      .first<{ n: number }>();
    expect(rows?.n).toBe(1);
  });

  it('fails a stale expected expiry without calling renew', async () => {
    const expiresAt = daysFromNow(40);
    await seedDomain(key, `${key}-stale.com`, expiresAt);
    const res = await renew(`${key}-stale.com`, { years: 1, expectedExpiry: daysFromNow(10).slice(0, 10) });
    const { id } = (await res.json()) as { id: string };
    expect(await waitForState(id)).toBe('failed');
    const r = await getRenewalApi(id);
    expect(r.reason).toMatch(/stale expected expiry/);
    expect(await renewCalls(key)).toBe(0);
    expect(await upstreamRenewals(key)).toHaveLength(0);
  });

  it('fails without a call when the domain is not held by the named account', async () => {
    const { id } = (await (
      await renew(`${key}-not-mine.com`, { years: 1, expectedExpiry: '2027-01-01', account: key })
    ).json()) as { id: string };
    expect(await waitForState(id)).toBe('failed');
    expect((await getRenewalApi(id)).reason).toMatch(new RegExp(`not held by account ${key}`));
    expect(await renewCalls(key)).toBe(0);
  });
});

describe.each(WITH_BALANCE)('balance pre-check at %s', (key) => {
  beforeEach(async () => {
    await sim(key).reset();
    await clearRenewalTables();
  });

  it('fails without calling renew when the balance is below the price', async () => {
    const expiresAt = daysFromNow(12);
    await seedDomain(key, `${key}-poor.com`, expiresAt);
    await setBalance(key, '0.50');
    const { id } = (await (
      await renew(`${key}-poor.com`, { years: 1, expectedExpiry: expiresAt })
    ).json()) as {
      id: string;
    };
    expect(await waitForState(id)).toBe('failed');
    expect((await getRenewalApi(id)).reason).toMatch(/insufficient balance/);
    expect(await renewCalls(key)).toBe(0);

    // Topped up, the same intent asked again (new key) is a new attempt on the same renewal;
    // the first key still answers with that renewal, never a second one.
    await setBalance(key, '900.00');
    const again = await renew(`${key}-poor.com`, { years: 1, expectedExpiry: expiresAt }, 'after-top-up');
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    expect(await waitForState(id)).toBe('confirmed');
    expect(await upstreamRenewals(key, `${key}-poor.com`)).toHaveLength(1);
    expect((await getRenewalApi(id)).history.map((e) => e.action)).toContain('retry_requested');
  });
});

describe('renewals at Dynadot (no expiry guard, one request at a time)', () => {
  beforeEach(async () => {
    await sim('dynadot').reset();
    await clearRenewalTables();
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
    expect((await gateStats('dynadot')).peak).toBe(1);
  });

  it('the renewals of one consumer batch read the price list once, each its own balance', async () => {
    const expiresAt = daysFromNow(22);
    const domains = ['rn-batch-a.com', 'rn-batch-b.com', 'rn-batch-c.com'];
    const p = pump();
    for (const domain of domains) {
      await seedDomain('dynadot', domain, expiresAt);
      await requestRenewal(engine(p.env), {
        domain,
        years: 1,
        expectedExpiry: expiresAt,
        source: 'api',
        actor: 'test',
      });
    }
    // The three execute messages the intents queued, delivered as one batch to the real consumer.
    const executes = p.sent.splice(0).filter((m) => m.body.type === 'renewal.execute');
    expect(executes).toHaveLength(3);
    const calls = async () => (await sim('dynadot').state<{ calls: Record<string, number> }>()).calls;
    const before = await calls();
    const acked: string[] = [];
    const batch = {
      queue: 'renewals',
      messages: executes.map((m, i) => ({
        id: `m${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: m.body,
        ack: () => acked.push(`m${i}`),
        retry: () => {},
      })),
      ackAll: () => {},
      retryAll: () => {},
    } as unknown as MessageBatch;
    await handleQueueBatch(batch, p.env, createExecutionContext(), notifier);
    await p.drain();
    const after = await calls();
    expect(acked).toHaveLength(3);
    expect((after.tld_price ?? 0) - (before.tld_price ?? 0)).toBe(1);
    expect((after.get_account_balance ?? 0) - (before.get_account_balance ?? 0)).toBe(3);
    expect((after.renew ?? 0) - (before.renew ?? 0)).toBe(3);
    for (const domain of domains) expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
  });

  it('ten workers handed the same renewal at once submit it once', async () => {
    const expiresAt = daysFromNow(21);
    await seedDomain('dynadot', 'rn-workers.com', expiresAt);
    const p = pump();
    const { renewal } = await requestRenewal(engine(p.env), {
      domain: 'rn-workers.com',
      years: 1,
      expectedExpiry: expiresAt,
      source: 'api',
      actor: 'test',
    });
    // The queue delivers at least once: simulate ten deliveries of the execute message in parallel.
    const handler = JOB_HANDLERS['renewal.execute'];
    if (!handler) throw new Error('no execute handler');
    await Promise.all(
      Array.from({ length: 10 }, () =>
        handler({ type: 'renewal.execute', id: renewal.id }, p.env, quietLogger, notifier),
      ),
    );
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.renew).toBe(1);
    expect(await upstreamRenewals('dynadot', 'rn-workers.com')).toHaveLength(1);
    expect((await getRenewalApi(renewal.id)).state).toBe('confirmed');
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

  it('an operator settles needs_attention as failed, and a new request then renews once', async () => {
    const expiresAt = daysFromNow(19);
    await seedDomain('dynadot', 'rn-settle.com', expiresAt);
    await sim('dynadot').faults({ fault: { kind: 'drop_before' }, match: 'renew' });
    const p = pump();
    const { renewal } = await requestRenewal(engine(p.env), {
      domain: 'rn-settle.com',
      years: 1,
      expectedExpiry: expiresAt,
      source: 'api',
      actor: 'test',
    });
    await p.drain();
    expect((await getRenewalApi(renewal.id)).state).toBe('needs_attention');

    const resolve = (headers: Record<string, string>, body: unknown) =>
      SELF.fetch(`http://gateway.test/v1/renewals/${renewal.id}/resolve`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const { token } = await createApiKey(env.DB, 'renewer', ['renew']);
    expect(
      (await resolve({ authorization: `Bearer ${token}` }, { outcome: 'failed', note: 'x' })).status,
    ).toBe(403);
    const settled = await resolve(ADMIN, {
      outcome: 'failed',
      note: 'checked the Dynadot panel: not renewed',
    });
    expect(settled.status).toBe(200);
    expect(((await settled.json()) as { state: string }).state).toBe('failed');
    expect((await resolve(ADMIN, { outcome: 'failed', note: 'again' })).status).toBe(409);

    const again = await renew('rn-settle.com', { years: 1, expectedExpiry: expiresAt }, 'after-settle');
    expect(((await again.json()) as { id: string }).id).toBe(renewal.id);
    expect(await waitForState(renewal.id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', 'rn-settle.com')).toHaveLength(1);
    const actions = (await getRenewalApi(renewal.id)).history.map((e) => `${e.action}:${e.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['resolved_by_operator:admin', 'retry_requested:admin']));
  });

  it('a pre-check that cannot reach the registrar is retried without any renew call, then renews once', async () => {
    const expiresAt = daysFromNow(23);
    await seedDomain('dynadot', 'rn-precheck.com', expiresAt);
    // Every read fails (the provider's own read retries included) until the first pre-check gave up.
    await sim('dynadot').faults({
      fault: { kind: 'http_status', status: 503 },
      match: 'domain_info',
      times: 0,
    });
    const p = pump();
    const { renewal } = await requestRenewal(engine(p.env), {
      domain: 'rn-precheck.com',
      account: 'dynadot',
      years: 1,
      expectedExpiry: expiresAt,
      source: 'api',
      actor: 'test',
    });
    expect(await p.step()).toBe(true);
    expect((await getRenewalApi(renewal.id)).state).toBe('submitting');
    await sim('dynadot').clearFaults();
    await p.drain();
    const r = await getRenewalApi(renewal.id);
    expect(r.state).toBe('confirmed');
    expect(r.history.map((e) => e.action)).toContain('precheck_unavailable');
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.renew).toBe(1);
  });

  it('a renew call that never left the account gate is retried, not reported unknown, and renews once', async () => {
    const expiresAt = daysFromNow(24);
    await seedDomain('dynadot', 'rn-unsent.com', expiresAt);
    const p = pump({ DYNADOT_TIMEOUT_MS: '1500' });
    const { renewal } = await requestRenewal(engine(p.env), {
      domain: 'rn-unsent.com',
      account: 'dynadot',
      years: 1,
      expectedExpiry: expiresAt,
      source: 'api',
      actor: 'test',
    });
    // The pre-checks read the domain, the balance and the price list; renew's own pre-read then
    // takes 0.8 s, and another call of the account, queued behind it, holds the gate for 2.2 s:
    // the renew call waits past its 1.5 s timeout and is withdrawn before it leaves.
    await sim('dynadot').faults([
      { fault: { kind: 'delay', ms: 1 }, match: 'domain_info' },
      { fault: { kind: 'delay', ms: 800 }, match: 'domain_info' },
      { fault: { kind: 'delay', ms: 2_200 }, match: 'account_info' },
    ]);
    const admitted = (await gateStats('dynadot')).admitted;
    const draining = p.drain();
    await waitForAdmitted('dynadot', admitted + 4);
    const vars = workerEnv as unknown as Record<string, string>;
    const holding = gatedFetch(workerEnv.ACCOUNT_GATE, 'dynadot', { concurrency: 1 })(
      `${vars.DYNADOT_BASE_URL}/api3.xml?key=${vars.DYNADOT_API_KEY}&command=account_info`,
    ).then((r) => r.text());
    await draining;
    await holding;
    const r = await getRenewalApi(renewal.id);
    expect(r.state).toBe('confirmed');
    expect(r.history.map((e) => e.action)).toContain('not_sent');
    expect(r.history.map((e) => e.to)).not.toContain('outcome_unknown');
    expect(await renewCalls('dynadot')).toBe(1);
    expect(await upstreamRenewals('dynadot', 'rn-unsent.com')).toHaveLength(1);
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

describe('renewals at 35.com (no expiry guard; XML over TCP through the bridge)', () => {
  beforeEach(async () => {
    await sim('com35').reset();
    await clearRenewalTables();
  });

  const cases = [
    { fault: { kind: 'drop_after' }, state: 'confirmed', renewals: 1 },
    { fault: { kind: 'drop_before' }, state: 'needs_attention', renewals: 0 },
    { fault: { kind: 'garbage' }, state: 'needs_attention', renewals: 0 },
  ] as const;
  for (const c of cases) {
    it(`${c.fault.kind} on RenewDomain → ${c.state}, ${c.renewals} upstream renewal(s)`, async () => {
      const domain = `c35-${c.fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(13);
      await seedDomain('com35', domain, expiresAt);
      await sim('com35').faults({ fault: c.fault, match: 'RenewDomain' });
      const p = pump();
      const { renewal } = await requestRenewal(engine(p.env), {
        domain,
        years: 1,
        expectedExpiry: expiresAt,
        source: 'api',
        actor: 'test',
      });
      await p.drain();
      const r = await getRenewalApi(renewal.id);
      expect(r.state).toBe(c.state);
      expect(await upstreamRenewals('com35', domain)).toHaveLength(c.renewals);
    });
  }
});
