/**
 * Renewals at registrars with a current-expiry guard (LogicBoxes `exp-date`) and an asynchronous
 * one (Alibaba tasks): resubmission only after the expiry is read unchanged, polling of tasks.
 * Effects are counted at the simulators.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { requestRenewal } from '../../src/core/renewals';
import { sim, workerEnv } from './helpers';
import { daysFromNow, engine, getRenewalApi, pump, seedDomain, upstreamRenewals } from './renewals-support';

/** A billing webhook's intent, recorded and queued (not yet run). */
async function request(p: ReturnType<typeof pump>, domain: string, expectedExpiry: string, account: string) {
  const { renewal } = await requestRenewal(engine(p.env), {
    domain,
    years: 1,
    expectedExpiry,
    account,
    source: 'webhook',
    actor: 'billing:evt_1',
  });
  return renewal;
}

async function start(p: ReturnType<typeof pump>, domain: string, expectedExpiry: string, account: string) {
  const renewal = await request(p, domain, expectedExpiry, account);
  await p.drain();
  return getRenewalApi(renewal.id);
}

describe('renewals at LogicBoxes (exp-date guard)', () => {
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

  it('a resubmission whose pre-checks cannot reach the registrar ends in needs_attention, never failed', async () => {
    const domain = 'lb-resubmit-unreachable.com';
    const expiresAt = daysFromNow(11);
    await seedDomain('logicboxes', domain, expiresAt);
    await sim('logicboxes').faults({ fault: { kind: 'drop_before' }, match: 'domains/renew' });
    const p = pump({ RENEWAL_MAX_PRECHECK_ATTEMPTS: '4' });
    const renewal = await request(p, domain, expiresAt, 'logicboxes');
    // Up to the second unchanged read of the lost submission.
    const unchangedReads = async () =>
      (await workerEnv.DB.prepare('SELECT unchanged_reads FROM renewals WHERE id = ?')
        .bind(renewal.id)
        .first<number>('unchanged_reads')) ?? 0;
    while ((await unchangedReads()) < 2) expect(await p.step()).toBe(true);
    // The third read answers (slowly), then the registrar is unreachable: the resubmission's
    // pre-checks never get through.
    await sim('logicboxes').faults([
      { fault: { kind: 'delay', ms: 1 }, match: 'domains/details' },
      { fault: { kind: 'http_status', status: 503 }, match: 'domains/details', times: 0 },
    ]);
    await p.drain();
    const r = await getRenewalApi(renewal.id);
    // The first submission's reply was lost: a late landing is still possible, so "failed" (which
    // tells the caller nothing was spent) would be a lie.
    expect(r.state).toBe('needs_attention');
    expect(r.reason).toMatch(/^resubmission stopped: the registrar could not be reached for the pre-checks/);
    expect(r.history.map((e) => e.action)).toEqual(
      expect.arrayContaining(['resubmit', 'precheck_unavailable']),
    );
    expect(await upstreamRenewals('logicboxes', domain)).toHaveLength(0);
  });
});

describe('renewals at Alibaba (asynchronous tasks)', () => {
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

  for (const fault of [
    { kind: 'drop_before' },
    { kind: 'http_status', status: 502 },
    { kind: 'garbage' },
    { kind: 'html' },
  ] as const) {
    it(`${fault.kind} on the renew task (nothing created) → guarded resubmission → confirmed once`, async () => {
      const domain = `ali-${fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(10);
      await seedDomain('alibaba', domain, expiresAt);
      await sim('alibaba').faults({ fault, match: 'SaveSingleTaskForCreatingOrderRenew' });
      const r = await start(pump({ ALIBABA_TASK_POLL_INTERVAL_MS: '100' }), domain, expiresAt, 'alibaba');
      expect(r.state).toBe('confirmed');
      expect(r.attempts).toBe(2);
      expect(await upstreamRenewals('alibaba', domain)).toHaveLength(1);
    });
  }

  it('drop_after on the renew task (task created, reply lost) → waits for the task → confirmed, no resubmission', async () => {
    const domain = 'ali-drop-after.com';
    const expiresAt = daysFromNow(10);
    await seedDomain('alibaba', domain, expiresAt);
    await sim('alibaba').faults({
      fault: { kind: 'drop_after' },
      match: 'SaveSingleTaskForCreatingOrderRenew',
    });
    await sim('alibaba').call('config', { taskDelayMs: 2_000 });
    const r = await start(
      pump({
        ALIBABA_TASK_POLL_INTERVAL_MS: '100',
        RENEWAL_RECONCILE_DELAYS: '1',
        RENEWAL_DECIDE_AFTER_SECONDS: '4',
      }),
      domain,
      expiresAt,
      'alibaba',
    );
    expect(r.state).toBe('confirmed');
    expect(r.attempts).toBe(1);
    expect(await upstreamRenewals('alibaba', domain)).toHaveLength(1);
  });

  it('even resubmissions before the first task ran cannot renew twice: the guard refuses them', async () => {
    const domain = 'ali-early-resubmit.com';
    const expiresAt = daysFromNow(10);
    await seedDomain('alibaba', domain, expiresAt);
    await sim('alibaba').faults({
      fault: { kind: 'drop_after' },
      match: 'SaveSingleTaskForCreatingOrderRenew',
    });
    await sim('alibaba').call('config', { taskDelayMs: 60_000 });
    // Decide at once (no waiting): the worst case, every resubmission while the first task is queued.
    const r = await start(
      pump({ ALIBABA_TASK_POLL_INTERVAL_MS: '50', ALIBABA_TASK_POLL_ATTEMPTS: '1' }),
      domain,
      expiresAt,
      'alibaba',
    );
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    await sim('alibaba').call('settle');
    expect(await upstreamRenewals('alibaba', domain)).toHaveLength(1);
    // The engine could not prove the outcome within its checks, and says so instead of guessing.
    expect(r.state).toBe('needs_attention');
  });

  it('a task the registrar fails (no funds) on the first submission → failed, nothing renewed', async () => {
    const domain = 'ali-no-funds.com';
    const expiresAt = daysFromNow(10);
    await seedDomain('alibaba', domain, expiresAt);
    await sim('alibaba').call('config', { balance: '0.00', taskDelayMs: 500 });
    const r = await start(
      pump({
        ALIBABA_TASK_POLL_INTERVAL_MS: '50',
        ALIBABA_TASK_POLL_ATTEMPTS: '1',
        RENEWAL_RECONCILE_DELAYS: '1',
      }),
      domain,
      expiresAt,
      'alibaba',
    );
    expect(r.state).toBe('failed');
    expect(r.reason).toMatch(/fund|balance/i);
    expect(await upstreamRenewals('alibaba', domain)).toHaveLength(0);
  });
});

describe('renewals at MrDomain (curExpDate guard)', () => {
  beforeEach(async () => {
    await sim('mrdomain').reset();
  });

  for (const fault of [
    { kind: 'drop_before' },
    { kind: 'http_status', status: 503 },
    { kind: 'html' },
  ] as const) {
    it(`${fault.kind} (nothing renewed) → guarded resubmission → confirmed once`, async () => {
      const domain = `md-${fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(14);
      await seedDomain('mrdomain', domain, expiresAt);
      await sim('mrdomain').faults({ fault, match: 'domain/renew' });
      const r = await start(pump(), domain, expiresAt, 'mrdomain');
      expect(r.state).toBe('confirmed');
      expect(r.attempts).toBe(2);
      expect(await upstreamRenewals('mrdomain', domain)).toHaveLength(1);
    });
  }

  for (const fault of [{ kind: 'drop_after' }, { kind: 'truncate' }] as const) {
    it(`${fault.kind} (renewed, reply lost) → confirmed from the expiry, no resubmission`, async () => {
      const domain = `md-${fault.kind.replace('_', '-')}.com`;
      const expiresAt = daysFromNow(14);
      await seedDomain('mrdomain', domain, expiresAt);
      await sim('mrdomain').faults({ fault, match: 'domain/renew' });
      const r = await start(pump(), domain, expiresAt, 'mrdomain');
      expect(r.state).toBe('confirmed');
      expect(r.attempts).toBe(1);
      expect(await upstreamRenewals('mrdomain', domain)).toHaveLength(1);
    });
  }
});
