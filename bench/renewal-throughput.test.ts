import { describe, it } from 'vitest';
import { expectNamedFinite } from './expect-figures';
import bench from './renewal-throughput.bench';

describe('bench renewal-throughput (tiny, local stack)', () => {
  it('confirms every intent through the queue and reports both ratios', { timeout: 240_000 }, async () => {
    expectNamedFinite(await bench({ tiny: true }), 2, /Renewal throughput, 6 intents/);
  });
});
