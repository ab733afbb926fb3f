/**
 * The AccountGate Durable Object on its own. Serialization against a real registrar simulator is
 * proven in renewals.test.ts (Dynadot: maxConcurrent 1, gate peak 1); here, the gate's own
 * robustness: a malformed policy header must never wedge an account, and a call whose caller
 * stopped waiting is withdrawn, never sent late.
 */
import { describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { GATE_POLICY_HEADER } from '../../src/providers/types';
import { gateStats, sim, workerEnv } from './helpers';

describe('AccountGate', () => {
  it('treats a non-numeric policy as the strictest one instead of waiting forever', async () => {
    const gateFetch = gatedFetch(workerEnv.ACCOUNT_GATE, 'gate-test-bad-policy', { concurrency: 1 });
    const started = Date.now();
    // Nothing listens on port 1: each call fails fast once admitted. Before the fix, a NaN
    // concurrency admitted nobody and every call hung for the 120 s wait limit.
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        gateFetch('http://127.0.0.1:1/', {
          headers: { [GATE_POLICY_HEADER]: JSON.stringify({ concurrency: 'many', minIntervalMs: 'soon' }) },
        }),
      ),
    );
    expect(results).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await gateStats('gate-test-bad-policy')).toMatchObject({
      inFlight: 0,
      queued: 0,
      peak: 1,
      admitted: 3,
    });
  });

  it('never sends a call whose caller gave up while it waited for its turn', async () => {
    await sim('dynadot').reset();
    // Each Dynadot call takes 1.5 s at the registrar: the second one waits in the gate.
    await sim('dynadot').call('processing', { ms: 1_500 });
    const vars = workerEnv as unknown as Record<string, string>;
    const base = `${vars.DYNADOT_BASE_URL}/api3.xml?key=${vars.DYNADOT_API_KEY}`;
    const gateFetch = gatedFetch(workerEnv.ACCOUNT_GATE, 'gate-test-withdraw', { concurrency: 1 });
    const first = gateFetch(`${base}&command=account_info`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    const second = gateFetch(`${base}&command=get_account_balance`, { signal: AbortSignal.timeout(400) });
    // The gate's own word that the call never left: safe to retry, even for a renew.
    await expect(second).rejects.toMatchObject({
      kind: 'upstream_unavailable',
      notSent: true,
      message: expect.stringMatching(/was not sent/),
    });
    await first;
    // Give a wrongly queued call every chance to go out.
    await new Promise((r) => setTimeout(r, 2_000));
    const state = await sim('dynadot').state<{ calls: Record<string, number> }>();
    expect(state.calls.account_info).toBe(1);
    expect(state.calls.get_account_balance ?? 0).toBe(0);
  });
});
