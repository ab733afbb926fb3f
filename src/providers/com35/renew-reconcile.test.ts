/**
 * The renewal reconciliation cases the worker tests cannot stage: the provider (built exactly as
 * the worker builds it, with the real fetch) → an in-process bridge → the simulator, with the
 * reply held longer than the worker or the bridge waits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCom35Simulator, startCom35Simulator } from '../../../sim/com35/start';
import { silentLogger } from '../../core/log';
import { type RunningBridge, startBridge } from '../../tcp-bridge/server';
import { accountOf, com35Of, failure } from '../../tcp-bridge/test-harness';
import { com35 } from './provider';

const SECRET = 'reconcile-test-secret-0123456789';
let sim: RunningCom35Simulator;
let bridge: RunningBridge;

beforeAll(async () => {
  sim = await startCom35Simulator();
  bridge = await startBridge({
    accounts: { com35: com35Of(sim) },
    secret: SECRET,
    logger: silentLogger,
    poolSize: 2,
    readTimeoutMs: 400,
  });
});
afterAll(async () => {
  await bridge.close();
  await sim.close();
});
beforeEach(async () => {
  await fetch(`${sim.controlUrl}/__sim/reset`, { method: 'POST' });
});

function provider(timeoutMs: number) {
  const config = com35.parseConfig({
    BRIDGE_URL: bridge.url,
    BRIDGE_SECRET: SECRET,
    COM35_BRIDGE_TIMEOUT_MS: String(timeoutMs),
  });
  return com35.create('com35', config, { fetch: globalThis.fetch, logger: silentLogger });
}

const fault = (rule: unknown) =>
  fetch(`${sim.controlUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });

function expiry(): string {
  const d = sim.registrar.domains.get('sim-info.info')!;
  return `${d.exDate}T00:00:00.000Z`;
}

describe('com35 renew when the reply is late', () => {
  it('stays outcome_unknown when the worker gave up while the bridge still waits, though the expiry is unchanged so far', async () => {
    // A bridge that waits longer for 35.com than the worker waits for the bridge.
    const patient = await startBridge({
      accounts: { com35: com35Of(sim) },
      secret: SECRET,
      logger: silentLogger,
      poolSize: 2,
      readTimeoutMs: 10_000,
    });
    try {
      const before = expiry();
      await fault({ fault: { kind: 'delay', ms: 1_500 }, match: 'RenewDomain' });
      const config = com35.parseConfig({
        BRIDGE_URL: patient.url,
        BRIDGE_SECRET: SECRET,
        COM35_BRIDGE_TIMEOUT_MS: '1000',
      });
      const p = com35.create('com35', config, { fetch: globalThis.fetch, logger: silentLogger });
      const e = await failure(p.renew('sim-info.info', { years: 1, expectedExpiry: before }, {}));
      expect(e.kind).toBe('outcome_unknown');
      expect(expiry()).toBe(before);
      // Which was the honest answer: the renewal was still on its way and lands afterwards.
      const until = Date.now() + 5_000;
      while (sim.registrar.renewals.length === 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(sim.registrar.renewals).toHaveLength(1);
    } finally {
      await patient.close();
    }
  });

  it('stays outcome_unknown after a bridge read timeout with the expiry unchanged', async () => {
    await fault({ fault: { kind: 'delay', ms: 800 }, match: 'RenewDomain' });
    const e = await failure(
      provider(5_000).renew('sim-info.info', { years: 1, expectedExpiry: expiry() }, {}),
    );
    expect(e).toMatchObject({ kind: 'outcome_unknown', retryable: false });
  });

  it('confirms after a bridge read timeout when the re-read shows the new expiry', async () => {
    const before = expiry();
    await fault({ fault: { kind: 'timeout_after', ms: 1_000 }, match: 'RenewDomain' });
    const r = await provider(5_000).renew('sim-info.info', { years: 1, expectedExpiry: before }, {});
    expect(r).toMatchObject({ outcome: 'confirmed', ref: { reconciled: 'true' } });
    expect(sim.registrar.renewals).toHaveLength(1);
  });

  it('never sends one renewal twice: a second renew of it is outcome_unknown, never not_sent or failed', async () => {
    const before = expiry();
    // The first send is dropped unread by 35.com: provably not renewed, so the provider says transport.
    await fault({ fault: { kind: 'drop_before' }, match: 'RenewDomain' });
    const p = provider(5_000);
    const renewal = { idempotencyKey: 'rnw_0123456789abcdef0123456789abcdef' };
    const first = await failure(p.renew('sim-info.info', { years: 1, expectedExpiry: before }, renewal));
    expect(first).toMatchObject({ kind: 'transport' });
    // The same renewal again (a redelivered job, a replay): the bridge refuses to send its cltrid
    // a second time, and the provider, which cannot know what the first send did, says unknown.
    const second = await failure(p.renew('sim-info.info', { years: 1, expectedExpiry: before }, renewal));
    expect(second).toMatchObject({ kind: 'outcome_unknown', retryable: false, notSent: false });
    expect(second.message).toMatch(/an earlier send of this renewal reached 35\.com/);
    // The dropped send never reached the simulator's parser; the refused one never left the bridge.
    expect(sim.registrar.counters.commands.RenewDomain ?? 0).toBe(0);
    expect(bridge.metrics.render()).toMatch(/com35_bridge_refusals_total\{reason="already_sent"\} 1/);
    expect(sim.registrar.renewals).toHaveLength(0);
    // Another renewal of the same domain is its own intent and goes through.
    const other = await p.renew(
      'sim-info.info',
      { years: 1, expectedExpiry: before },
      { idempotencyKey: 'rnw_fedcba9876543210fedcba9876543210' },
    );
    expect(other).toMatchObject({ outcome: 'confirmed' });
    expect(sim.registrar.counters.commands.RenewDomain).toBe(1);
    expect(sim.registrar.renewals).toHaveLength(1);
  });

  it('is not_sent, never outcome_unknown, when the bridge gave up on a free session before sending it', async () => {
    // One session, and a short wait for it: the pre-read takes 0.3 s, a balance read queued
    // behind it then holds the session for 2.5 s, and the renew waits past the bridge's 0.6 s.
    const busy = await startBridge({
      accounts: { com35: com35Of(sim) },
      secret: SECRET,
      logger: silentLogger,
      poolSize: 1,
      queueMax: 1,
      queueTimeoutMs: 600,
    });
    try {
      const config = com35.parseConfig({ BRIDGE_URL: busy.url, BRIDGE_SECRET: SECRET });
      const p = com35.create('com35', config, { fetch: globalThis.fetch, logger: silentLogger });
      await fault([
        { fault: { kind: 'delay', ms: 300 }, match: 'InfoDomain' },
        { fault: { kind: 'delay', ms: 2_500 }, match: 'GetAccountBalance' },
      ]);
      const before = expiry();
      const renewing = failure(p.renew('sim-info.info', { years: 1, expectedExpiry: before }, {}));
      const until = Date.now() + 5_000;
      while (accountOf(busy).pool.status().inFlight === 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 10));
      const holding = p.getBalance({});
      const e = await renewing;
      await holding;
      expect(e).toMatchObject({ kind: 'upstream_unavailable', notSent: true, retryable: true });
      expect(sim.registrar.renewals).toHaveLength(0);
      expect(expiry()).toBe(before);
    } finally {
      await busy.close();
    }
  });
});
