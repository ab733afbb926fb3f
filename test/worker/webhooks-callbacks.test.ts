/**
 * Outbound billing callbacks: a final renewal that a webhook asked for is POSTed to the source's
 * callback URL (the stand-in billing system on 127.0.0.1), signed the Standard Webhooks way so
 * that the reference library verifies it, retried with backoff through the queue, and every
 * attempt is recorded in D1.
 */
import { env } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/core/log';
import { getRenewal, type Renewal } from '../../src/core/renewals';
import { subscribersOf, subscribeStatement } from '../../src/core/renewals/subscribers';
import { billingSubscriber, CALLBACK_JOB, runCallbackJob } from '../../src/core/webhook-callbacks';
import type { BillingSource, Env } from '../../src/env';
import { notifier } from '../../src/index';
import { newId, receiver, STANDARD_SECRETS, WHMCS_SECRET } from './webhook-client';

const workerEnv = env as unknown as Env;

/**
 * A renewal row in its final state, as the engine leaves it (the engine's own tests cover how it
 * gets there; the end-to-end test in webhooks-renewals.test.ts covers the whole path).
 */
async function finalRenewal(state: string, extra: { newExpiry?: string; reason?: string } = {}) {
  const id = newId('rnw');
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO renewals (id, domain, account, expected_expiry, years, idempotency_key, request_hash, state, reason,
       source, actor, new_expiry, charged_amount, charged_currency, created_at, updated_at)
     VALUES (?, ?, 'dynadot', '2027-03-01', 2, NULL, 'h', ?, ?, 'webhook', 'standard:x', ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      `${id.replace(/_/g, '-')}.com`,
      state,
      extra.reason ?? null,
      extra.newExpiry ?? null,
      extra.newExpiry ? '17.50' : null,
      extra.newExpiry ? 'USD' : null,
      now,
      now,
    )
    .run();
  return id;
}

/** A final renewal that a delivery of `source` asked for, subscribed as `requestRenewal` subscribes it. */
async function webhookRenewal(
  state: string,
  link: { source: BillingSource; deliveryId: string; reference: string },
  extra: { newExpiry?: string; reason?: string } = {},
) {
  const id = await finalRenewal(state, extra);
  await env.DB.batch([subscribeStatement(env.DB, id, billingSubscriber(link), new Date().toISOString())]);
  return id;
}

/** What the engine does when a renewal is final, for its billing subscribers: how many were told. */
async function enqueueBillingCallbacks(e: Env, r: { id: string; state: string }, logger = silentLogger) {
  const renewal = { ...(await getRenewal(env.DB, r.id)), state: r.state } as Renewal;
  let told = 0;
  for (const s of await subscribersOf(env.DB, r.id))
    if (await notifier.tellSubscriber(e, renewal, s, logger)) told++;
  return told;
}

async function attempts(renewalId: string) {
  const { results } = await env.DB.prepare(
    'SELECT attempt, http_status, outcome, message_id FROM webhook_callback_attempts WHERE renewal_id = ? ORDER BY attempt',
  )
    .bind(renewalId)
    .all<{ attempt: number; http_status: number | null; outcome: string; message_id: string }>();
  return results;
}

async function waitForAttempts(renewalId: string, n: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await attempts(renewalId);
    if (list.length >= n) return list;
    if (Date.now() > deadline) throw new Error(`only ${list.length} attempts recorded`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('billing callbacks', () => {
  beforeEach(async () => {
    await receiver.clear();
  });

  it('POSTs a confirmed renewal to the source callback URL, signed so the reference library verifies it', async () => {
    const id = await webhookRenewal(
      'confirmed',
      { source: 'standard', deliveryId: 'msg_cb_1', reference: 'INV-1001' },
      { newExpiry: '2029-03-01T00:00:00.000Z' },
    );
    expect(await enqueueBillingCallbacks(workerEnv, { id, state: 'confirmed' }, silentLogger)).toBe(1);
    // A retried finalization job does not queue a second callback.
    expect(await enqueueBillingCallbacks(workerEnv, { id, state: 'confirmed' }, silentLogger)).toBe(0);

    const got = await receiver.waitForOne((x) => x.body.includes(id));
    expect(got.path).toBe('/hooks/standard');
    const payload = new Webhook(STANDARD_SECRETS[0]!).verify(got.body, got.headers);
    expect(payload).toEqual({
      type: 'domain.renewal.confirmed',
      timestamp: expect.any(String),
      data: {
        renewalId: id,
        domain: expect.stringMatching(/\.com$/),
        years: 2,
        state: 'confirmed',
        expectedExpiry: '2027-03-01',
        newExpiry: '2029-03-01T00:00:00.000Z',
        charged: { amount: '17.50', currency: 'USD' },
        reference: 'INV-1001',
        deliveryId: 'msg_cb_1',
      },
    });
    // `<renewal id>_<state>`: the renewal id already starts with `rnw_`.
    expect(got.headers['webhook-id']).toBe(`${id}_confirmed`);
    expect(got.headers['webhook-id']).not.toMatch(/^rnw_rnw_/);
    // Both secrets of the rotation verify it.
    expect(new Webhook(STANDARD_SECRETS[1]!).verify(got.body, got.headers)).toMatchObject({
      data: { renewalId: id },
    });
    expect(await waitForAttempts(id, 1)).toEqual([
      { attempt: 1, http_status: 200, outcome: 'delivered', message_id: `${id}_confirmed` },
    ]);
  });

  it('retries a failing receiver with backoff through the queue, recording each attempt, same webhook-id', async () => {
    await receiver.fail(2, 503);
    const id = await webhookRenewal(
      'failed',
      { source: 'whmcs', deliveryId: 'whmcs-7-9', reference: 'whmcs-invoice-7' },
      { reason: 'the registrar refused: domain locked' },
    );
    await enqueueBillingCallbacks(workerEnv, { id, state: 'failed' }, silentLogger);

    const list = await waitForAttempts(id, 3, 25_000);
    expect(list.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
      [1, 503, 'retry_scheduled'],
      [2, 503, 'retry_scheduled'],
      [3, 200, 'delivered'],
    ]);
    const got = (await receiver.received()).filter((r) => r.body.includes(id));
    expect(got.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(got.map((r) => r.headers['webhook-id']))).toEqual(new Set([`${id}_failed`]));
    // Signed with the WHMCS secret, since the WHMCS source asked for this renewal.
    const last = got.at(-1)!;
    expect(new Webhook(WHMCS_SECRET).verify(last.body, last.headers)).toMatchObject({
      type: 'domain.renewal.failed',
      data: { reason: 'the registrar refused: domain locked', reference: 'whmcs-invoice-7' },
    });
  });

  it('gives up after WEBHOOK_CALLBACK_MAX_ATTEMPTS and records it', async () => {
    await receiver.fail(1, 500);
    const id = await webhookRenewal(
      'needs_attention',
      { source: 'standard', deliveryId: 'm2', reference: 'INV-2' },
      { reason: 'expiry did not move' },
    );
    const limited = { ...workerEnv, WEBHOOK_CALLBACK_MAX_ATTEMPTS: '2' } as Env;
    await runCallbackJob(
      { type: CALLBACK_JOB, renewalId: id, source: 'standard', attempt: 2 },
      limited,
      silentLogger,
    );
    expect(await attempts(id)).toEqual([
      { attempt: 2, http_status: 500, outcome: 'gave_up', message_id: `${id}_needs_attention` },
    ]);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await receiver.received()).filter((r) => r.body.includes(id))).toHaveLength(1);
  });

  it('sends nothing for a renewal no webhook asked for, or one not final yet', async () => {
    const notLinked = await finalRenewal('confirmed');
    expect(
      await enqueueBillingCallbacks(workerEnv, { id: notLinked, state: 'confirmed' }, silentLogger),
    ).toBe(0);
    const running = await webhookRenewal('submitting', {
      source: 'standard',
      deliveryId: 'm',
      reference: 'r',
    });
    expect(await enqueueBillingCallbacks(workerEnv, { id: running, state: 'submitting' }, silentLogger)).toBe(
      0,
    );
  });

  it('stores and logs a callback URL without its user-info or query string, answered or not', async () => {
    const credentials = ['hook-user', 'hook-pass-0001', 'cb-query-token-0001'];
    const withCredentials = (base: string) => {
      const url = new URL('/hooks/standard', base);
      url.username = 'hook-user';
      url.password = 'hook-pass-0001';
      url.search = '?token=cb-query-token-0001';
      return url.href;
    };
    // The stand-in receiver, and a port nothing listens on (a fetch error that may quote the URL).
    for (const base of [receiver.base, 'http://127.0.0.1:1']) {
      const config = {
        ...workerEnv,
        WEBHOOK_CALLBACK_URL_STANDARD: withCredentials(base),
        // One attempt: nothing is queued to run later with this test's configuration.
        WEBHOOK_CALLBACK_MAX_ATTEMPTS: '1',
      } as Env;
      const id = await webhookRenewal('confirmed', {
        source: 'standard',
        deliveryId: 'm-url',
        reference: 'I-URL',
      });
      const lines: string[] = [];
      const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
      await runCallbackJob(
        { type: CALLBACK_JOB, renewalId: id, source: 'standard', attempt: 1 },
        config,
        logger,
      );

      const { results } = await env.DB.prepare(
        'SELECT url, error, outcome FROM webhook_callback_attempts WHERE renewal_id = ?',
      )
        .bind(id)
        .all<{ url: string; error: string | null; outcome: string }>();
      expect(
        results.map((r) => r.url),
        base,
      ).toEqual([`${new URL(base).origin}/hooks/standard`]);
      expect(lines.length, base).toBeGreaterThan(0);
      const recorded = JSON.stringify(results) + lines.join('\n');
      for (const part of credentials) expect(recorded, base).not.toContain(part);
    }
  });
});
