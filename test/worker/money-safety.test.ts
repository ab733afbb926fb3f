/**
 * Money safety: one renewal per domain period, whatever the door, the request shape or the timing.
 * Every case is one an attacker or a careless integrator would try; every charge is counted at the
 * registrar simulators (over real sockets), every refusal is checked to have recorded nothing.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { requestRenewal, sweepRenewals } from '../../src/core/renewals';
import { billingSubscriber } from '../../src/core/webhook-callbacks';
import { sim, workerEnv } from './helpers';
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
import { event, newId, nowSeconds, post, standardDelivery, stripeDelivery } from './webhook-client';

interface Problem {
  kind: string;
  code?: string;
  renewalId?: string;
  detail: string;
  errors?: Array<{ field: string; reason: string }>;
}

async function count(sql: string, ...values: unknown[]): Promise<number> {
  const row = await workerEnv.DB.prepare(sql)
    .bind(...values)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const rowsOf = (domain: string) => count('SELECT COUNT(*) AS n FROM renewals WHERE domain = ?', domain);
const keyCount = () => count('SELECT COUNT(*) AS n FROM renewal_keys');

/** One domain at a simulator, renewed once through the API and the queue: the cooldown's subject. */
async function renewedOnce(key: string, domain: string): Promise<{ id: string; newExpiry: string }> {
  await seedDomain(key, domain, daysFromNow(40));
  const res = await renew(domain, { years: 1, account: key }, newId('first'));
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  expect(await waitForState(id)).toBe('confirmed');
  const done = await getRenewalApi(id);
  return { id, newExpiry: done.newExpiry! };
}

beforeEach(async () => {
  await clearRenewalTables();
  for (const key of ['dynadot', 'com35', 'mrdomain']) await sim(key).reset();
});

describe('one unsettled renewal per (account, domain)', () => {
  // Registrars without an expiry guard: only the gateway stands between a race and a double charge.
  describe.each(['dynadot', 'com35'])('at %s', (key) => {
    it('three requests at once with years 1, 2 and 3 (three keys, no expectedExpiry) renew once', async () => {
      const domain = `race-years-${key}.com`;
      await seedDomain(key, domain, daysFromNow(30));
      const responses = await Promise.all(
        [1, 2, 3].map((years) => renew(domain, { years, account: key }, `race-${years}`)),
      );
      const bodies = await Promise.all(
        responses.map(async (r) => ({ status: r.status, body: await r.json() })),
      );
      const accepted = bodies.filter((b) => b.status === 202);
      const refused = bodies.filter((b) => b.status === 409);
      expect(accepted).toHaveLength(1);
      expect(refused).toHaveLength(2);
      const winner = accepted[0]!.body as { id: string; years: number };
      for (const r of refused) {
        expect(r.body as Problem).toMatchObject({
          kind: 'conflict',
          code: 'renewal_in_progress',
          renewalId: winner.id,
        });
        expect((r.body as Problem).detail).toContain(winner.id);
      }
      expect(await waitForState(winner.id)).toBe('confirmed');
      expect(await upstreamRenewals(key, domain)).toEqual([
        expect.objectContaining({ domain, years: winner.years }),
      ]);
      expect(await rowsOf(domain)).toBe(1);
    });
  });

  it('answers the same request with the unsettled renewal, under any key, without a registrar read', async () => {
    const domain = 'join-unsettled.com';
    await seedDomain('dynadot', domain, daysFromNow(30));
    const p = pump();
    const first = await requestRenewal(engine(p.env), {
      domain,
      years: 2,
      account: 'dynadot',
      idempotencyKey: 'join-a',
      source: 'api',
      actor: 'a',
    });
    const readsBefore = (await sim('dynadot').state<{ calls: Record<string, number> }>()).calls.domain_info;
    const second = await requestRenewal(engine(p.env), {
      domain,
      years: 2,
      account: 'dynadot',
      idempotencyKey: 'join-b',
      source: 'webhook',
      actor: 'b',
    });
    expect(second).toMatchObject({ created: false, renewal: { id: first.renewal.id } });
    expect((await sim('dynadot').state<{ calls: Record<string, number> }>()).calls.domain_info).toBe(
      readsBefore,
    );
    await p.drain();
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
  });

  it('the database itself refuses a second unsettled renewal of one domain at one account', async () => {
    const insert = (id: string, expiry: string) =>
      workerEnv.DB.prepare(
        `INSERT INTO renewals (id, domain, account, provider, expected_expiry, years, request_hash, state,
           source, actor, created_at, updated_at)
         VALUES (?, 'db-guard.com', 'dynadot', 'dynadot', ?, 1, 'h', 'outcome_unknown', 'api', 't', ?, ?)`,
      )
        .bind(id, expiry, new Date().toISOString(), new Date().toISOString())
        .run();
    await insert('rnw_db_guard_1', '2027-01-01');
    await expect(insert('rnw_db_guard_2', '2027-06-01')).rejects.toThrow(/UNIQUE/);
    // A settled renewal of the same domain is no obstacle.
    await workerEnv.DB.prepare("UPDATE renewals SET state = 'confirmed' WHERE id = 'rnw_db_guard_1'").run();
    await insert('rnw_db_guard_2', '2027-06-01');
  });

  it('a renewal in needs_attention blocks every new request until an operator settles it', async () => {
    const domain = 'blocked-attention.com';
    const expiresAt = daysFromNow(25);
    await seedDomain('dynadot', domain, expiresAt);
    await sim('dynadot').faults({ fault: { kind: 'drop_before' }, match: 'renew' });
    const p = pump({ DYNADOT_TIMEOUT_MS: '1500' });
    const { renewal } = await requestRenewal(engine(p.env), {
      domain,
      years: 1,
      expectedExpiry: expiresAt,
      source: 'api',
      actor: 'test',
    });
    await p.drain();
    expect((await getRenewalApi(renewal.id)).state).toBe('needs_attention');
    await sim('dynadot').clearFaults();

    // The same request is answered with it; anything else (other years, even forced) is refused.
    const same = await renew(domain, { years: 1, account: 'dynadot' }, newId('same'));
    expect(same.status).toBe(202);
    expect(same.headers.get('idempotent-replayed')).toBe('true');
    expect((await same.json()) as { id: string; state: string }).toMatchObject({
      id: renewal.id,
      state: 'needs_attention',
    });
    for (const body of [{ years: 2, expectedExpiry: expiresAt }, { years: 3, force: true }, { years: 2 }]) {
      const res = await renew(domain, { ...body, account: 'dynadot' }, newId('blocked'));
      expect(res.status).toBe(409);
      expect((await res.json()) as Problem).toMatchObject({
        code: 'renewal_needs_attention',
        renewalId: renewal.id,
      });
    }
    expect(await rowsOf(domain)).toBe(1);

    const settled = await SELF.fetch(`http://gateway.test/v1/renewals/${renewal.id}/resolve`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'failed', note: 'checked the panel: not renewed' }),
    });
    expect(settled.status).toBe(200);
    const again = await renew(domain, { years: 2, account: 'dynadot' }, newId('after'));
    expect(again.status).toBe(202);
    const { id } = (await again.json()) as { id: string };
    expect(await waitForState(id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', domain)).toEqual([expect.objectContaining({ years: 2 })]);
  });
});

describe('no silent second renewal after a confirmed one', () => {
  it('refuses an unpinned request within the cooldown (409 recently_renewed), recording nothing', async () => {
    const domain = 'cooldown-refused.com';
    const first = await renewedOnce('dynadot', domain);
    const rowsBefore = await rowsOf(domain);
    const keysBefore = await keyCount();

    const res = await renew(domain, { years: 1, account: 'dynadot' }, newId('second'));
    expect(res.status).toBe(409);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({ kind: 'conflict', code: 'recently_renewed', renewalId: first.id });
    expect(problem.detail).toContain(first.id);
    expect(await rowsOf(domain)).toBe(rowsBefore);
    expect(await keyCount()).toBe(keysBefore);
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
  });

  it('lets a request pinned to the current expiry, or one that says force, renew again', async () => {
    const domain = 'cooldown-explicit.com';
    const first = await renewedOnce('dynadot', domain);

    const pinned = await renew(domain, { years: 1, account: 'dynadot', expectedExpiry: first.newExpiry });
    expect(pinned.status).toBe(202);
    const second = (await pinned.json()) as { id: string };
    expect(await waitForState(second.id)).toBe('confirmed');

    const forced = await renew(domain, { years: 1, account: 'dynadot', force: true }, newId('forced'));
    expect(forced.status).toBe(202);
    const third = (await forced.json()) as { id: string };
    expect(await waitForState(third.id)).toBe('confirmed');
    const created = (await getRenewalApi(third.id)).history.find((e) => e.action === 'requested');
    expect(created?.detail).toMatchObject({ force: true });
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(3);
  });

  it('RENEWAL_COOLDOWN_HOURS=0 turns the rule off', async () => {
    const domain = 'cooldown-off.com';
    await renewedOnce('dynadot', domain);
    const p = pump({ RENEWAL_COOLDOWN_HOURS: '0' });
    const { created } = await requestRenewal(engine(p.env), {
      domain,
      years: 1,
      account: 'dynadot',
      source: 'api',
      actor: 'test',
    });
    expect(created).toBe(true);
  });
});

describe('a refused request leaves nothing behind', () => {
  // A key first used for the domain's renewal in progress, then reused at once with other bodies:
  // every refusal names that renewal, and no refused body leaves a row that a sweep could run.
  it('a key reused at once with other bodies: 409s that leave no row behind, and a sweep renews once', async () => {
    const domain = 'key-reuse-race.com';
    const expiresAt = daysFromNow(33);
    await seedDomain('dynadot', domain, expiresAt);
    const first = await renew(domain, { years: 1, expectedExpiry: expiresAt, account: 'dynadot' }, 'k1');
    const { id } = (await first.json()) as { id: string };
    const bodies = [
      { years: 1 },
      { years: 2 },
      { years: 3, expectedExpiry: expiresAt },
      { years: 1, expectedExpiry: daysFromNow(400) },
      { years: 4, force: true },
    ].map((b) => ({ ...b, account: 'dynadot' }));
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => bodies.map((b) => renew(domain, b, 'k2'))).flat(),
    );
    expect(await rowsOf(domain)).toBe(1);
    for (const res of responses) {
      const body = (await res.json()) as Problem & { id?: string };
      expect([200, 202, 409]).toContain(res.status);
      expect(body.id ?? body.renewalId).toBe(id);
    }
    expect(await waitForState(id)).toBe('confirmed');

    // Whatever is left must not be runnable: age every row past the sweep's threshold and sweep.
    await workerEnv.DB.prepare("UPDATE renewals SET updated_at = '2000-01-01T00:00:00.000Z'").run();
    const p = pump();
    await sweepRenewals(p.env, quietLogger);
    await p.drain();
    expect(await upstreamRenewals('dynadot', domain)).toEqual([expect.objectContaining({ years: 1 })]);
  });
});

describe('billing references follow the payment, not the message (Stripe)', () => {
  const session = (domain: string, ids: { pi?: string; invoice?: string; cs: string }, extra = {}) => ({
    id: newId('evt'),
    object: 'event',
    type: 'checkout.session.completed',
    created: nowSeconds(),
    data: {
      object: {
        id: ids.cs,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        payment_intent: ids.pi ?? null,
        invoice: ids.invoice ?? null,
        metadata: { domain, years: '1', account: 'dynadot', ...extra },
      },
    },
  });
  const invoicePaid = (domain: string, ids: { pi?: string; invoice: string }, extra = {}) => ({
    id: newId('evt'),
    object: 'event',
    type: 'invoice.paid',
    created: nowSeconds(),
    data: {
      object: {
        id: ids.invoice,
        object: 'invoice',
        status: 'paid',
        ...(ids.pi ? { payment_intent: ids.pi } : {}),
        metadata: { domain, years: '1', account: 'dynadot', ...extra },
      },
    },
  });

  // Three shapes of one payment: both events name the payment intent and the invoice; the
  // invoice does not name its payment intent (API 2025-03-31 and later); the session does not
  // name its invoice (only the payment intent links them).
  it.each([
    ['both ids on both events', { pi: true, invoiceOnSession: true, piOnInvoice: true }],
    ['an invoice without its payment intent', { pi: true, invoiceOnSession: true, piOnInvoice: false }],
    ['a session without its invoice', { pi: true, invoiceOnSession: false, piOnInvoice: true }],
  ])('checkout.session.completed then invoice.paid (%s) renew once', async (_, shape) => {
    const domain = `stripe-${newId('pay').slice(-8).toLowerCase()}.com`;
    await seedDomain('dynadot', domain, daysFromNow(50));
    const pi = `pi_${newId('x')}`;
    const invoice = `in_${newId('x')}`;
    const first = await post(
      'stripe',
      await stripeDelivery(
        session(domain, {
          pi,
          cs: `cs_${newId('x')}`,
          invoice: shape.invoiceOnSession ? invoice : undefined,
        }),
      ),
    );
    expect(first.status).toBe(202);
    const a = (await first.json()) as { renewal: { id: string }; created: boolean };
    expect(a.created).toBe(true);
    expect(await waitForState(a.renewal.id)).toBe('confirmed');

    // Seconds later, after the first has moved the expiry: the same payment, another event.
    const second = await post(
      'stripe',
      await stripeDelivery(invoicePaid(domain, { invoice, pi: shape.piOnInvoice ? pi : undefined })),
    );
    expect(second.status).toBe(202);
    const b = (await second.json()) as { renewal: { id: string }; created: boolean };
    expect(b).toMatchObject({ created: false, renewal: { id: a.renewal.id } });
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
    expect(await rowsOf(domain)).toBe(1);
  });

  it('a second payment within the cooldown is refused unless its metadata says force', async () => {
    const domain = 'stripe-second-payment.com';
    await seedDomain('dynadot', domain, daysFromNow(50));
    const first = await post(
      'stripe',
      await stripeDelivery(session(domain, { pi: `pi_${newId('a')}`, cs: 'cs_a' })),
    );
    const a = (await first.json()) as { renewal: { id: string } };
    expect(await waitForState(a.renewal.id)).toBe('confirmed');

    const refused = await post(
      'stripe',
      await stripeDelivery(session(domain, { pi: `pi_${newId('b')}`, cs: 'cs_b' })),
    );
    expect(refused.status).toBe(409);
    expect((await refused.json()) as Problem).toMatchObject({
      code: 'recently_renewed',
      renewalId: a.renewal.id,
    });
    expect(await rowsOf(domain)).toBe(1);

    const forced = await post(
      'stripe',
      await stripeDelivery(session(domain, { pi: `pi_${newId('c')}`, cs: 'cs_c' }, { force: 'true' })),
    );
    expect(forced.status).toBe(202);
    const c = (await forced.json()) as { renewal: { id: string } };
    expect(await waitForState(c.renewal.id)).toBe('confirmed');
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(2);
  });
});

describe('a refused request subscribes nobody', () => {
  it('leaves no subscriber row: neither its own nor one on the renewal that refused it', async () => {
    const domain = 'refused-subscriber.com';
    await seedDomain('dynadot', domain, daysFromNow(30));
    // The engine's jobs wait in this test's queue: the first renewal stays unsettled until drained.
    const p = pump();
    const ctx = engine(p.env);
    const ask = (years: number, source: 'standard' | 'whmcs' | 'stripe', reference: string) =>
      requestRenewal(ctx, {
        domain,
        years,
        account: 'dynadot',
        idempotencyKey: `${source}:${reference}`,
        subscriber: billingSubscriber({ source, deliveryId: newId('msg'), reference }),
        source: 'webhook',
        actor: `${source}:test`,
      });
    const subscribers = async () =>
      (
        await workerEnv.DB.prepare(
          'SELECT renewal_id, subscriber FROM renewal_subscribers ORDER BY subscriber',
        ).all<{
          renewal_id: string;
          subscriber: string;
        }>()
      ).results;

    const { renewal } = await ask(1, 'standard', 'INV-1');
    await expect(ask(2, 'whmcs', 'INV-2')).rejects.toMatchObject({ code: 'renewal_in_progress' });
    await expect(ask(3, 'stripe', 'INV-1')).rejects.toMatchObject({ code: 'renewal_in_progress' });
    expect(await subscribers()).toEqual([{ renewal_id: renewal.id, subscriber: 'standard' }]);

    await p.drain();
    expect(await waitForState(renewal.id)).toBe('confirmed');
    await expect(ask(1, 'whmcs', 'INV-3')).rejects.toMatchObject({ code: 'recently_renewed' });
    await expect(ask(2, 'standard', 'INV-1')).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect(await subscribers()).toEqual([{ renewal_id: renewal.id, subscriber: 'standard' }]);
    expect(await rowsOf(domain)).toBe(1);
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(1);
  });
});

describe('money inputs are strict on every door', () => {
  it('the API names an unknown field, requires years, and refuses an empty body; nothing is renewed', async () => {
    const domain = 'strict-api.com';
    await seedDomain('dynadot', domain, daysFromNow(30));
    const typo = await renew(domain, { yeras: 3, account: 'dynadot' });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as Problem).errors).toEqual(
      expect.arrayContaining([
        { field: 'yeras', reason: 'unknown field' },
        expect.objectContaining({ field: 'years' }),
      ]),
    );
    const empty = await renew(domain, {});
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Problem).errors).toEqual([expect.objectContaining({ field: 'years' })]);
    const noBody = await SELF.fetch(`http://gateway.test/v1/domains/${domain}/renew`, {
      method: 'POST',
      headers: ADMIN,
    });
    expect(noBody.status).toBe(400);
    expect(await rowsOf(domain)).toBe(0);
    expect(await upstreamRenewals('dynadot', domain)).toHaveLength(0);
  });

  it('a billing webhook names an unknown field and requires years', async () => {
    const domain = 'strict-webhook.com';
    await seedDomain('dynadot', domain, daysFromNow(30));
    const base = { domain, account: 'dynadot', reference: newId('INV') };
    const typo = await post('standard', standardDelivery(event('domain.renew', { ...base, yeras: 3 })));
    expect(typo.status).toBe(400);
    const errors = ((await typo.json()) as Problem).errors?.map((e) => e.field);
    expect(errors).toEqual(expect.arrayContaining(['data.yeras', 'data.years']));
    const stripeNoYears = await post(
      'stripe',
      await stripeDelivery({
        id: newId('evt'),
        type: 'invoice.paid',
        created: nowSeconds(),
        data: { object: { id: 'in_noyears', metadata: { domain, account: 'dynadot' } } },
      }),
    );
    expect(stripeNoYears.status).toBe(400);
    expect(await rowsOf(domain)).toBe(0);
  });
});

describe('an oversized body is refused while it streams', () => {
  /** A chunked body of `total` bytes that counts what the server pulled from it. */
  function countingStream(total: number) {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    return { stream, pulled: () => pulled };
  }

  it.each([
    ['the API', '/v1/domains/stream.com/renew', ADMIN],
    [
      'a billing webhook, before its (bad) signature is checked',
      '/webhooks/billing/standard',
      {
        'webhook-id': 'msg_big',
        'webhook-timestamp': String(nowSeconds()),
        'webhook-signature': 'v1,AAAA',
      },
    ],
    [
      'the Telegram webhook',
      '/telegram/webhook',
      {
        'x-telegram-bot-api-secret-token': String(env.TELEGRAM_WEBHOOK_SECRET),
      },
    ],
  ])('%s: 413 after reading a bounded part of a 64 MiB body', async (_, path, headers) => {
    const total = 64 * 1024 * 1024;
    const body = countingStream(total);
    const res = await SELF.fetch(`http://gateway.test${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: body.stream,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).code).toBe('body_too_large');
    expect(body.pulled()).toBeLessThan(total / 8);
  });
});
