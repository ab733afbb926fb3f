import { describe, expect, it } from 'vitest';
import bench, { availabilityLowerBound } from './bulk-availability.bench';
import { expectNamedFinite } from './expect-figures';

describe('bulk availability lower bound', () => {
  it('adds up completed calls over accounts until the names are covered', () => {
    // 100 names per call, one at a time: 100 names per 50 ms RTT.
    expect(
      availabilityLowerBound([{ account: 'a', batch: 100, concurrency: 1, intervalMs: 0 }], 1000, 50),
    ).toBe(500);
    // 20 names per call, 4 at a time: 80 names per RTT → 13 rounds for 1,000.
    expect(
      availabilityLowerBound([{ account: 'b', batch: 20, concurrency: 4, intervalMs: 0 }], 1000, 50),
    ).toBe(650);
    // Both together: 180 per RTT → 6 rounds.
    expect(
      availabilityLowerBound(
        [
          { account: 'a', batch: 100, concurrency: 1, intervalMs: 0 },
          { account: 'b', batch: 20, concurrency: 4, intervalMs: 0 },
        ],
        1000,
        50,
      ),
    ).toBe(300);
  });

  it('spaces call starts by the pacing interval', () => {
    // One name per call, 1 s apart: the third name completes at 2 s + RTT.
    expect(
      availabilityLowerBound([{ account: 'm', batch: 1, concurrency: 1, intervalMs: 1000 }], 3, 50),
    ).toBe(2050);
    // A measured per-account call time replaces the nominal RTT.
    expect(
      availabilityLowerBound([{ account: 'a', batch: 10, concurrency: 1, intervalMs: 0, rttMs: 80 }], 20, 50),
    ).toBe(160);
  });
});

describe('bench bulk-availability (tiny, local stack)', () => {
  it('checks every name through the gateway and reports both ratios', { timeout: 180_000 }, async () => {
    expectNamedFinite(await bench({ tiny: true }), 4, /Bulk availability, 20 names/);
  });
});
