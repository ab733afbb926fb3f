/**
 * Billing webhooks in workerd: signatures made by the reference `standardwebhooks` library and by
 * a Stripe-format signer are accepted; every tamper is refused with a problem body and recorded;
 * a replayed delivery gets the first answer back and has no second effect.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { pruneWebhookRecords } from '../../src/core/webhook-deliveries';
import { createApp } from '../../src/handlers/app';
import {
  deliveryRow,
  event,
  newId,
  nowSeconds,
  post,
  rejected,
  rejectionCounts,
  STANDARD_SECRETS,
  STRIPE_SECRET,
  standardDelivery,
  stripeDelivery,
  WHMCS_SECRET,
} from './webhook-client';

const unknownEvent = () => event('invoice.note_added', { note: 'hello' });

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { status: number; kind: string; detail: string };
}

describe('POST /webhooks/billing/standard', () => {
  it('accepts a delivery signed by the standardwebhooks library and records it', async () => {
    const d = standardDelivery(unknownEvent());
    const res = await post('standard', d);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ received: true, type: 'invoice.note_added', handled: false });
    const row = await deliveryRow('standard', d.id);
    expect(row).toMatchObject({ verified: 1, event_type: 'invoice.note_added', response_status: 202 });
  });

  it('accepts the second secret of a rotation, and a header carrying several signatures', async () => {
    const second = standardDelivery(unknownEvent(), { secret: STANDARD_SECRETS[1] });
    expect((await post('standard', second)).status).toBe(202);

    const both = standardDelivery(unknownEvent());
    const wrong = new Webhook(`whsec_${btoa('some-other-secret-entirely-00')}`).sign(
      both.id,
      new Date(both.timestamp * 1000),
      both.body,
    );
    both.headers['webhook-signature'] =
      `${wrong} v2,bm90LWEtc2lnbmF0dXJl ${both.headers['webhook-signature']}`;
    expect((await post('standard', both)).status).toBe(202);
  });

  it('refuses every tamper with a problem body and counts it', async () => {
    const cases: Array<[string, (d: ReturnType<typeof standardDelivery>) => void, number, string]> = [
      [
        'a changed body byte',
        (d) => {
          d.body = d.body.replace('hello', 'hellp');
        },
        401,
        'bad_signature',
      ],
      [
        'a changed timestamp',
        (d) => {
          d.headers['webhook-timestamp'] = String(d.timestamp - 1);
        },
        401,
        'bad_signature',
      ],
      [
        'a changed id',
        (d) => {
          d.headers['webhook-id'] = `${d.id}x`;
        },
        401,
        'bad_signature',
      ],
      [
        'a missing webhook-id',
        (d) => {
          delete d.headers['webhook-id'];
        },
        400,
        'missing_header',
      ],
      [
        'a missing webhook-timestamp',
        (d) => {
          delete d.headers['webhook-timestamp'];
        },
        400,
        'missing_header',
      ],
      [
        'a missing webhook-signature',
        (d) => {
          delete d.headers['webhook-signature'];
        },
        400,
        'missing_header',
      ],
      [
        'a timestamp that is not a number',
        (d) => {
          d.headers['webhook-timestamp'] = 'yesterday';
        },
        400,
        'malformed_header',
      ],
      [
        'a signature without v1',
        (d) => {
          d.headers['webhook-signature'] = 'v1a,abc';
        },
        400,
        'malformed_header',
      ],
    ];
    for (const [name, tamper, status, reason] of cases) {
      const d = standardDelivery(unknownEvent());
      tamper(d);
      const before = await rejected('standard', reason);
      const res = await post('standard', d);
      expect(res.status, name).toBe(status);
      const body = await problem(res);
      expect(body.detail, name).toContain(reason);
      expect(await rejected('standard', reason), name).toBe(before + 1);
      // A refused delivery does not take the id: the genuine one is still processed later.
      expect(await deliveryRow('standard', d.id), name).toBeNull();
    }
  });

  it('refuses a body over 256 KiB with 413 before verifying it', async () => {
    const d = standardDelivery(event('invoice.note_added', { note: 'x'.repeat(300 * 1024) }));
    const before = await rejected('standard', 'body_too_large');
    const res = await post('standard', d);
    expect(res.status).toBe(413);
    expect((await problem(res)).status).toBe(413);
    expect(await rejected('standard', 'body_too_large')).toBe(before + 1);
  });

  it('refuses a delivery signed with a secret that is not configured', async () => {
    const d = standardDelivery(unknownEvent(), { secret: WHMCS_SECRET });
    const res = await post('standard', d);
    expect(res.status).toBe(401);
    // Every 401 of the gateway names a challenge (RFC 7235 §3.1); the problem names the failure.
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="registrar-gateway"');
    expect((await problem(res)).kind).toBe('authentication');
  });

  it('refuses a correctly signed delivery older than 5 minutes, or more than 5 minutes ahead', async () => {
    const old = standardDelivery(unknownEvent(), { timestamp: nowSeconds() - 6 * 60 });
    const res = await post('standard', old);
    expect(res.status).toBe(401);
    expect((await problem(res)).detail).toContain('stale_timestamp');
    const ahead = standardDelivery(unknownEvent(), { timestamp: nowSeconds() + 6 * 60 });
    expect((await post('standard', ahead)).status).toBe(401);
    // Within the window it is fine.
    expect(
      (await post('standard', standardDelivery(unknownEvent(), { timestamp: nowSeconds() - 240 }))).status,
    ).toBe(202);
  });

  it('answers a duplicate delivery id with the first answer and no second record', async () => {
    const d = standardDelivery(event('domain.renew', { domain: 'example.com', years: 0 }));
    const first = await post('standard', d);
    const firstBody = await first.text();
    expect(first.status).toBe(400);
    const again = await post('standard', d);
    expect(again.status).toBe(400);
    expect(again.headers.get('webhook-replayed')).toBe('true');
    expect(await again.text()).toBe(firstBody);
    const { results } = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM webhook_deliveries WHERE source = ? AND delivery_id = ?',
    )
      .bind('standard', d.id)
      .all<{ n: number }>();
    expect(results[0]!.n).toBe(1);
  });

  it('refuses a signed body that is not an event, and remembers the answer', async () => {
    const d = standardDelivery('{"type": 12}');
    const res = await post('standard', d);
    expect(res.status).toBe(400);
    expect((await problem(res)).kind).toBe('invalid_request');
    expect(await deliveryRow('standard', d.id)).toMatchObject({ response_status: 400 });
    const notJson = standardDelivery('this is not json');
    expect((await post('standard', notJson)).status).toBe(400);
  });

  it('never echoes a secret or a signature in a refusal', async () => {
    const d = standardDelivery(unknownEvent());
    d.body += ' ';
    const text = await (await post('standard', d)).text();
    for (const s of [...STANDARD_SECRETS, d.headers['webhook-signature']!.slice(3)])
      expect(text).not.toContain(s);
  });
});

describe('POST /webhooks/billing/stripe', () => {
  const stripeEvent = (type: string, object: Record<string, unknown>) => ({
    id: newId('evt'),
    object: 'event',
    type,
    created: nowSeconds(),
    livemode: false,
    data: { object },
  });

  it('accepts a Stripe-signed event and keys it by the event id', async () => {
    const e = stripeEvent('customer.created', { id: 'cus_1', object: 'customer' });
    const res = await post('stripe', await stripeDelivery(e));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ received: true, type: 'customer.created', handled: false });
    expect(await deliveryRow('stripe', e.id)).toMatchObject({ verified: 1, response_status: 202 });
  });

  it('acknowledges a paid event without domain metadata, and an unpaid checkout, without effect', async () => {
    const plain = stripeEvent('invoice.paid', { id: 'in_1', object: 'invoice', metadata: {} });
    const res = await post('stripe', await stripeDelivery(plain));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ handled: false, reason: expect.stringContaining('no domain') });
    const unpaid = stripeEvent('checkout.session.completed', {
      id: 'cs_1',
      payment_status: 'unpaid',
      metadata: { domain: 'example.com', years: '1' },
    });
    const res2 = await post('stripe', await stripeDelivery(unpaid));
    expect(res2.status).toBe(202);
    expect(await res2.json()).toMatchObject({ handled: false, reason: expect.stringContaining('not paid') });
  });

  it('refuses tampered, stale, wrongly keyed and unsigned events', async () => {
    const e = stripeEvent('customer.created', { id: 'cus_2' });
    const good = await stripeDelivery(e);
    const reasons = ['bad_signature', 'stale_timestamp', 'missing_header', 'malformed_header'];
    const countsOf = async () =>
      Object.fromEntries(await Promise.all(reasons.map(async (r) => [r, await rejected('stripe', r)])));
    const before = await countsOf();
    const tampered = { ...good, body: good.body.replace('cus_2', 'cus_3') };
    expect((await post('stripe', tampered)).status).toBe(401);
    const stale = await stripeDelivery(e, { timestamp: nowSeconds() - 301 - 5 });
    expect((await post('stripe', stale)).status).toBe(401);
    const wrongKey = await stripeDelivery(e, { secret: 'whsec_not_the_configured_one_000' });
    expect((await post('stripe', wrongKey)).status).toBe(401);
    const unsigned = { ...good, headers: { 'content-type': 'application/json' } };
    expect((await post('stripe', unsigned)).status).toBe(400);
    const v0Only = { ...good, headers: { ...good.headers, 'stripe-signature': `t=${nowSeconds()},v0=abcd` } };
    expect((await post('stripe', v0Only)).status).toBe(400);
    expect(await countsOf()).toEqual({
      bad_signature: before.bad_signature + 2,
      stale_timestamp: before.stale_timestamp + 1,
      missing_header: before.missing_header + 1,
      malformed_header: before.malformed_header + 1,
    });
    // None of them took the event id: the genuine delivery is still processed.
    expect((await post('stripe', good)).status).toBe(202);
  });

  it('accepts any of several v1 signatures (Stripe secret rotation)', async () => {
    const e = stripeEvent('customer.created', { id: 'cus_4' });
    const good = await stripeDelivery(e);
    const ts = /t=(\d+)/.exec(good.headers['stripe-signature']!)![1];
    good.headers['stripe-signature'] =
      `t=${ts},v1=${'0'.repeat(64)},${good.headers['stripe-signature']!.split(',')[1]}`;
    expect((await post('stripe', good)).status).toBe(202);
    expect(STRIPE_SECRET).toMatch(/^whsec_/);
  });
});

describe('sources', () => {
  it('is listed in the OpenAPI document', async () => {
    const doc = (await (await SELF.fetch('http://gateway.test/openapi.json')).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/webhooks/billing/{source}']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '401', '404']),
    );
  });

  it('accepts a WHMCS delivery signed the standard way with the WHMCS secret only', async () => {
    const d = standardDelivery(unknownEvent(), { secret: WHMCS_SECRET });
    expect((await post('whmcs', d)).status).toBe(202);
    const wrong = standardDelivery(unknownEvent(), { secret: STANDARD_SECRETS[0] });
    expect((await post('whmcs', wrong)).status).toBe(401);
  });

  it('answers 404 for an unknown source and for a source with no secret configured', async () => {
    const res = await post('blesta', standardDelivery(unknownEvent()));
    expect(res.status).toBe(404);
    expect((await problem(res)).kind).toBe('not_found');

    const app = createApp();
    // A source is unconfigured when neither its secret nor its callback URL is set (one without the
    // other is a configuration error: src/env.ts).
    const withoutWhmcs = { ...env, WEBHOOK_SECRET_WHMCS: undefined, WEBHOOK_CALLBACK_URL_WHMCS: undefined };
    const ctx = createExecutionContext();
    const d = standardDelivery(unknownEvent(), { secret: WHMCS_SECRET });
    const res2 = await app.fetch(
      new Request('http://gateway.test/webhooks/billing/whmcs', {
        method: 'POST',
        headers: d.headers,
        body: d.body,
      }),
      withoutWhmcs,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res2.status).toBe(404);
  });
});

describe('refusal counts', () => {
  it('counts a flood of 50 forged deliveries in one row per minute, not 50 rows', async () => {
    await env.DB.prepare("DELETE FROM webhook_rejection_counts WHERE source = 'whmcs'").run();
    const minuteBefore = new Date().toISOString().slice(0, 16);
    const forged = Array.from({ length: 50 }, () =>
      standardDelivery(unknownEvent(), { secret: `whsec_${btoa('a-forger-guessing-the-secret')}` }),
    );
    const answers = await Promise.all(forged.map((d) => post('whmcs', d)));
    for (const res of answers) {
      expect(res.status).toBe(401);
      await res.body?.cancel();
    }
    const minuteAfter = new Date().toISOString().slice(0, 16);
    const rows = await rejectionCounts('whmcs');
    const forgedIds = new Set(forged.map((d) => d.id));
    if (minuteBefore === minuteAfter) {
      expect(rows).toEqual([
        {
          source: 'whmcs',
          reason: 'bad_signature',
          minute: minuteBefore,
          count: 50,
          last_claimed_id: expect.any(String),
        },
      ]);
    } else {
      // The flood straddled a minute boundary: two rows, still counting all 50.
      expect(rows.map((r) => r.minute)).toEqual([minuteBefore, minuteAfter]);
      expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(50);
    }
    for (const row of rows) expect(forgedIds.has(row.last_claimed_id!)).toBe(true);
  });
});

describe('retention', () => {
  it('prunes deliveries older than 90 days and refusals older than 30, keeping recent ones', async () => {
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    const recent = standardDelivery(unknownEvent());
    expect((await post('standard', recent)).status).toBe(202);
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO webhook_deliveries (source, delivery_id, received_at, verified, response_status, response_body)
         VALUES ('standard', 'old-answered', ?, 1, 202, '{}'), ('standard', 'old-unanswered', ?, 1, NULL, NULL)`,
      ).bind(old, old),
      env.DB.prepare(
        `INSERT INTO webhook_rejection_counts (source, reason, minute, count, last_claimed_id, last_at)
         VALUES ('standard', 'bad_signature', ?, 7, 'forged-old', ?)`,
      ).bind(old.slice(0, 16), old),
    ]);
    const pruned = await pruneWebhookRecords(env.DB);
    expect(pruned.deliveries).toBe(2);
    expect(pruned.rejections).toBe(1);
    expect(await deliveryRow('standard', 'old-answered')).toBeNull();
    expect(await deliveryRow('standard', 'old-unanswered')).toBeNull();
    expect(await deliveryRow('standard', recent.id)).not.toBeNull();
  });
});
