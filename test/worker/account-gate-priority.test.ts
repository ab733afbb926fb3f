/**
 * Admission order at the AccountGate: a waiting spend (renew) goes before waiting queries, and
 * background work (health pings) goes last. The registrar is the Dynadot simulator, which allows
 * one call at a time; a `hold` fault parks the first call at the registrar until the test releases
 * it, so every other call is provably waiting at the gate. Order is read from the gate's own
 * admission log, never inferred from timing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { createLogger } from '../../src/core/log';
import { callUpstream } from '../../src/providers/http';
import { type Operation, query, spend } from '../../src/providers/operation';
import type { GatePriority } from '../../src/providers/types';
import { gateStats, parkDynadotCall, sim, waitUntil, workerEnv } from './helpers';

const vars = workerEnv as unknown as Record<string, string>;
const dynadot = (command: string, params: Record<string, string> = {}) =>
  `${vars.DYNADOT_BASE_URL}/api3.xml?${new URLSearchParams({ key: vars.DYNADOT_API_KEY!, command, ...params })}`;
const logger = createLogger({ level: 'error' });
/** Dynadot commands, declared as the client declares them. */
const ACCOUNT_INFO = query('account_info');
const ACCOUNT_BALANCE = query('get_account_balance');
const RENEW = spend('renew');
const ONE_AT_A_TIME = { concurrency: 1 };
/** Long enough that no waiter below gives up before the test releases the registrar. */
const PATIENT = { maxWaitMs: 60_000 };

beforeEach(async () => {
  await sim('dynadot').reset();
});

afterEach(async () => {
  // A call left parked at the registrar must not outlive its test.
  await sim('dynadot').release();
});

/**
 * A Dynadot call through `gate` as the provider layer makes it: the priority comes from the
 * operation's declared kind (the command is the operation's name).
 */
function call(fetcher: typeof fetch, operation: Operation, params?: Record<string, string>) {
  return callUpstream(
    { fetch: fetcher, logger },
    { provider: 'dynadot', operation, url: dynadot(operation.name, params) },
  );
}

async function queued(gate: string, expected: Partial<Record<GatePriority, number>>): Promise<void> {
  await waitUntil(
    async () => {
      const { queuedBy } = await gateStats(gate);
      return Object.entries(expected).every(([p, n]) => queuedBy[p as GatePriority] === n);
    },
    `${JSON.stringify(expected)} waiting at gate ${gate}`,
  );
}

describe('AccountGate admission priority', () => {
  it('admits a waiting renew before waiting queries, and background pings last', async () => {
    const gate = `gate-priority-${crypto.randomUUID()}`;
    await sim('dynadot').call('domains', { domains: [{ name: 'gate-priority-renew.com' }] });
    const normal = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME, PATIENT);
    const background = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME, {
      lane: 'background',
      ...PATIENT,
    });

    const { parked } = await parkDynadotCall(gate);
    // Arrival order: three background pings, a query, then the renew.
    const pings = [1, 2, 3].map(() => call(background, ACCOUNT_INFO));
    await queued(gate, { background: 3 });
    const query = call(normal, ACCOUNT_BALANCE);
    await queued(gate, { background: 3, query: 1 });
    const renewal = call(normal, RENEW, { domain: 'gate-priority-renew.com', duration: '1' });
    await queued(gate, { background: 3, query: 1, spend: 1 });

    await sim('dynadot').release();
    await Promise.all([parked, ...pings, query, renewal]);

    const { recent, queued: left, peak } = await gateStats(gate);
    expect(recent).toEqual(['query', 'spend', 'query', 'background', 'background', 'background']);
    expect(left).toBe(0);
    expect(peak).toBe(1);
    // At the registrar: the renew went through, one call at a time.
    const state = await sim('dynadot').state<{
      renewals: Array<{ domain: string }>;
      maxConcurrent: number;
      concurrentRejections: number;
    }>();
    expect(state.renewals.map((r) => r.domain)).toEqual(['gate-priority-renew.com']);
    expect(state.maxConcurrent).toBe(1);
    expect(state.concurrentRejections).toBe(0);
  });

  it('a renew stays a spend even when sent through the background lane', async () => {
    const gate = `gate-priority-${crypto.randomUUID()}`;
    await sim('dynadot').call('domains', { domains: [{ name: 'gate-priority-lane.com' }] });
    const background = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME, {
      lane: 'background',
      ...PATIENT,
    });

    const { parked } = await parkDynadotCall(gate);
    const ping = call(background, ACCOUNT_INFO);
    await queued(gate, { background: 1 });
    const renewal = call(background, RENEW, { domain: 'gate-priority-lane.com', duration: '1' });
    await queued(gate, { background: 1, spend: 1 });

    await sim('dynadot').release();
    await Promise.all([parked, ping, renewal]);
    expect((await gateStats(gate)).recent).toEqual(['query', 'spend', 'background']);
  });

  it('a background call that gets no slot within its budget is refused, never sent', async () => {
    const gate = `gate-priority-${crypto.randomUUID()}`;
    const { parked } = await parkDynadotCall(gate);
    const before =
      (await sim('dynadot').state<{ calls: Record<string, number> }>()).calls.get_account_balance ?? 0;
    const impatient = gatedFetch(workerEnv.ACCOUNT_GATE, gate, ONE_AT_A_TIME, {
      lane: 'background',
      maxWaitMs: 200,
    });
    await expect(call(impatient, ACCOUNT_BALANCE)).rejects.toMatchObject({
      kind: 'upstream_unavailable',
      notSent: true,
    });
    expect(await gateStats(gate)).toMatchObject({ inFlight: 1, queued: 0 });
    await sim('dynadot').release();
    await parked;
    const after =
      (await sim('dynadot').state<{ calls: Record<string, number> }>()).calls.get_account_balance ?? 0;
    expect(after).toBe(before);
  });
});
