/**
 * The AccountGate Durable Object on its own. Serialization against a real registrar simulator is
 * proven in renewals.test.ts (Dynadot: maxConcurrent 1, gate peak 1); here, the gate's own
 * robustness: a malformed policy header must never wedge an account.
 */
import { describe, expect, it } from 'vitest';
import { gatedFetch } from '../../src/core/account-gate';
import { GATE_POLICY_HEADER } from '../../src/providers/types';
import { workerEnv } from './helpers';

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
    const stub = workerEnv.ACCOUNT_GATE.get(workerEnv.ACCOUNT_GATE.idFromName('gate-test-bad-policy'));
    const stats = (await (await stub.fetch('http://gate.internal/stats')).json()) as {
      inFlight: number;
      queued: number;
      peak: number;
    };
    expect(stats).toMatchObject({ inFlight: 0, queued: 0, peak: 1 });
  });
});
