import { describe, it } from 'vitest';
import { expectNamedFinite } from './expect-figures';
import bench from './load.bench';

describe('bench load (tiny, local stack)', () => {
  it('runs a short bounded load and reports req/s and p99', { timeout: 180_000 }, async () => {
    expectNamedFinite(await bench({ tiny: true }), 2, /Load, 10 clients × 2 s/);
  });
});
