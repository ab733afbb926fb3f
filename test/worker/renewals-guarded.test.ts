/**
 * Renewals at registrars with a current-expiry guard (LogicBoxes `exp-date`) and an asynchronous
 * one (Alibaba tasks): resubmission only after the expiry is read unchanged, polling of tasks.
 * Effects are counted at the simulators.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAccounts } from '../../src/core/accounts';
import { requestRenewal } from '../../src/core/renewals';
import { type Env, loadConfig } from '../../src/env';
import { sim, workerEnv } from './helpers';
import {
  daysFromNow,
  getRenewalApi,
  pump,
  quietLogger,
  seedDomain,
  upstreamRenewals,
} from './renewals-support';

const configured = new Set(loadConfig(workerEnv).accounts.map((a) => a.name));

function engine(e: Env) {
  return { env: e, accounts: createAccounts(e, loadConfig(e), quietLogger), logger: quietLogger };
}

async function start(p: ReturnType<typeof pump>, domain: string, expectedExpiry: string, account: string) {
  const { renewal } = await requestRenewal(engine(p.env), {
    domain,
    years: 1,
    expectedExpiry,
    account,
    source: 'webhook',
    actor: 'billing:evt_1',
  });
  await p.drain();
  return getRenewalApi(renewal.id);
}

describe.skipIf(!configured.has('logicboxes'))('renewals at LogicBoxes (exp-date guard)', () => {
  beforeEach(async () => {
    await sim('logicboxes').reset();
  });

  for (const fault of [
    { kind: 'drop_before' },
    { kind: 'http_status', status: 500 },
    { kind: 'garbage' },
  ] as const) {
    it(`${fault.kind} (nothing renewed) → unchanged three times → one guarded resubmission → confirmed`, async () => {
      const domain = `lb-${fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(11);
      await seedDomain('logicboxes', domain, expiresAt);
      await sim('logicboxes').faults({ fault, match: 'domains/renew' });
      const r = await start(pump(), domain, expiresAt, 'logicboxes');
      expect(r.state).toBe('confirmed');
      expect(r.attempts).toBe(2);
      expect(r.history.map((e) => e.action)).toEqual(
        expect.arrayContaining(['outcome_unknown', 'reconcile', 'resubmit', 'confirm']),
      );
      expect(await upstreamRenewals('logicboxes', domain)).toHaveLength(1);
    });
  }

  for (const fault of [{ kind: 'drop_after' }, { kind: 'truncate' }] as const) {
    it(`${fault.kind} (renewed, reply lost) → reconciled from the expiry → confirmed, no resubmission`, async () => {
      const domain = `lb-${fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(11);
      await seedDomain('logicboxes', domain, expiresAt);
      await sim('logicboxes').faults({ fault, match: 'domains/renew' });
      const r = await start(pump(), domain, expiresAt, 'logicboxes');
      expect(r.state).toBe('confirmed');
      expect(r.attempts).toBe(1);
      expect(await upstreamRenewals('logicboxes', domain)).toHaveLength(1);
    });
  }

  it('a registrar that keeps failing without acting ends in needs_attention after the submission bound', async () => {
    const domain = 'lb-always-down.com';
    const expiresAt = daysFromNow(11);
    await seedDomain('logicboxes', domain, expiresAt);
    await sim('logicboxes').faults({
      fault: { kind: 'http_status', status: 503 },
      match: 'domains/renew',
      times: 0,
    });
    const r = await start(pump(), domain, expiresAt, 'logicboxes');
    expect(r.state).toBe('needs_attention');
    expect(r.attempts).toBe(3);
    expect(await upstreamRenewals('logicboxes', domain)).toHaveLength(0);
  });
});

describe.skipIf(!configured.has('alibaba'))('renewals at Alibaba (asynchronous tasks)', () => {
  beforeEach(async () => {
    await sim('alibaba').reset();
  });

  it('keeps the task number while the task runs and confirms when it finishes', async () => {
    const expiresAt = daysFromNow(10);
    await seedDomain('alibaba', 'ali-slow.com', expiresAt);
    await sim('alibaba').call('config', { taskDelayMs: 2_500 });
    const p = pump({
      ALIBABA_TASK_POLL_INTERVAL_MS: '100',
      ALIBABA_TASK_POLL_ATTEMPTS: '2',
      RENEWAL_RECONCILE_DELAYS: '1',
    });
    const r = await start(p, 'ali-slow.com', expiresAt, 'alibaba');
    expect(r.state).toBe('confirmed');
    expect(r.history.map((e) => e.to)).toContain('pending');
    expect(r.upstreamRef?.taskNo).toMatch(/.+/);
    expect(await upstreamRenewals('alibaba', 'ali-slow.com')).toHaveLength(1);
  });
});
