/**
 * Billing webhooks end to end in workerd: a paid invoice becomes exactly one renewal through the
 * engine, the registrar simulator performs it (over real sockets), and the signed result reaches
 * the stand-in billing system. Also `domain.info` / `domain.check` answered synchronously.
 *
 * Runs against the registrar simulator of the stack that holds the most renewable seeded domains
 * (each test renews a domain no other test touched, because the intent key includes the expiry).
 */
import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainSummary } from '../../src/core/model';
import { renewFromWebhook } from '../../src/handlers/webhooks/renew';
import { providerFor, setSoldTlds, sim } from './helpers';
import { engine, pump } from './renewals-support';
import {
  deliveryRow,
  event,
  newId,
  nowSeconds,
  post,
  receiver,
  STANDARD_SECRETS,
  STRIPE_SECRET,
  standardDelivery,
  stripeDelivery,
  WHMCS_SECRET,
} from './webhook-client';

const simulators = Object.keys(JSON.parse(env.SIM_CONTROL) as Record<string, string>);
let account = '';
let control: ReturnType<typeof sim>;

interface SimRenewal {
  domain: string;
  years: number;
}
const simRenewals = async (domain: string) =>
  ((await control.state<{ renewals: SimRenewal[] }>()).renewals ?? []).filter((r) => r.domain === domain);

interface RenewalRow {
  id: string;
  state: string;
  reason: string | null;
  new_expiry: string | null;
  source: string;
  actor: string;
}

async function waitForFinal(id: string, timeoutMs = 25_000): Promise<RenewalRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare(
      'SELECT id, state, reason, new_expiry, source, actor FROM renewals WHERE id = ?',
    )
      .bind(id)
      .first<RenewalRow>();
    if (row && ['confirmed', 'failed', 'needs_attention'].includes(row.state)) return row;
    if (Date.now() > deadline) throw new Error(`renewal ${id} not final: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The simulator's seeded domains, read through the provider like any caller would. */
let domains: DomainSummary[] = [];
let next = 0;
/** A domain no other test of this file renewed (the renewal intent key includes the expiry). */
function freshDomain(): DomainSummary {
  const d = domains[next++];
  if (!d) throw new Error(`the ${account} simulator has only ${domains.length} seeded domains`);
  return d;
}

const NOT_RENEWABLE = new Set(['hold', 'suspended', 'redemption', 'deleted', 'expired', 'transfer_pending']);

beforeAll(async () => {
  for (const key of simulators) {
    await sim(key).reset();
    const list: DomainSummary[] = [];
    try {
      for await (const d of providerFor(key).listDomains({})) {
        if (d.expiresAt && !d.status.some((st) => NOT_RENEWABLE.has(st))) list.push(d);
      }
    } catch {
      continue; // a provider without listDomains cannot take part
    }
    if (list.length > domains.length) {
      account = key;
      domains = list;
    }
  }
  if (!account) throw new Error('no registrar simulator with seeded domains in the stack');
  control = sim(account);
});

beforeEach(async () => {
  await receiver.clear();
});

describe('billing webhooks → renewals (registrar simulator)', () => {
  it('turns the same delivery sent 20 times into one renewal and one registrar renewal', async () => {
    const target = freshDomain();
    const d = standardDelivery(
      event('domain.renew', {
        domain: target.domain,
        years: 1,
        expectedExpiry: target.expiresAt,
        account,
        reference: `INV-${newId('x')}`,
      }),
    );
    // Ten at once, then ten one after another.
    const burst = await Promise.all(Array.from({ length: 10 }, () => post('standard', d)));
    const serial: Response[] = [];
    for (let i = 0; i < 10; i++) serial.push(await post('standard', d));
    const all = [...burst, ...serial];
    const bodies = await Promise.all(all.map(async (r) => ({ status: r.status, body: await r.text() })));
    expect(bodies.map((b) => b.status)).toEqual(Array(20).fill(202));
    const ids = new Set(bodies.map((b) => (JSON.parse(b.body) as { renewal: { id: string } }).renewal.id));
    expect(ids.size).toBe(1);
    expect(all.filter((r) => r.headers.get('webhook-replayed') === 'true')).toHaveLength(19);
    const [id] = [...ids];

    const row = await waitForFinal(id!);
    expect(row).toMatchObject({ state: 'confirmed', source: 'webhook', actor: `standard:${d.id}` });
    expect(await simRenewals(target.domain)).toHaveLength(1);
    const { results } = await env.DB.prepare('SELECT COUNT(*) AS n FROM renewals WHERE domain = ?')
      .bind(target.domain)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(1);

    // The signed callback reached the billing system, verifiable with the reference library.
    const callback = await receiver.waitForOne((x) => x.body.includes(id!));
    const payload = new Webhook(STANDARD_SECRETS[0]!).verify(callback.body, callback.headers) as {
      type: string;
      data: { renewalId: string; newExpiry: string; deliveryId: string };
    };
    expect(payload).toMatchObject({
      type: 'domain.renewal.confirmed',
      data: { renewalId: id, deliveryId: d.id, newExpiry: row.new_expiry },
    });
  });

  it('keeps one renewal when the billing system re-sends the same reference under a new delivery id', async () => {
    const target = freshDomain();
    const data = { domain: target.domain, years: 1, account, reference: `INV-${newId('y')}` };
    const first = await post('standard', standardDelivery(event('domain.renew', data)));
    const second = await post('standard', standardDelivery(event('domain.renew', data)));
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const a = (await first.json()) as { renewal: { id: string }; created: boolean };
    const b = (await second.json()) as { renewal: { id: string }; created: boolean };
    expect(b.renewal.id).toBe(a.renewal.id);
    expect([a.created, b.created]).toEqual([true, false]);
    await waitForFinal(a.renewal.id);
    expect(await simRenewals(target.domain)).toHaveLength(1);
  });

  it('renews from a paid Stripe invoice and calls the shop back, signed with the Stripe secret', async () => {
    const target = freshDomain();
    const invoice = `in_${newId('inv')}`;
    const e = {
      id: newId('evt'),
      object: 'event',
      type: 'invoice.paid',
      created: nowSeconds(),
      livemode: false,
      data: {
        object: {
          id: invoice,
          object: 'invoice',
          status: 'paid',
          amount_paid: 1299,
          currency: 'usd',
          metadata: { domain: target.domain, years: '2', account },
        },
      },
    };
    const res = await post('stripe', await stripeDelivery(e));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { renewal: { id: string; years: number } };
    expect(body.renewal.years).toBe(2);
    const row = await waitForFinal(body.renewal.id);
    expect(row.state).toBe('confirmed');
    expect(await simRenewals(target.domain)).toEqual([
      expect.objectContaining({ domain: target.domain, years: 2 }),
    ]);

    const callback = await receiver.waitForOne((x) => x.body.includes(body.renewal.id));
    expect(callback.path).toBe('/hooks/stripe');
    expect(new Webhook(STRIPE_SECRET).verify(callback.body, callback.headers)).toMatchObject({
      type: 'domain.renewal.confirmed',
      data: { reference: invoice, deliveryId: e.id, years: 2 },
    });
    expect(await deliveryRow('stripe', e.id)).toMatchObject({
      event_type: 'domain.renew',
      response_status: 202,
    });
  });

  it('renews from the WHMCS hook payload (reference derived from the invoice and domain ids)', async () => {
    const target = freshDomain();
    const invoiceId = Math.floor(Math.random() * 1e6);
    const d = standardDelivery(
      event('domain.renew', {
        domain: target.domain,
        years: 1,
        expectedExpiry: target.expiresAt!.slice(0, 10),
        whmcs: { invoiceId, domainId: 42, userId: 7 },
      }),
      { secret: WHMCS_SECRET, id: `whmcs-${invoiceId}-1` },
    );
    const res = await post('whmcs', d);
    expect(res.status).toBe(202);
    const { renewal } = (await res.json()) as { renewal: { id: string } };
    await waitForFinal(renewal.id);
    const callback = await receiver.waitForOne((x) => x.body.includes(renewal.id));
    expect(callback.path).toBe('/hooks/whmcs');
    expect(new Webhook(WHMCS_SECRET).verify(callback.body, callback.headers)).toMatchObject({
      data: { reference: `whmcs-invoice-${invoiceId}-domain-42`, state: 'confirmed' },
    });
  });

  it('reports a stale expected expiry as a failed renewal, spending nothing, and calls back', async () => {
    const target = freshDomain();
    const res = await post(
      'standard',
      standardDelivery(
        event('domain.renew', {
          domain: target.domain,
          years: 1,
          expectedExpiry: '2001-01-01',
          account,
          reference: `INV-${newId('z')}`,
        }),
      ),
    );
    expect(res.status).toBe(202);
    const { renewal } = (await res.json()) as { renewal: { id: string } };
    const row = await waitForFinal(renewal.id);
    expect(row.state).toBe('failed');
    expect(await simRenewals(target.domain)).toHaveLength(0);
    const callback = await receiver.waitForOne((x) => x.body.includes(renewal.id));
    expect(JSON.parse(callback.body)).toMatchObject({
      type: 'domain.renewal.failed',
      data: { state: 'failed' },
    });
  });

  it('calls a second billing system back at once for a renewal that is already final', async () => {
    const target = freshDomain();
    const data = { domain: target.domain, years: 1, expectedExpiry: target.expiresAt, account };
    const first = await post(
      'standard',
      standardDelivery(event('domain.renew', { ...data, reference: `INV-${newId('a')}` })),
    );
    const { renewal } = (await first.json()) as { renewal: { id: string } };
    expect((await waitForFinal(renewal.id)).state).toBe('confirmed');

    // WHMCS asks for the same intent (same domain, expected expiry and years) under its own reference.
    const again = standardDelivery(event('domain.renew', { ...data, reference: `whmcs-${newId('b')}` }), {
      secret: WHMCS_SECRET,
    });
    const res = await post('whmcs', again);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      renewal: { id: renewal.id, state: 'confirmed' },
      created: false,
    });
    const callback = await receiver.waitForOne(
      (x) => x.path === '/hooks/whmcs' && x.body.includes(renewal.id),
    );
    expect(new Webhook(WHMCS_SECRET).verify(callback.body, callback.headers)).toMatchObject({
      type: 'domain.renewal.confirmed',
      data: { deliveryId: again.id },
    });
    expect(await simRenewals(target.domain)).toHaveLength(1);
  });

  it('calls back once a delivery replayed while its renewal turns final, though two jobs race to tell it', async () => {
    // The engine's jobs run in this test (same D1, simulator and callback receiver), one at a time,
    // so the replay lands exactly between the final transition and the engine's notification.
    const p = pump();
    const ctx = engine(p.env);
    const target = freshDomain();
    const data = {
      domain: target.domain,
      years: 1,
      expectedExpiry: target.expiresAt,
      account,
      reference: `INV-${newId('race')}`,
    };
    const delivery = () => ({ source: 'standard' as const, deliveryId: newId('msg'), text: '' });
    const first = await renewFromWebhook(ctx, delivery(), { type: 'domain.renew', data });
    for (let i = 0; p.sent[0]?.body.type !== 'renewal.finalized'; i++) {
      if (i > 20 || !(await p.step())) throw new Error('the renewal never reached its finalization job');
    }
    expect((await waitForFinal(first.renewal.id)).state).toBe('confirmed');

    // The billing system sends the same reference again under a new delivery id: it joins the final
    // renewal, and `requestRenewal` queues its notification beside the engine's own.
    const replay = await renewFromWebhook(ctx, delivery(), { type: 'domain.renew', data });
    expect(replay).toMatchObject({ created: false, renewal: { id: first.renewal.id, state: 'confirmed' } });
    expect(p.sent.map((j) => j.body.type)).toEqual(['renewal.finalized', 'renewal.notify']);
    await p.drain();

    const callbacks = (await receiver.received()).filter((r) => r.body.includes(first.renewal.id));
    expect(callbacks).toHaveLength(1);
    expect(new Webhook(STANDARD_SECRETS[0]!).verify(callbacks[0]!.body, callbacks[0]!.headers)).toMatchObject(
      {
        type: 'domain.renewal.confirmed',
        data: { reference: data.reference },
      },
    );
    // A replay once everything was told queues a notification that finds nothing left to tell.
    await renewFromWebhook(ctx, delivery(), { type: 'domain.renew', data });
    await p.drain();
    expect((await receiver.received()).filter((r) => r.body.includes(first.renewal.id))).toHaveLength(1);
    expect(await simRenewals(target.domain)).toHaveLength(1);
  });

  it('refuses a renewal for an account that is not configured, and remembers the refusal', async () => {
    const d = standardDelivery(
      event('domain.renew', { domain: 'example.com', years: 1, account: 'nope', reference: 'INV-nope' }),
    );
    const res = await post('standard', d);
    expect(res.status).toBe(404);
    expect(await deliveryRow('standard', d.id)).toMatchObject({ response_status: 404 });
  });
});

describe('billing webhooks → queries (registrar simulator)', () => {
  it('answers domain.info synchronously with the registrar expiry', async () => {
    const target = domains[0]!;
    const res = await post(
      'standard',
      standardDelivery(event('domain.info', { domain: target.domain, account })),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { account: string; domain: { domain: string; expiresAt: string } };
    expect(body.account).toBe(account);
    expect(body.domain.domain).toBe(target.domain);
    expect(body.domain.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('answers domain.check synchronously: a held name is not available', async () => {
    const held = domains[0]!.domain;
    const res = await post('standard', standardDelivery(event('domain.check', { domain: held, account })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ domain: string; available: boolean }> };
    expect(body.results).toEqual([expect.objectContaining({ domain: held, available: false, account })]);
  });

  it('answers domain.check for several names, an invalid one marked as such', async () => {
    const held = domains[0]!.domain;
    const res = await post(
      'standard',
      standardDelivery(event('domain.check', { domains: [held, 'not a name!'], account })),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: Array<{ domain: string; available: boolean; error?: string }>;
    };
    expect(body.results).toEqual([
      expect.objectContaining({ domain: held, available: false }),
      expect.objectContaining({ domain: 'not a name!', available: null, reason: 'invalid_name' }),
    ]);
  });

  it('answers domain.check for a TLD no configured registrar sells with unknown, never “not available”', async () => {
    // As a sync leaves it: the registrars with a price list sell .com only; the others are asked.
    await setSoldTlds({ logicboxes: ['com'], dynadot: ['com'], mrdomain: ['com'] });
    try {
      const res = await post(
        'standard',
        standardDelivery(event('domain.check', { domain: 'nobody-sells-hook.dev' })),
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: Array<Record<string, unknown>> };
      expect(body.results).toEqual([
        expect.objectContaining({
          domain: 'nobody-sells-hook.dev',
          available: null,
          reason: 'unsupported_tld',
          detail: expect.stringMatching(/^\.dev is not sold by any configured registrar/),
        }),
      ]);
      expect(body.results[0]!.account).toBeUndefined();
    } finally {
      await setSoldTlds();
    }
  });

  it('refuses an invalid domain name naming the field', async () => {
    const res = await post(
      'standard',
      standardDelivery(event('domain.info', { domain: 'not a name', account })),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('data.domain');
  });
});
