/**
 * The AccountGate as an admission: the caller leases a slot, calls the registrar itself and gives
 * the slot back. Here, the paths where the slot could be lost: a caller cancelled while its call is
 * at the registrar, a holder that never gives it back (an isolate that died mid-call), a
 * withdrawal that arrives before the ask it withdraws. And the accounts that skip the gate. Every
 * wait is on the gate's own counters (`/stats`) or the simulator's, never on a clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AccountGate, gatedFetch } from '../../src/core/account-gate';
import { GATE_DEADLINE_HEADER } from '../../src/providers/types';
import { gateStats, providerFor, sim, waitUntil, workerEnv } from './helpers';

const vars = workerEnv as unknown as Record<string, string>;
const dynadot = (command: string) =>
  `${vars.DYNADOT_BASE_URL}/api3.xml?${new URLSearchParams({ key: vars.DYNADOT_API_KEY!, command })}`;
const ONE_AT_A_TIME = { concurrency: 1 };

/** The gate object of `account`, for what a caller of its RPC would do. */
function gateObject(account: string): DurableObjectStub<AccountGate> {
  const gates = workerEnv.ACCOUNT_GATE as unknown as DurableObjectNamespace<AccountGate>;
  return gates.get(gates.idFromName(account));
}

beforeEach(async () => {
  await sim('dynadot').reset();
});

afterEach(async () => {
  // A call left parked at the registrar must not outlive its test.
  await sim('dynadot').release();
});

describe('AccountGate leases', () => {
  it('gives the slot back when the caller is cancelled while its call is at the registrar', async () => {
    const gate = `gate-lease-${crypto.randomUUID()}`;
    const gated = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME);
    await sim('dynadot').faults({ fault: { kind: 'hold' }, match: 'account_info' });
    const caller = new AbortController();
    const parked = gated(dynadot('account_info'), { signal: caller.signal });
    await waitUntil(async () => (await sim('dynadot').held()) === 1, 'the call to be parked at Dynadot');
    expect(await gateStats(gate)).toMatchObject({ inFlight: 1, admitted: 1 });

    caller.abort();
    await expect(parked).rejects.toThrow();
    // Released by the caller, not by the lease's own end (30 s away, past this wait).
    await waitUntil(async () => (await gateStats(gate)).inFlight === 0, 'the slot to be given back');
    expect((await gateStats(gate)).expired).toBe(0);

    // And the next call of the account is admitted at once.
    await sim('dynadot').release();
    const next = await gated(dynadot('get_account_balance'));
    expect(next.status).toBe(200);
    await next.text();
    expect(await gateStats(gate)).toMatchObject({ admitted: 2, queued: 0 });
  });

  it('ends a lease its holder never gives back, and admits the next call', async () => {
    const gate = `gate-lease-${crypto.randomUUID()}`;
    // A holder that dies after admission: it asked for a 50 ms lease and never calls finish().
    const lost = await gateObject(gate).admit({
      ticket: crypto.randomUUID(),
      policy: ONE_AT_A_TIME,
      priority: 'query',
      maxWaitMs: 1_000,
      leaseMs: 50,
    });
    expect(lost).toEqual({ admitted: true });

    const gated = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME, { maxWaitMs: 60_000 });
    const next = gated(dynadot('get_account_balance'), { headers: { [GATE_DEADLINE_HEADER]: '10000' } });
    await waitUntil(async () => (await gateStats(gate)).queued === 1, 'the next call to wait for the slot');
    const answer = await next;
    expect(answer.status).toBe(200);
    await answer.text();
    await waitUntil(
      async () => (await gateStats(gate)).inFlight === 0,
      'the next call to give its slot back',
    );
    expect(await gateStats(gate)).toMatchObject({ expired: 1, admitted: 2, peak: 1 });
  });

  it('refuses an ask whose ticket its caller already gave back (the withdrawal overtook it)', async () => {
    const gate = gateObject(`gate-lease-${crypto.randomUUID()}`);
    const ticket = crypto.randomUUID();
    expect(await gate.finish(ticket)).toBe('unknown');
    const ask = {
      ticket,
      policy: ONE_AT_A_TIME,
      priority: 'spend' as const,
      maxWaitMs: 1_000,
      leaseMs: 1_000,
    };
    expect(await gate.admit(ask)).toEqual({ admitted: false, refusal: 'cancelled' });
    // Only that one ask: the same caller's next ticket is admitted.
    const again = { ...ask, ticket: crypto.randomUUID() };
    expect(await gate.admit(again)).toEqual({ admitted: true });
    expect(await gate.finish(again.ticket)).toBe('released');
  });
});

describe('accounts whose registrar has no call rule', () => {
  it('call LogicBoxes and Alibaba without the gate, Dynadot through it', async () => {
    const before = await Promise.all(['logicboxes', 'alibaba', 'dynadot'].map(gateStats));
    await providerFor('logicboxes').getBalance({});
    await providerFor('alibaba').getDomain(await anyAlibabaDomain(), {});
    await providerFor('dynadot').getBalance({});
    const after = await Promise.all(['logicboxes', 'alibaba', 'dynadot'].map(gateStats));
    expect(after[0]!.admitted).toBe(before[0]!.admitted);
    expect(after[1]!.admitted).toBe(before[1]!.admitted);
    expect(after[2]!.admitted).toBeGreaterThan(before[2]!.admitted);
  });
});

/** A domain the Alibaba simulator holds (it has no balance call to make instead). */
async function anyAlibabaDomain(): Promise<string> {
  for await (const summary of providerFor('alibaba').listDomains({})) return summary.domain;
  throw new Error('the Alibaba simulator holds no domain');
}
